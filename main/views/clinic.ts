import type { Role } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { bit, upsertLatest } from './support.js';
import type { OrderKey, ViewSet } from './support.js';

/**
 * The clinic directory: clinics (home and trusted), their devices, staff, sign-in verifiers,
 * settings, time zone and refused requests. Written by main/ledger/domains/clinic.ts.
 */
export const CLINIC_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_clinic (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    founder       TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    genesis_hash  TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_devices (
    key           TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    label         TEXT NOT NULL,
    enrolled_at   INTEGER NOT NULL,
    revoked       INTEGER NOT NULL DEFAULT 0,
    revoked_at_height INTEGER
  ) STRICT;
  CREATE TABLE view_staff (
    id            TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    licence       TEXT,
    created_at    INTEGER NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    a_height      INTEGER NOT NULL DEFAULT 0,
    a_hash        TEXT NOT NULL DEFAULT ''
  ) STRICT;
  CREATE TABLE view_settings (
    clinic_id     TEXT PRIMARY KEY,
    auto_lock_minutes INTEGER NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_refusals (
    hash          TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    staff_id      TEXT,
    call          TEXT NOT NULL,
    reason        TEXT NOT NULL,
    at            INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_refusals_by_time ON view_refusals (at);
  CREATE TABLE view_credentials (
    staff_id      TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    verifier      TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
`,
  tables: [
    { name: 'view_clinic', key: 'id' },
    { name: 'view_devices', key: 'key' },
    { name: 'view_staff', key: 'id' },
    { name: 'view_credentials', key: 'staff_id' },
    { name: 'view_settings', key: 'clinic_id' },
    { name: 'view_refusals', key: 'hash' },
  ],
};

/** The clinic's time zone (last writer wins; a clinic without one keeps UTC). */
export const TIME_ZONE_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_time_zone (
    clinic_id     TEXT PRIMARY KEY,
    time_zone     TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
`,
  tables: [{ name: 'view_time_zone', key: 'clinic_id' }],
};

/** The clinic's locale for dates and times (last writer wins; docs/architecture.md#dates-times-and-the-clinic-locale). */
export const LOCALE_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_locale (
    clinic_id     TEXT PRIMARY KEY,
    locale        TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
`,
  tables: [{ name: 'view_locale', key: 'clinic_id' }],
};

/** Whether sign-in lists staff names (`clinic.signin.set`; last writer wins; listed when never set). */
export const SIGN_IN_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_signin (
    clinic_id        TEXT PRIMARY KEY,
    names_at_signin  INTEGER NOT NULL,
    v_height         INTEGER NOT NULL,
    v_hash           TEXT NOT NULL
  ) STRICT;
`,
  tables: [{ name: 'view_signin', key: 'clinic_id' }],
};

/**
 * The clinic's opening hours and check-in window (`clinic.hours.set`, `clinic.checkin.set`; last
 * writer wins each; docs/architecture.md#schedule).
 */
export const CLINIC_HOURS_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_opening_hours (
    clinic_id     TEXT PRIMARY KEY,
    weekly        TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_checkin_window (
    clinic_id     TEXT PRIMARY KEY,
    minutes       INTEGER NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
`,
  tables: [
    { name: 'view_opening_hours', key: 'clinic_id' },
    { name: 'view_checkin_window', key: 'clinic_id' },
  ],
};

// ------------------------------------------------------------------ clinics

export function insertClinic(db: Db, c: { id: string | null; name: string; founder: string; createdAt: number; genesisHash: string }): void {
  statement(db, 'INSERT OR IGNORE INTO view_clinic (id, name, founder, created_at, genesis_hash) VALUES (?, ?, ?, ?, ?)').run(
    c.id,
    c.name,
    c.founder,
    c.createdAt,
    c.genesisHash,
  );
}

/** A clinic whose genesis is stored here, with its founding device; null when absent. */
export function findClinic(db: Db, clinicId: string): { id: string; founder: string } | null {
  return statement<[string], { id: string; founder: string }>(db, 'SELECT id, founder FROM view_clinic WHERE id = ?').get(clinicId) ?? null;
}

/** The clinic with its first manager (earliest added); null before both are stored. */
export function clinicWithFirstManager(
  db: Db,
  clinicId: string,
): { id: string; name: string; createdAt: number; managerId: string; managerName: string } | null {
  return (
    statement<[string], { id: string; name: string; createdAt: number; managerId: string; managerName: string }>(
      db,
      `SELECT c.id, c.name, c.created_at AS createdAt, s.id AS managerId, s.name AS managerName
         FROM view_clinic c JOIN view_staff s ON s.clinic_id = c.id AND s.role = 'manager'
        WHERE c.id = ? ORDER BY s.created_at, s.id LIMIT 1`,
    ).get(clinicId) ?? null
  );
}

// ------------------------------------------------------------------ devices

export interface DeviceRow {
  readonly key: string;
  readonly label: string;
  readonly enrolledAt: number;
  readonly revoked: boolean;
}

export function insertDevice(db: Db, d: { key: string; clinicId: string | null; label: string; enrolledAt: number }): void {
  statement(db, 'INSERT OR IGNORE INTO view_devices (key, clinic_id, label, enrolled_at) VALUES (?, ?, ?, ?)').run(
    d.key,
    d.clinicId,
    d.label,
    d.enrolledAt,
  );
}

/** Marks a device revoked; the lowest revoking height is kept, so any order gives the same row. */
export function revokeDevice(db: Db, key: string, height: number): void {
  statement(db, 'UPDATE view_devices SET revoked = 1, revoked_at_height = min(coalesce(revoked_at_height, ?), ?) WHERE key = ?').run(
    height,
    height,
    key,
  );
}

/** A device of `clinicId` and whether it was revoked; null when it is not one of its devices. */
export function deviceOfClinic(db: Db, key: string, clinicId: string): { revoked: boolean } | null {
  const row = statement<[string, string], { revoked: number }>(db, 'SELECT revoked FROM view_devices WHERE key = ? AND clinic_id = ?').get(
    key,
    clinicId,
  );
  return row ? { revoked: row.revoked === 1 } : null;
}

/** Whether the device is enrolled in any clinic known here. */
export function deviceKnown(db: Db, key: string): boolean {
  return statement(db, 'SELECT 1 FROM view_devices WHERE key = ?').get(key) !== undefined;
}

/** A known clinic's name (this clinic's, or a trusted clinic's from its genesis), or null. */
export function clinicName(db: Db, clinicId: string): string | null {
  return statement<[string], { name: string }>(db, 'SELECT name FROM view_clinic WHERE id = ?').get(clinicId)?.name ?? null;
}

/** The clinic that enrolled this device (revoked or not), or null when it is not known here. */
export function clinicOfDevice(db: Db, key: string): string | null {
  return statement<[string], { id: string }>(db, 'SELECT clinic_id AS id FROM view_devices WHERE key = ? LIMIT 1').get(key)?.id ?? null;
}

/** The clinic in which this device is enrolled and not revoked, or null. */
export function activeClinicOfDevice(db: Db, key: string): string | null {
  return statement<[string], { id: string }>(db, 'SELECT clinic_id AS id FROM view_devices WHERE key = ? AND revoked = 0').get(key)?.id ?? null;
}

/** Every device of the clinic, in enrolment order. */
export function devicesOfClinic(db: Db, clinicId: string): DeviceRow[] {
  return statement<[string], { key: string; label: string; enrolledAt: number; revoked: number }>(
    db,
    'SELECT key, label, enrolled_at AS enrolledAt, revoked FROM view_devices WHERE clinic_id = ? ORDER BY enrolled_at, key',
  )
    .all(clinicId)
    .map((d) => ({ key: d.key, label: d.label, enrolledAt: d.enrolledAt, revoked: d.revoked === 1 }));
}

export function activeDeviceCount(db: Db, clinicId: string): number {
  return statement<[string], { n: number }>(db, 'SELECT count(*) AS n FROM view_devices WHERE clinic_id = ? AND revoked = 0').get(clinicId)?.n ?? 0;
}

/** How many of the clinic's devices the running sync peer sees connected now (`sync_peers`). */
export function connectedDeviceCount(db: Db, clinicId: string): number {
  return (
    statement<[string], { n: number }>(
      db,
      'SELECT count(DISTINCT p.device) AS n FROM sync_peers p JOIN view_devices d ON d.key = p.device WHERE d.clinic_id = ? AND p.connected = 1',
    ).get(clinicId)?.n ?? 0
  );
}

// ------------------------------------------------------------------ staff

export interface StaffViewRow {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly licence: string | null;
  readonly active: boolean;
  readonly createdAt: number;
}

interface StaffSql {
  id: string;
  name: string;
  role: Role;
  licence: string | null;
  active: number;
  created_at: number;
}

const toStaff = (r: StaffSql): StaffViewRow => ({
  id: r.id,
  name: r.name,
  role: r.role,
  licence: r.licence,
  active: r.active === 1,
  createdAt: r.created_at,
});

/** A staff member's directory row, last writer wins; the clinic and creation time are kept from the first. */
export function upsertStaff(
  db: Db,
  s: { id: string; clinicId: string | null; name: string; role: string; licence: string | null; createdAt: number },
  at: OrderKey,
): void {
  upsertLatest(
    db,
    'view_staff',
    'id',
    { id: s.id, clinic_id: s.clinicId, name: s.name, role: s.role, licence: s.licence, created_at: s.createdAt },
    at,
    ['clinic_id', 'created_at'],
  );
}

/** Last writer wins on the `active` register of a staff row. */
export function setStaffActive(db: Db, staffId: string, active: boolean, at: OrderKey): void {
  statement(db, `UPDATE view_staff SET active = ?, a_height = ?, a_hash = ? WHERE id = ? AND (?, ?) > (a_height, a_hash)`).run(
    bit(active),
    at.height,
    at.hash,
    staffId,
    at.height,
    at.hash,
  );
}

/** Whether a staff member with this id is known here (in any clinic). */
export function staffKnown(db: Db, staffId: string): boolean {
  return statement(db, 'SELECT 1 FROM view_staff WHERE id = ?').get(staffId) !== undefined;
}

export function staffInClinic(db: Db, staffId: string, clinicId: string): boolean {
  return statement(db, 'SELECT 1 FROM view_staff WHERE id = ? AND clinic_id = ?').get(staffId, clinicId) !== undefined;
}

/** The staff member's role in `clinicId`, or null. */
export function staffRole(db: Db, staffId: string, clinicId: string): string | null {
  return (
    statement<[string, string], { role: string }>(db, 'SELECT role FROM view_staff WHERE id = ? AND clinic_id = ?').get(staffId, clinicId)?.role ??
    null
  );
}

export function staffCount(db: Db, clinicId: string): number {
  return statement<[string], { n: number }>(db, 'SELECT count(*) AS n FROM view_staff WHERE clinic_id = ?').get(clinicId)?.n ?? 0;
}

/** The clinic's staff, active first, by name. */
export function staffOfClinic(db: Db, clinicId: string): StaffViewRow[] {
  return statement<[string], StaffSql>(
    db,
    'SELECT id, name, role, licence, active, created_at FROM view_staff WHERE clinic_id = ? ORDER BY active DESC, name COLLATE NOCASE, id',
  )
    .all(clinicId)
    .map(toStaff);
}

export function findStaffInClinic(db: Db, staffId: string, clinicId: string): StaffViewRow | null {
  const row = statement<[string, string], StaffSql>(
    db,
    'SELECT id, name, role, licence, active, created_at FROM view_staff WHERE id = ? AND clinic_id = ?',
  ).get(staffId, clinicId);
  return row ? toStaff(row) : null;
}

/** A staff member's name in whichever clinic, or null. */
export function staffName(db: Db, staffId: string): string | null {
  return statement<[string], { name: string }>(db, 'SELECT name FROM view_staff WHERE id = ?').get(staffId)?.name ?? null;
}

/** The clinic's active staff, by name (what a trusted clinic's directory shows). */
export function activeStaffNames(db: Db, clinicId: string): { name: string; role: string }[] {
  return statement<[string], { name: string; role: string }>(
    db,
    'SELECT name, role FROM view_staff WHERE clinic_id = ? AND active = 1 ORDER BY name COLLATE NOCASE, id',
  ).all(clinicId);
}

/** Ids of the clinic's active managers whose name or id is `nameOrId`. */
export function activeManagersNamed(db: Db, nameOrId: string, clinicId: string): string[] {
  return statement<[string, string, string], { id: string }>(
    db,
    "SELECT id FROM view_staff WHERE (name = ? OR id = ?) AND role = 'manager' AND active = 1 AND clinic_id = ?",
  )
    .all(nameOrId, nameOrId, clinicId)
    .map((r) => r.id);
}

/** Ids of the clinic's active staff of one of `roles` whose name or id is `nameOrId`. */
export function activeStaffNamed(db: Db, nameOrId: string, clinicId: string, roles: readonly string[]): string[] {
  return statement<[string, string, string], { id: string; role: string }>(
    db,
    'SELECT id, role FROM view_staff WHERE (name = ? OR id = ?) AND active = 1 AND clinic_id = ?',
  )
    .all(nameOrId, nameOrId, clinicId)
    .filter((r) => roles.includes(r.role))
    .map((r) => r.id);
}

// ------------------------------------------------------------------ sign-in verifiers

export function upsertCredential(db: Db, c: { staffId: string; clinicId: string | null; verifier: string }, at: OrderKey): void {
  upsertLatest(db, 'view_credentials', 'staff_id', { staff_id: c.staffId, clinic_id: c.clinicId, verifier: c.verifier }, at);
}

export function staffVerifier(db: Db, staffId: string): string | null {
  return statement<[string], { verifier: string }>(db, 'SELECT verifier FROM view_credentials WHERE staff_id = ?').get(staffId)?.verifier ?? null;
}

// ------------------------------------------------------------------ settings and time zone

export function upsertSettings(db: Db, s: { clinicId: string | null; autoLockMinutes: number }, at: OrderKey): void {
  upsertLatest(db, 'view_settings', 'clinic_id', { clinic_id: s.clinicId, auto_lock_minutes: s.autoLockMinutes }, at);
}

/** The clinic's auto-lock minutes, or null when never set. */
export function storedAutoLockMinutes(db: Db, clinicId: string): number | null {
  return statement<[string], { m: number }>(db, 'SELECT auto_lock_minutes AS m FROM view_settings WHERE clinic_id = ?').get(clinicId)?.m ?? null;
}

export function upsertTimeZone(db: Db, z: { clinicId: string | null; timeZone: string }, at: OrderKey): void {
  upsertLatest(db, 'view_time_zone', 'clinic_id', { clinic_id: z.clinicId, time_zone: z.timeZone }, at);
}

/** The clinic's time zone as recorded (not checked against this runtime's zones), or null. */
export function storedTimeZone(db: Db, clinicId: string): string | null {
  return statement<[string], { z: string }>(db, 'SELECT time_zone AS z FROM view_time_zone WHERE clinic_id = ?').get(clinicId)?.z ?? null;
}

export function upsertLocale(db: Db, l: { clinicId: string | null; locale: string }, at: OrderKey): void {
  upsertLatest(db, 'view_locale', 'clinic_id', { clinic_id: l.clinicId, locale: l.locale }, at);
}

/** The clinic's locale as recorded (not checked against this runtime's locales), or null. */
export function storedLocale(db: Db, clinicId: string): string | null {
  return statement<[string], { l: string }>(db, 'SELECT locale AS l FROM view_locale WHERE clinic_id = ?').get(clinicId)?.l ?? null;
}

export function upsertSignIn(db: Db, s: { clinicId: string | null; namesAtSignIn: boolean }, at: OrderKey): void {
  upsertLatest(db, 'view_signin', 'clinic_id', { clinic_id: s.clinicId, names_at_signin: s.namesAtSignIn ? 1 : 0 }, at);
}

/** Whether sign-in lists staff names, or null when no manager ever said. */
export function storedNamesAtSignIn(db: Db, clinicId: string): boolean | null {
  const row = statement<[string], { n: number }>(db, 'SELECT names_at_signin AS n FROM view_signin WHERE clinic_id = ?').get(clinicId);
  return row === undefined ? null : row.n === 1;
}

export function upsertOpeningHours(
  db: Db,
  h: { clinicId: string | null; weekly: readonly { weekday: number; start: string; end: string }[] },
  at: OrderKey,
): void {
  upsertLatest(db, 'view_opening_hours', 'clinic_id', { clinic_id: h.clinicId, weekly: JSON.stringify(h.weekly) }, at);
}

/** The clinic's opening hours, or null when never set. */
export function storedOpeningHours(db: Db, clinicId: string): { weekday: number; start: string; end: string }[] | null {
  const row = statement<[string], { weekly: string }>(db, 'SELECT weekly FROM view_opening_hours WHERE clinic_id = ?').get(clinicId);
  return row ? (JSON.parse(row.weekly) as { weekday: number; start: string; end: string }[]) : null;
}

export function upsertCheckInWindow(db: Db, w: { clinicId: string | null; minutes: number }, at: OrderKey): void {
  upsertLatest(db, 'view_checkin_window', 'clinic_id', { clinic_id: w.clinicId, minutes: w.minutes }, at);
}

/** Minutes before a visit's start that check-in opens, or null when never set. */
export function storedCheckInMinutes(db: Db, clinicId: string): number | null {
  return statement<[string], { m: number }>(db, 'SELECT minutes AS m FROM view_checkin_window WHERE clinic_id = ?').get(clinicId)?.m ?? null;
}

// ------------------------------------------------------------------ refused requests

export function insertRefusal(
  db: Db,
  r: { hash: string; clinicId: string | null; staffId: string | null; call: string; reason: string; at: number },
): void {
  statement(db, 'INSERT OR IGNORE INTO view_refusals (hash, clinic_id, staff_id, call, reason, at) VALUES (?, ?, ?, ?, ?, ?)').run(
    r.hash,
    r.clinicId,
    r.staffId,
    r.call,
    r.reason,
    r.at,
  );
}

/** The clinic's refused requests, newest first, with who tried. */
export function refusalsOfClinic(
  db: Db,
  clinicId: string,
  limit: number,
): { at: number; staffName: string | null; role: string | null; call: string; reason: string }[] {
  return statement<[string, number], { at: number; staffName: string | null; role: string | null; call: string; reason: string }>(
    db,
    `SELECT r.at, s.name AS staffName, s.role, r.call, r.reason FROM view_refusals r LEFT JOIN view_staff s ON s.id = r.staff_id
      WHERE r.clinic_id = ? ORDER BY r.at DESC, r.hash LIMIT ?`,
  ).all(clinicId, limit);
}
