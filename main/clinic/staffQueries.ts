import { describeRequest } from '../../shared/api/index.js';
import type { StaffRow } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../../shared/time.js';
import { DEFAULT_LOCALE, isLocale } from '../../shared/locale.js';
import { homeClinicId } from '../ledger/home.js';
import {
  findStaffInClinic,
  refusalsOfClinic,
  staffOfClinic,
  storedAutoLockMinutes,
  storedCheckInMinutes,
  storedLocale,
  storedNamesAtSignIn,
  storedOpeningHours,
  storedTimeZone,
} from '../views/clinic.js';
import { storedCareWindowMonths } from '../views/care.js';

export { staffVerifier } from '../views/clinic.js';

/** This clinic's staff (trusted clinics' directories are stored too, and never listed here). */
export function listStaff(db: Db): StaffRow[] {
  return staffOfClinic(db, homeClinicId(db) ?? '');
}

/** A staff member of this clinic, or null (also for another clinic's staff). */
export function findStaff(db: Db, id: string): StaffRow | null {
  return findStaffInClinic(db, id, homeClinicId(db) ?? '');
}

export const DEFAULT_AUTO_LOCK_MINUTES = 5;

export function autoLockMinutes(db: Db): number {
  return storedAutoLockMinutes(db, homeClinicId(db) ?? '') ?? DEFAULT_AUTO_LOCK_MINUTES;
}

/** The clinic's time zone (IANA), UTC until a manager sets one; a zone this runtime does not know falls back to UTC. */
export function clinicTimeZone(db: Db): string {
  const zone = storedTimeZone(db, homeClinicId(db) ?? '');
  return zone !== null && isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
}

/** This runtime's locale when it knows one, else DEFAULT_LOCALE: the default at setup and for a clinic that never set one. */
export function runtimeLocale(): string {
  const here = Intl.DateTimeFormat().resolvedOptions().locale;
  return isLocale(here) ? here : DEFAULT_LOCALE;
}

/**
 * The clinic's locale (docs/architecture.md#dates-times-and-the-clinic-locale). Setup records one;
 * a clinic set up before the setting existed, or a locale this runtime does not know, falls back
 * to this computer's.
 */
export function clinicLocale(db: Db): string {
  const locale = storedLocale(db, homeClinicId(db) ?? '');
  return locale !== null && isLocale(locale) ? locale : runtimeLocale();
}

/** Check-in opens this many minutes before a visit's start unless a manager chose otherwise. */
export const DEFAULT_CHECK_IN_MINUTES = 60;

export function checkInMinutes(db: Db): number {
  return storedCheckInMinutes(db, homeClinicId(db) ?? '') ?? DEFAULT_CHECK_IN_MINUTES;
}

/** The clinic's opening hours (wall clock in its time zone), or null when no manager set any: then no hour is outside them. */
export function openingHours(db: Db): { weekday: number; start: string; end: string }[] | null {
  return storedOpeningHours(db, homeClinicId(db) ?? '');
}

/**
 * Whether sign-in lists the active staff by name. Listed until a manager says otherwise: clinics
 * set up before the setting keep the screen they know (docs/architecture.md#sign-in-sessions-and-roles).
 */
export function namesAtSignIn(db: Db): boolean {
  return storedNamesAtSignIn(db, homeClinicId(db) ?? '') ?? true;
}

/** A visit keeps a clinician in a patient's care this many months unless a manager chose otherwise (docs/architecture.md#break-the-glass). */
export const DEFAULT_CARE_WINDOW_MONTHS = 12;

export function careWindowMonths(db: Db): number {
  return storedCareWindowMonths(db, homeClinicId(db) ?? '') ?? DEFAULT_CARE_WINDOW_MONTHS;
}

/** What every session and the settings screen show of the clinic's settings. */
export function clinicSettings(db: Db): {
  autoLockMinutes: number;
  timeZone: string;
  openingHours: { weekday: number; start: string; end: string }[] | null;
  checkInMinutes: number;
  locale: string;
  namesAtSignIn: boolean;
  careWindowMonths: number;
} {
  return {
    autoLockMinutes: autoLockMinutes(db),
    timeZone: clinicTimeZone(db),
    openingHours: openingHours(db),
    checkInMinutes: checkInMinutes(db),
    locale: clinicLocale(db),
    namesAtSignIn: namesAtSignIn(db),
    careWindowMonths: careWindowMonths(db),
  };
}

/** Requests this clinic's devices refused (role, deactivated account, wrong passphrase), newest first. */
export function listRefusals(
  db: Db,
  limit: number,
): { at: number; staffName: string | null; role: string | null; call: string; request: string; reason: string }[] {
  return refusalsOfClinic(db, homeClinicId(db) ?? '', limit).map((r) => ({ ...r, request: describeRequest(r.call) }));
}
