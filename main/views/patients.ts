import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { OrderKey, ViewSet } from './support.js';

/** Patients' demographics and the name-search tokens (written by main/ledger/domains/patients.ts). */
export const PATIENT_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_patients (
    patient_id     TEXT PRIMARY KEY,
    readable       INTEGER NOT NULL,
    given          TEXT,
    family         TEXT,
    preferred      TEXT,
    dob            TEXT,
    phone          TEXT,
    phone_digits   TEXT,
    phone_rev      TEXT,
    details        TEXT,
    sort_name      TEXT NOT NULL,
    registered_at  INTEGER NOT NULL,
    v_height       INTEGER NOT NULL,
    v_hash         TEXT NOT NULL
  ) STRICT;
  -- Search (docs/architecture.md#patient-search): each index that can start a search carries
  -- (sort_name, patient_id), so candidates come in name order without reading their rows, and
  -- view_patients_match checks a candidate's date of birth and phone without reading its row.
  CREATE INDEX view_patients_dob ON view_patients (dob, sort_name, patient_id);
  CREATE INDEX view_patients_dob_day ON view_patients (substr(dob, 6), sort_name, patient_id);
  CREATE INDEX view_patients_phone ON view_patients (phone_digits, sort_name, patient_id);
  CREATE INDEX view_patients_phone_rev ON view_patients (phone_rev, sort_name, patient_id);
  CREATE INDEX view_patients_sort ON view_patients (sort_name, patient_id);
  CREATE INDEX view_patients_match ON view_patients (patient_id, dob, phone_digits, phone_rev);
  -- A name word with the date of birth: "tanaka 1986", the front desk's usual search, is one range.
  CREATE TABLE view_patient_tokens (
    token       TEXT NOT NULL,
    sort_name   TEXT NOT NULL,
    patient_id  TEXT NOT NULL,
    dob         TEXT,
    PRIMARY KEY (token, sort_name, patient_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX view_patient_tokens_patient ON view_patient_tokens (patient_id, token);
  CREATE INDEX view_patient_tokens_dob ON view_patient_tokens (token, dob);
`,
  tables: [
    {
      name: 'view_patients',
      key: 'patient_id',
      patient: 'patient_id = ?',
      sealed: ['readable', 'given', 'family', 'preferred', 'dob', 'phone', 'phone_digits', 'phone_rev', 'details', 'sort_name'],
    },
    { name: 'view_patient_tokens', key: 'token, sort_name, patient_id', patient: 'patient_id = ?', sealed: 'rows' },
  ],
};

/**
 * Who opened which patient's record, when and on which device (the access audit): `access.read`
 * in the patient's access stream, and one row per patient of each `access.listed` entry (a list
 * that showed them), indexed by patient and time (docs/architecture.md#access-audit).
 */
export const ACCESS_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_patient_access (
    hash          TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    staff_id      TEXT NOT NULL,
    device        TEXT NOT NULL,
    at            INTEGER NOT NULL,
    what          TEXT
  ) STRICT;
  CREATE INDEX view_patient_access_by_patient ON view_patient_access (patient_id, at);
  CREATE TABLE view_patient_listed (
    hash          TEXT NOT NULL,
    patient_id    TEXT NOT NULL,
    staff_id      TEXT NOT NULL,
    role          TEXT NOT NULL,
    device        TEXT NOT NULL,
    at            INTEGER NOT NULL,
    call          TEXT NOT NULL,
    mode          TEXT NOT NULL,
    PRIMARY KEY (patient_id, at, hash)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX view_patient_listed_at ON view_patient_listed (at, patient_id);
`,
  tables: [
    { name: 'view_patient_access', key: 'hash', patient: 'patient_id = ?', sealed: ['what'] },
    // From the clinic's private stream (access.listed), in clear: not re-derived per patient.
    { name: 'view_patient_listed', key: 'patient_id, at, hash' },
  ],
};

/** One patient as the views hold them; the name fields are null when this device cannot open the record. */
export interface PatientRow {
  readonly patientId: string;
  readonly readable: boolean;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly preferredName: string | null;
  readonly dateOfBirth: string | null;
  readonly phone: string | null;
  readonly registeredAt: number;
  /** The opened demographics as JSON (StoredPatientDetails), or null. */
  readonly details: string | null;
}

interface PatientSql {
  patient_id: string;
  readable: number;
  given: string | null;
  family: string | null;
  preferred: string | null;
  dob: string | null;
  phone: string | null;
  registered_at: number;
  details: string | null;
}

const COLUMNS = 'p.patient_id, p.readable, p.given, p.family, p.preferred, p.dob, p.phone, p.registered_at, p.details';

const toPatient = (r: PatientSql): PatientRow => ({
  patientId: r.patient_id,
  readable: r.readable === 1,
  givenName: r.given,
  familyName: r.family,
  preferredName: r.preferred,
  dateOfBirth: r.dob,
  phone: r.phone,
  registeredAt: r.registered_at,
  details: r.details,
});

// ------------------------------------------------------------------ writes (reducers)

/** The (height, hash) of the snapshot a patient's row holds, and when they were registered. */
export function patientVersion(db: Db, patientId: string): { height: number; hash: string; registeredAt: number } | null {
  return (
    statement<[string], { height: number; hash: string; registeredAt: number }>(
      db,
      'SELECT v_height AS height, v_hash AS hash, registered_at AS registeredAt FROM view_patients WHERE patient_id = ?',
    ).get(patientId) ?? null
  );
}

export function setRegisteredAt(db: Db, patientId: string, registeredAt: number): void {
  statement(db, 'UPDATE view_patients SET registered_at = ? WHERE patient_id = ?').run(registeredAt, patientId);
}

/** What a demographics snapshot puts in the views; `names` are the search tokens (empty when unreadable). */
export interface PatientSnapshot {
  readonly patientId: string;
  readonly readable: boolean;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly preferredName: string | null;
  readonly dateOfBirth: string | null;
  readonly phone: string | null;
  readonly phoneDigits: string | null;
  readonly details: string | null;
  readonly sortName: string;
  readonly registeredAt: number;
  readonly tokens: readonly string[];
}

/** Writes a snapshot (the caller has checked it is the latest by (height, hash)) and its search tokens. */
export function putPatientSnapshot(db: Db, p: PatientSnapshot, at: OrderKey): void {
  statement(
    db,
    `INSERT INTO view_patients (patient_id, readable, given, family, preferred, dob, phone, phone_digits, phone_rev, details, sort_name, registered_at, v_height, v_hash)
     VALUES (@patientId, @readable, @given, @family, @preferred, @dob, @phone, @digits, @rev, @details, @sort, @registeredAt, @height, @hash)
     ON CONFLICT (patient_id) DO UPDATE SET readable = excluded.readable, given = excluded.given, family = excluded.family,
       preferred = excluded.preferred, dob = excluded.dob, phone = excluded.phone, phone_digits = excluded.phone_digits, phone_rev = excluded.phone_rev,
       details = excluded.details, sort_name = excluded.sort_name, v_height = excluded.v_height, v_hash = excluded.v_hash`,
  ).run({
    patientId: p.patientId,
    readable: p.readable ? 1 : 0,
    given: p.givenName,
    family: p.familyName,
    preferred: p.preferredName,
    dob: p.dateOfBirth,
    phone: p.phone,
    digits: p.phoneDigits,
    // Reversed digits: "ends with" becomes an indexed prefix range (searchPatientsWhere).
    rev: p.phoneDigits?.split('').reverse().join('') ?? null,
    details: p.details,
    sort: p.sortName,
    registeredAt: p.registeredAt,
    height: at.height,
    hash: at.hash,
  });
  statement(db, 'DELETE FROM view_patient_tokens WHERE patient_id = ?').run(p.patientId);
  const insert = statement(db, 'INSERT OR IGNORE INTO view_patient_tokens (token, sort_name, patient_id, dob) VALUES (?, ?, ?, ?)');
  for (const token of p.tokens) insert.run(token, p.sortName, p.patientId, p.dateOfBirth);
}

/** One reading of a patient's record; `what` is null when this device cannot open the sealed body. */
export function insertPatientAccess(
  db: Db,
  a: { hash: string; patientId: string | null; staffId: string | null; device: string; at: number; what: string | null },
): void {
  statement(db, 'INSERT OR IGNORE INTO view_patient_access (hash, patient_id, staff_id, device, at, what) VALUES (?, ?, ?, ?, ?, ?)').run(
    a.hash,
    a.patientId,
    a.staffId,
    a.device,
    a.at,
    a.what,
  );
}

/** The patients one `access.listed` entry names, one row each. */
export function insertPatientsListed(
  db: Db,
  a: { hash: string; patients: readonly string[]; staffId: string; role: string; device: string; at: number; call: string; mode: string },
): void {
  const insert = statement(
    db,
    'INSERT OR IGNORE INTO view_patient_listed (hash, patient_id, staff_id, role, device, at, call, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const patientId of a.patients) insert.run(a.hash, patientId, a.staffId, a.role, a.device, a.at, a.call, a.mode);
}

// ------------------------------------------------------------------ reads

/** One line of a patient's accounting of access (docs/architecture.md#the-patients-accounting). */
export interface AccountingAccessRow {
  readonly at: number;
  readonly hash: string;
  readonly staffName: string | null;
  readonly role: string | null;
  /** The clinic of the computer that recorded it (or of the staff member when the computer is unknown here). */
  readonly clinicId: string | null;
  readonly clinicName: string | null;
  /** 'profile' / 'clinical' (null without the key), or 'listed'. */
  readonly what: string | null;
  /** Of a list: the call that showed the patient. */
  readonly call: string | null;
  /** 'ordinary' / 'emergency' (break-the-glass). */
  readonly mode: string;
  /** Of an emergency reading: the reason given (docs/architecture.md#break-the-glass). */
  readonly reason: string | null;
}

/**
 * Every reading of the patient's record (the access stream, from any clinic that holds it) and
 * every list that showed them here (this clinic's private stream), in [from, to), oldest first.
 */
export function patientAccountingAccess(db: Db, patientId: string, from: number, to: number): AccountingAccessRow[] {
  return statement<[string, number, number, string, number, number], AccountingAccessRow>(
    db,
    `SELECT a.at, a.hash, s.name AS staffName, s.role, coalesce(d.clinic_id, s.clinic_id) AS clinicId, c.name AS clinicName,
            a.what, NULL AS call, CASE WHEN e.hash IS NULL THEN 'ordinary' ELSE 'emergency' END AS mode, e.reason
       FROM view_patient_access a LEFT JOIN view_staff s ON s.id = a.staff_id LEFT JOIN view_devices d ON d.key = a.device
            LEFT JOIN view_clinic c ON c.id = coalesce(d.clinic_id, s.clinic_id) LEFT JOIN view_emergency_access e ON e.hash = a.hash
      WHERE a.patient_id = ? AND a.at >= ? AND a.at < ?
     UNION ALL
     SELECT l.at, l.hash, s.name AS staffName, l.role, coalesce(d.clinic_id, s.clinic_id) AS clinicId, c.name AS clinicName,
            'listed' AS what, l.call, l.mode, NULL AS reason
       FROM view_patient_listed l LEFT JOIN view_staff s ON s.id = l.staff_id LEFT JOIN view_devices d ON d.key = l.device
            LEFT JOIN view_clinic c ON c.id = coalesce(d.clinic_id, s.clinic_id)
      WHERE l.patient_id = ? AND l.at >= ? AND l.at < ?
      ORDER BY at, hash`,
  ).all(patientId, from, to, patientId, from, to);
}

export function patientExists(db: Db, patientId: string): boolean {
  return statement(db, 'SELECT 1 FROM view_patients WHERE patient_id = ?').get(patientId) !== undefined;
}

export function findPatient(db: Db, patientId: string): PatientRow | null {
  const row = statement<[string], PatientSql>(db, `SELECT ${COLUMNS} FROM view_patients p WHERE p.patient_id = ?`).get(patientId);
  return row ? toPatient(row) : null;
}

/** Every patient born on `isoDate` (YYYY-MM-DD), unordered. */
export function patientsBornOn(db: Db, isoDate: string): PatientRow[] {
  return statement<[string], PatientSql>(db, `SELECT ${COLUMNS} FROM view_patients p WHERE p.dob = ?`).all(isoDate).map(toPatient);
}

/** Patients whose phone digits (7 or more) end with `digits`, or are the end of them. */
export function patientsWithPhoneLike(db: Db, digits: string): PatientRow[] {
  return statement<[string, string], PatientSql>(
    db,
    `SELECT ${COLUMNS} FROM view_patients p WHERE length(p.phone_digits) >= 7 AND (p.phone_digits LIKE '%' || ? OR ? LIKE '%' || p.phone_digits)`,
  )
    .all(digits, digits)
    .map(toPatient);
}

/** The first `limit` patients by sort name. */
export function firstPatients(db: Db, limit: number): PatientRow[] {
  return statement<[number], PatientSql>(db, `SELECT ${COLUMNS} FROM view_patients p ORDER BY p.sort_name, p.patient_id LIMIT ?`)
    .all(limit)
    .map(toPatient);
}

/**
 * One condition of a patient search (docs/architecture.md#patient-search); a search matches the
 * patients who meet all of its conditions.
 */
export type PatientFilter =
  /** A name word equal to `word` (exact) or starting with it. */
  | { readonly kind: 'nameWord'; readonly word: string; readonly exact: boolean }
  | { readonly kind: 'born'; readonly date: string }
  /** Born from `from` (inclusive) to `to` (exclusive), both YYYY-MM-DD or a prefix of one. */
  | { readonly kind: 'bornBetween'; readonly from: string; readonly to: string }
  /** Born on this MM-DD of any year. */
  | { readonly kind: 'bornOnDay'; readonly monthDay: string }
  /** Phone digits that start or end with `digits`. */
  | { readonly kind: 'phone'; readonly digits: string }
  | { readonly kind: 'either'; readonly of: readonly PatientFilter[] };

/**
 * Where a search can take its candidates from: one range of a covering index that yields
 * `d.patient_id` and `d.sort_name`. An equality range yields them in name order (every such index
 * carries the sort name after its key), so a search started there can stop at `limit` matches.
 */
interface Arm {
  /** The table (aliased d, with the index to use) and the condition on it. */
  readonly from: string;
  readonly where: string;
  readonly params: readonly unknown[];
  readonly ordered: boolean;
  /** The range may give a patient twice (two name words that start alike: "ma" → maria, majo). */
  readonly repeats: boolean;
  /** A date-of-birth arm: its condition with `$.` before the column, which a name word's arm can take on (withBirth). */
  readonly dob?: { readonly condition: string; readonly params: readonly unknown[]; readonly equal: boolean };
  /** A name word's arm: its condition on view_patient_tokens with `$.` before the column. */
  readonly word?: { readonly condition: string; readonly params: readonly unknown[]; readonly exact: boolean };
}

/** A filter as SQL: where its candidates are, and the check of a candidate `d` found elsewhere (a covering-index probe by patient id). */
interface CompiledFilter {
  readonly arms: readonly Arm[];
  readonly check: string;
  readonly checkParams: readonly unknown[];
}

/** Above every character a name word can hold: [x, x + this) is "starts with x". */
const AFTER = '\u{10FFFF}';

/** A condition on view_patients' date of birth or phone digits, written with `$.` before each column. */
function onPatientRow(index: string, condition: string, params: readonly unknown[], ordered: boolean, dob = false): CompiledFilter {
  const columns = (alias: string) => condition.replaceAll('$.', alias);
  return {
    arms: [
      {
        from: `view_patients d INDEXED BY ${index}`,
        where: columns('d.'),
        params,
        ordered,
        repeats: false,
        ...(dob ? { dob: { condition, params, equal: ordered } } : {}),
      },
    ],
    check: `EXISTS (SELECT 1 FROM view_patients x INDEXED BY view_patients_match WHERE x.patient_id = d.patient_id AND ${columns('x.')})`,
    checkParams: params,
  };
}

/** Any of `parts`: their arms together, and a check that passes when one of theirs does. */
function either(parts: readonly CompiledFilter[]): CompiledFilter {
  return {
    arms: parts.flatMap((c) => c.arms),
    check: `(${parts.map((c) => c.check).join(' OR ')})`,
    checkParams: parts.flatMap((c) => c.checkParams),
  };
}

/** A name word that starts this many different words or fewer is searched as each of them (ordered arms). */
const MAX_WORDS_OF_PREFIX = 16;

/** The different name words that start with `prefix`, or null when there are more than `max`: one index seek each. */
function wordsStartingWith(db: Db, prefix: string, max: number): string[] | null {
  const next = statement<[string, string, string], { token: string }>(
    db,
    'SELECT token FROM view_patient_tokens WHERE token >= ? AND token > ? AND token < ? ORDER BY token LIMIT 1',
  );
  const words: string[] = [];
  // The next seek starts after the last word's entries (`token > ?` compares the word, not the entry).
  for (let row = next.get(prefix, '', `${prefix}${AFTER}`); row; row = next.get(prefix, row.token, `${prefix}${AFTER}`)) {
    if (words.length === max) return null;
    words.push(row.token);
  }
  return words;
}

function compileFilter(db: Db, f: PatientFilter, maxWords: number): CompiledFilter {
  switch (f.kind) {
    case 'nameWord': {
      const exactWord = (word: string): CompiledFilter => ({
        arms: [
          {
            from: 'view_patient_tokens d',
            where: 'd.token = ?',
            params: [word],
            ordered: true,
            repeats: false,
            word: { condition: '$.token = ?', params: [word], exact: true },
          },
        ],
        check:
          'EXISTS (SELECT 1 FROM view_patient_tokens t INDEXED BY view_patient_tokens_patient WHERE t.patient_id = d.patient_id AND t.token = ?)',
        checkParams: [word],
      });
      if (f.exact) return exactWord(f.word);
      const range = [f.word, `${f.word}${AFTER}`];
      const check = {
        check:
          'EXISTS (SELECT 1 FROM view_patient_tokens t INDEXED BY view_patient_tokens_patient WHERE t.patient_id = d.patient_id AND t.token >= ? AND t.token < ?)',
        checkParams: range,
      };
      const words = wordsStartingWith(db, f.word, maxWords);
      if (words !== null) return { ...check, arms: words.flatMap((w) => exactWord(w).arms) };
      return {
        ...check,
        arms: [{ from: 'view_patient_tokens d', where: 'd.token >= ? AND d.token < ?', params: range, ordered: false, repeats: true }],
      };
    }
    case 'born':
      return onPatientRow('view_patients_dob', '$.dob = ?', [f.date], true, true);
    case 'bornBetween':
      return onPatientRow('view_patients_dob', '$.dob >= ? AND $.dob < ?', [f.from, f.to], false, true);
    case 'bornOnDay':
      // The same expression as the index view_patients_dob_day, so that the index serves it.
      return onPatientRow('view_patients_dob_day', 'substr($.dob, 6) = ?', [f.monthDay], true);
    case 'phone': {
      // Reversed digits: "ends with" becomes an indexed range, like "starts with" (putPatientSnapshot).
      const reversed = f.digits.split('').reverse().join('');
      return either([
        onPatientRow('view_patients_phone', '$.phone_digits >= ? AND $.phone_digits < ?', [f.digits, `${f.digits}:`], false),
        onPatientRow('view_patients_phone_rev', '$.phone_rev >= ? AND $.phone_rev < ?', [reversed, `${reversed}:`], false),
      ]);
    }
    case 'either':
      return either(f.of.map((g) => compileFilter(db, g, maxWords)));
  }
}

/**
 * A name word and a date of birth together: `name`'s word arms take on each date arm of `born`
 * (one range of view_patient_tokens_dob each), `born`'s other arms (phone digits) stay as they
 * are, and the check is both checks. Null when there is nothing to fold.
 */
function withBirth(name: CompiledFilter, born: CompiledFilter): CompiledFilter | null {
  const words = name.arms.flatMap((a) => (a.word ? [a.word] : []));
  const dates = born.arms.flatMap((a) => (a.dob ? [a.dob] : []));
  if (words.length !== name.arms.length || dates.length === 0) return null;
  const folded = words.flatMap((w) =>
    dates.map((d): Arm => ({
      from: 'view_patient_tokens d INDEXED BY view_patient_tokens_dob',
      where: `${w.condition} AND ${d.condition}`.replaceAll('$.', 'd.'),
      params: [...w.params, ...d.params],
      // (token, dob) equal: the entries come in name order.
      ordered: w.exact && d.equal,
      repeats: !w.exact,
    })),
  );
  return {
    arms: [...folded, ...born.arms.filter((a) => !a.dob)],
    check: `${name.check} AND ${born.check}`,
    checkParams: [...name.checkParams, ...born.checkParams],
  };
}

/**
 * How many index entries a filter's arms hold, counted no further than `cap` in all: an index-only
 * count, so the cost of choosing is bounded whatever the clinic's size.
 */
function countUpTo(db: Db, arms: readonly Arm[], cap: number): number {
  let n = 0;
  for (const arm of arms) {
    if (n >= cap) break;
    n +=
      statement<unknown[], { n: number }>(db, `SELECT count(*) AS n FROM (SELECT 1 FROM ${arm.from} WHERE ${arm.where} LIMIT ?)`).get(
        ...arm.params,
        cap - n,
      )?.n ?? 0;
  }
  return n;
}

/**
 * At this many index entries a filter is too broad to gather and sort: the search then takes an
 * ordered filter's candidates in name order, or walks the name index, and stops at `limit`
 * matches, which is quick precisely because so many match.
 */
const BROAD = 5_000;

/**
 * The ids of the first `limit` patients, in name order, who meet every filter (docs/architecture.md#patient-search).
 * `plan` changes the thresholds below (and can keep a date of birth apart from the name words),
 * for tests that compare the plans.
 * Each filter's candidates are counted first, no further than `broad`. The search starts from the
 * filter with the fewest (an ordered one when all are broad; the name index when none is
 * ordered), checks the other filters on each candidate through covering indexes and merges its
 * arms in name order, never reading a patient's row (the caller reads those it shows). The query's shape depends on the
 * filters, so it is prepared per search (tens of microseconds) rather than cached.
 */
export function searchPatientIds(
  db: Db,
  filters: readonly PatientFilter[],
  limit: number,
  plan: { readonly broad?: number; readonly maxWords?: number; readonly fold?: boolean } = {},
): string[] {
  const { broad = BROAD, maxWords = MAX_WORDS_OF_PREFIX, fold = true } = plan;
  if (filters.length === 0)
    return statement<[number], { id: string }>(
      db,
      'SELECT patient_id AS id FROM view_patients INDEXED BY view_patients_sort ORDER BY sort_name, patient_id LIMIT ?',
    )
      .all(limit)
      .map((r) => r.id);
  let compiled = filters.map((f) => compileFilter(db, f, maxWords));
  // Fold the first date of birth into the first name word that can take it.
  const born = compiled.find((c) => c.arms.some((a) => a.dob));
  const name = compiled.find((c) => c !== born && c.arms.every((a) => a.word));
  const folded = born && name && fold ? withBirth(name, born) : null;
  if (folded) compiled = [folded, ...compiled.filter((c) => c !== born && c !== name)];
  const counts = compiled.map((c) => countUpTo(db, c.arms, broad));
  const least = Math.min(...counts);
  if (least === 0) return [];
  const start = least < broad ? compiled[counts.indexOf(least)] : compiled.find((c) => c.arms.every((a) => a.ordered));
  const checks = compiled.filter((c) => c !== start);
  const arms: readonly Arm[] = start?.arms ?? [
    { from: 'view_patients d INDEXED BY view_patients_sort', where: '1', params: [], ordered: true, repeats: false },
  ];
  const where = ['', ...checks.map((c) => c.check)].join(' AND ');
  // One SELECT per arm; as a compound with ORDER BY, SQLite merges ordered arms and drops repeats (UNION).
  const sql =
    arms
      .map(
        (a) =>
          `SELECT ${a.repeats && arms.length === 1 ? 'DISTINCT ' : ''}d.patient_id AS id, d.sort_name AS name FROM ${a.from} WHERE ${a.where}${where}`,
      )
      .join(' UNION ') + ' ORDER BY name, id LIMIT ?';
  const params = arms.flatMap((a) => [...a.params, ...checks.flatMap((c) => c.checkParams)]);
  return db
    .prepare<unknown[], { id: string }>(sql)
    .all(...params, limit)
    .map((r) => r.id);
}

export interface AccessLogRow {
  readonly at: number;
  readonly staffName: string | null;
  readonly role: string | null;
  readonly device: string | null;
  /** `access.read`'s opened `what` (null without the key), or 'listed' for a list that showed the patient. */
  readonly what: string | null;
  /** Of a list: the call that listed them; null for `access.read`. */
  readonly call: string | null;
  readonly mode: string;
  /** Of an emergency access (docs/architecture.md#break-the-glass): the reason given, and a manager's verdict once reviewed. */
  readonly reason: string | null;
  readonly verdict: string | null;
}

/**
 * Who opened the patient's record or saw them in a list, and what they read, newest first (at
 * most 500), optionally within [from, to).
 */
export function patientAccessLog(db: Db, patientId: string, from = 0, to = Number.MAX_SAFE_INTEGER): AccessLogRow[] {
  return statement<[string, number, number, string, number, number], AccessLogRow>(
    db,
    `SELECT * FROM (
       SELECT a.at, a.hash, s.name AS staffName, s.role, d.label AS device, a.what, NULL AS call,
              CASE WHEN e.hash IS NULL THEN 'ordinary' ELSE 'emergency' END AS mode, e.reason, r.verdict
         FROM view_patient_access a LEFT JOIN view_staff s ON s.id = a.staff_id LEFT JOIN view_devices d ON d.key = a.device
         LEFT JOIN view_emergency_access e ON e.hash = a.hash LEFT JOIN view_emergency_reviews r ON r.access_hash = a.hash
        WHERE a.patient_id = ? AND a.at >= ? AND a.at < ?
       UNION ALL
       SELECT l.at, l.hash, s.name AS staffName, l.role, d.label AS device, 'listed' AS what, l.call, l.mode, NULL AS reason, NULL AS verdict
         FROM view_patient_listed l LEFT JOIN view_staff s ON s.id = l.staff_id LEFT JOIN view_devices d ON d.key = l.device
        WHERE l.patient_id = ? AND l.at >= ? AND l.at < ?)
      ORDER BY at DESC, hash LIMIT 500`,
  )
    .all(patientId, from, to, patientId, from, to)
    .map(({ at, staffName, role, device, what, call, mode, reason, verdict }) => ({
      at,
      staffName,
      role,
      device,
      what,
      call,
      mode,
      reason,
      verdict,
    }));
}
