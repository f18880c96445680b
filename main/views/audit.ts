import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { ViewSet } from './support.js';

/**
 * The manager's audit (docs/architecture.md#audit-report): one row per auditable entry — every
 * reading (`access.read`, `access.listed` as one row however many patients it names, `access.refused`)
 * and every signed write of a person or a device (patients, visits, notes, consent, staff,
 * devices, settings) — with who, where and what, in clear. Derived from the entries by a hook
 * every entry passes through (main/ledger/domains/audit.ts), so rebuildable like every view.
 *
 * What the view does not hold, it joins when asked, because a reducer may read only what its own
 * stream wrote: the author's clinic (view_devices), the staff member's role and name (view_staff:
 * a staff member's role never changes) and the patient's name (view_patients, where this computer
 * holds the key). A list's patients are matched through view_patient_listed.
 *
 * Indexes: one per filter that can start a query, each ending in (at, hash), so every filter pages
 * newest first by keyset without sorting.
 */
export const AUDIT_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_audit (
    hash          TEXT PRIMARY KEY,
    at            INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    staff_id      TEXT,
    role          TEXT,
    device        TEXT NOT NULL,
    stream        TEXT NOT NULL,
    patient_id    TEXT,
    patients      INTEGER,
    mode          TEXT,
    via           TEXT,
    call          TEXT,
    what          TEXT,
    purpose       TEXT
  ) STRICT;
  CREATE INDEX view_audit_at ON view_audit (at, hash);
  CREATE INDEX view_audit_staff ON view_audit (staff_id, at, hash);
  CREATE INDEX view_audit_kind ON view_audit (kind, at, hash);
  CREATE INDEX view_audit_patient ON view_audit (patient_id, at, hash);
  CREATE INDEX view_audit_device ON view_audit (device, at, hash);
`,
  tables: [
    // Rows of patient streams are re-derived with that patient's streams; what, purpose and an
    // opening's mode come from sealed access.read bodies (null without the patient's key).
    { name: 'view_audit', key: 'hash', patient: 'patient_id = ?', sealed: ['what', 'purpose', 'mode'] },
  ],
};

/** One audit row as the reducer hook writes it. */
export interface AuditInsert {
  readonly hash: string;
  readonly at: number;
  readonly kind: string;
  readonly staffId: string | null;
  /** The role the entry itself records (access.listed); otherwise joined from the staff view. */
  readonly role: string | null;
  readonly device: string;
  readonly stream: string;
  /** The patient whose stream holds the entry (null in clinic streams). */
  readonly patientId: string | null;
  /** How many patients an access.listed entry names. */
  readonly patients: number | null;
  readonly mode: string | null;
  readonly via: string | null;
  readonly call: string | null;
  readonly what: string | null;
  readonly purpose: string | null;
}

export function insertAudit(db: Db, a: AuditInsert): void {
  statement(
    db,
    `INSERT OR IGNORE INTO view_audit (hash, at, kind, staff_id, role, device, stream, patient_id, patients, mode, via, call, what, purpose)
     VALUES (@hash, @at, @kind, @staffId, @role, @device, @stream, @patientId, @patients, @mode, @via, @call, @what, @purpose)`,
  ).run(a);
}

// ------------------------------------------------------------------ queries

/**
 * What a query selects: entries whose author's clock `at` is in [from, until), and each filter
 * given. Days are turned into instants by the caller (clinic-local days: main/reports/audit.ts).
 */
export interface AuditSelection {
  readonly from: number;
  readonly until: number;
  readonly staffId?: string | undefined;
  /** Entries in the patient's streams, and lists that named them. */
  readonly patientId?: string | undefined;
  readonly action?: string | undefined;
  /** Entries signed by a device of this clinic. */
  readonly clinicId?: string | undefined;
}

/** Where a page ends: the last row's (at, hash); the next page starts strictly before it. */
export interface AuditCursor {
  readonly at: number;
  readonly hash: string;
}

export interface AuditRowView {
  readonly hash: string;
  readonly at: number;
  readonly action: string;
  readonly staffId: string | null;
  readonly staffName: string | null;
  readonly role: string | null;
  readonly device: string;
  readonly deviceLabel: string | null;
  readonly clinicId: string | null;
  readonly clinicName: string | null;
  readonly patientId: string | null;
  /** "Family, Given" where this computer can open the patient's record, else null. */
  readonly patientName: string | null;
  readonly patients: number | null;
  readonly stream: string;
  readonly mode: string | null;
  readonly via: string | null;
  readonly call: string | null;
  readonly what: string | null;
  readonly purpose: string | null;
}

interface AuditSql {
  hash: string;
  at: number;
  kind: string;
  staff_id: string | null;
  staff_name: string | null;
  role: string | null;
  device: string;
  device_label: string | null;
  clinic_id: string | null;
  clinic_name: string | null;
  patient_id: string | null;
  family: string | null;
  given: string | null;
  patients: number | null;
  stream: string;
  mode: string | null;
  via: string | null;
  call: string | null;
  what: string | null;
  purpose: string | null;
}

/**
 * The WHERE clause and its parameters for a selection, over `a` (view_audit). The index that
 * starts the query is chosen by SQLite from the equality filters; each ends in (at, hash).
 */
function where(s: AuditSelection, cursor: AuditCursor | null): { sql: string; params: (string | number)[] } {
  const parts = ['a.at >= ?', 'a.at < ?'];
  const params: (string | number)[] = [s.from, s.until];
  if (s.staffId !== undefined) {
    parts.push('a.staff_id = ?');
    params.push(s.staffId);
  }
  if (s.action !== undefined) {
    parts.push('a.kind = ?');
    params.push(s.action);
  }
  if (s.patientId !== undefined) {
    // The patient's own streams, or a list that showed them (one view_audit row per list entry).
    parts.push('(a.patient_id = ? OR a.hash IN (SELECT l.hash FROM view_patient_listed l WHERE l.patient_id = ? AND l.at >= ? AND l.at < ?))');
    params.push(s.patientId, s.patientId, s.from, s.until);
  }
  if (s.clinicId !== undefined) {
    parts.push('a.device IN (SELECT d.key FROM view_devices d WHERE d.clinic_id = ?)');
    params.push(s.clinicId);
  }
  if (cursor !== null) {
    parts.push('(a.at, a.hash) < (?, ?)');
    params.push(cursor.at, cursor.hash);
  }
  return { sql: parts.join(' AND '), params };
}

const SELECT = `SELECT a.hash, a.at, a.kind, a.staff_id, s.name AS staff_name, coalesce(a.role, s.role) AS role, a.device,
         d.label AS device_label, coalesce(d.clinic_id, CASE WHEN a.stream LIKE 'c:%' THEN substr(a.stream, 3, 64) END) AS clinic_id,
         c.name AS clinic_name, a.patient_id, p.family, p.given, a.patients, a.stream, a.mode, a.via, a.call, a.what, a.purpose
    FROM view_audit a
    LEFT JOIN view_staff s ON s.id = a.staff_id
    LEFT JOIN view_devices d ON d.key = a.device
    LEFT JOIN view_clinic c ON c.id = coalesce(d.clinic_id, CASE WHEN a.stream LIKE 'c:%' THEN substr(a.stream, 3, 64) END)
    LEFT JOIN view_patients p ON p.patient_id = a.patient_id AND p.readable = 1`;

const toRow = (r: AuditSql): AuditRowView => ({
  hash: r.hash,
  at: r.at,
  action: r.kind,
  staffId: r.staff_id,
  staffName: r.staff_name,
  role: r.role,
  device: r.device,
  deviceLabel: r.device_label,
  clinicId: r.clinic_id,
  clinicName: r.clinic_name,
  patientId: r.patient_id,
  patientName: r.family !== null ? `${r.family}, ${r.given ?? ''}` : null,
  patients: r.patients,
  stream: r.stream,
  mode: r.mode,
  via: r.via,
  call: r.call,
  what: r.what,
  purpose: r.purpose,
});

/** One page of rows, newest first ((at, hash) descending), strictly after `cursor` when given. */
export function auditPage(db: Db, s: AuditSelection, cursor: AuditCursor | null, limit: number): AuditRowView[] {
  const w = where(s, cursor);
  return statement<(string | number)[], AuditSql>(db, `${SELECT} WHERE ${w.sql} ORDER BY a.at DESC, a.hash DESC LIMIT ?`)
    .all(...w.params, limit)
    .map(toRow);
}

/**
 * Every selected row, newest first, read in keyset pages of `pageSize` (never one long-open
 * cursor, so a caller may write elsewhere between pages and memory stays one page).
 */
export function* auditRows(db: Db, s: AuditSelection, pageSize = 2000): Generator<AuditRowView> {
  let cursor: AuditCursor | null = null;
  for (;;) {
    const page = auditPage(db, s, cursor, pageSize);
    yield* page;
    const last = page[page.length - 1];
    if (last === undefined || page.length < pageSize) return;
    cursor = { at: last.at, hash: last.hash };
  }
}

/** How many rows the selection holds. */
export function auditCount(db: Db, s: AuditSelection): number {
  const w = where(s, null);
  return statement<(string | number)[], { n: number }>(db, `SELECT count(*) AS n FROM view_audit a WHERE ${w.sql}`).get(...w.params)?.n ?? 0;
}

/** Rows of the selection counted by action, most first. */
export function auditCountsByAction(db: Db, s: AuditSelection): { action: string; count: number }[] {
  const w = where(s, null);
  return statement<(string | number)[], { action: string; count: number }>(
    db,
    `SELECT a.kind AS action, count(*) AS count FROM view_audit a WHERE ${w.sql} GROUP BY a.kind ORDER BY count DESC, action`,
  ).all(...w.params);
}

/** Rows of the selection counted by staff member (null: entries no person signed, e.g. a device's enrolment), most first. */
export function auditCountsByStaff(db: Db, s: AuditSelection): { staffId: string | null; name: string | null; role: string | null; count: number }[] {
  const w = where(s, null);
  return statement<(string | number)[], { staffId: string | null; name: string | null; role: string | null; count: number }>(
    db,
    `SELECT g.staff_id AS staffId, s.name AS name, s.role AS role, g.n AS count
       FROM (SELECT a.staff_id, count(*) AS n FROM view_audit a WHERE ${w.sql} GROUP BY a.staff_id) g
       LEFT JOIN view_staff s ON s.id = g.staff_id
      ORDER BY g.n DESC, s.name`,
  ).all(...w.params);
}

/** Emergency (break-the-glass) readings in the selection, newest first, at most `limit`. */
export function auditEmergencies(db: Db, s: AuditSelection, limit: number): AuditRowView[] {
  const w = where(s, null);
  return statement<(string | number)[], AuditSql>(db, `${SELECT} WHERE ${w.sql} AND a.mode = 'emergency' ORDER BY a.at DESC, a.hash DESC LIMIT ?`)
    .all(...w.params, limit)
    .map(toRow);
}

/** How many readings of the selection were emergency (break-the-glass) accesses. */
export function auditEmergencyCount(db: Db, s: AuditSelection): number {
  const w = where(s, null);
  return (
    statement<(string | number)[], { n: number }>(db, `SELECT count(*) AS n FROM view_audit a WHERE ${w.sql} AND a.mode = 'emergency'`).get(
      ...w.params,
    )?.n ?? 0
  );
}

/** Every clinic this computer knows (its own and the trusted ones), for the report's clinic filter. */
export function auditClinics(db: Db): { id: string; name: string }[] {
  return statement<[], { id: string; name: string }>(db, 'SELECT id, name FROM view_clinic ORDER BY name, id').all();
}

/** The distinct patients the selection's rows name (their own streams), for recording an export's reading. */
export function auditPatients(db: Db, s: AuditSelection): string[] {
  const w = where(s, null);
  return statement<(string | number)[], { patient_id: string }>(
    db,
    `SELECT DISTINCT a.patient_id FROM view_audit a WHERE ${w.sql} AND a.patient_id IS NOT NULL ORDER BY a.patient_id`,
  )
    .all(...w.params)
    .map((r) => r.patient_id);
}

/** Rows of the given kinds in the selection, newest first, at most `limit` (reviews of emergency access, by kind name). */
export function auditRowsOfKinds(db: Db, s: AuditSelection, kinds: readonly string[], limit: number): AuditRowView[] {
  if (kinds.length === 0) return [];
  const w = where(s, null);
  return statement<(string | number)[], AuditSql>(
    db,
    `${SELECT} WHERE ${w.sql} AND a.kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY a.at DESC, a.hash DESC LIMIT ?`,
  )
    .all(...w.params, ...kinds, limit)
    .map((r) => toRow(r));
}
