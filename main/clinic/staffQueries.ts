import type { StaffRow } from '../../shared/api/index.js';
import type { Role } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../../shared/time.js';
import { homeClinicId } from '../ledger/home.js';

interface Row {
  id: string;
  name: string;
  role: Role;
  licence: string | null;
  active: number;
  created_at: number;
}

const toStaff = (r: Row): StaffRow => ({ id: r.id, name: r.name, role: r.role, licence: r.licence, active: r.active === 1, createdAt: r.created_at });

/** This clinic's staff (trusted clinics' directories are stored too, and never listed here). */
export function listStaff(db: Db): StaffRow[] {
  return db
    .prepare<[string], Row>(
      'SELECT id, name, role, licence, active, created_at FROM view_staff WHERE clinic_id = ? ORDER BY active DESC, name COLLATE NOCASE, id',
    )
    .all(homeClinicId(db) ?? '')
    .map(toStaff);
}

/** A staff member of this clinic, or null (also for another clinic's staff). */
export function findStaff(db: Db, id: string): StaffRow | null {
  const row = db
    .prepare<[string, string], Row>('SELECT id, name, role, licence, active, created_at FROM view_staff WHERE id = ? AND clinic_id = ?')
    .get(id, homeClinicId(db) ?? '');
  return row ? toStaff(row) : null;
}

export function staffVerifier(db: Db, id: string): string | null {
  return db.prepare<[string], { verifier: string }>('SELECT verifier FROM view_credentials WHERE staff_id = ?').get(id)?.verifier ?? null;
}

export const DEFAULT_AUTO_LOCK_MINUTES = 5;

export function autoLockMinutes(db: Db): number {
  return (
    db.prepare<[string], { m: number }>('SELECT auto_lock_minutes AS m FROM view_settings WHERE clinic_id = ?').get(homeClinicId(db) ?? '')?.m ??
    DEFAULT_AUTO_LOCK_MINUTES
  );
}

/** The clinic's time zone (IANA), UTC until a manager sets one; a zone this runtime does not know falls back to UTC. */
export function clinicTimeZone(db: Db): string {
  const zone = db.prepare<[string], { z: string }>('SELECT time_zone AS z FROM view_time_zone WHERE clinic_id = ?').get(homeClinicId(db) ?? '')?.z;
  return zone !== undefined && isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
}

/** What every session and the settings screen show of the clinic's settings. */
export function clinicSettings(db: Db): { autoLockMinutes: number; timeZone: string } {
  return { autoLockMinutes: autoLockMinutes(db), timeZone: clinicTimeZone(db) };
}

/** Requests this clinic's devices refused (role, deactivated account, wrong passphrase), newest first. */
export function listRefusals(db: Db, limit: number): { at: number; staffName: string | null; role: string | null; call: string; reason: string }[] {
  return db
    .prepare<[string, number], { at: number; staffName: string | null; role: string | null; call: string; reason: string }>(
      `SELECT r.at, s.name AS staffName, s.role, r.call, r.reason FROM view_refusals r LEFT JOIN view_staff s ON s.id = r.staff_id
        WHERE r.clinic_id = ? ORDER BY r.at DESC, r.hash LIMIT ?`,
    )
    .all(homeClinicId(db) ?? '', limit);
}
