import { CONSENT_CATEGORIES } from '../../shared/ledger/kinds/consent.js';
import type { ConsentCategory } from '../../shared/ledger/kinds/consent.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { ViewSet } from './support.js';

/**
 * Consent (docs/architecture.md#consent): one row per `consent.granted` / `consent.revoked`, with
 * the clear fields every device needs to enforce it, the entry's parents inside the consent stream
 * (prev and deps: the causal order the state rules need), and the sealed details as opened here
 * (null without the patient's key). Rows are only inserted: the state is computed from all of
 * them by `consentOf`, the same on every device whatever the delivery order.
 */
export const CONSENT_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_consent (
    hash          TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('granted', 'revoked')),
    author        TEXT NOT NULL,
    staff_id      TEXT,
    at            INTEGER NOT NULL,
    home          TEXT NOT NULL,
    clinic        TEXT NOT NULL,
    categories    TEXT NOT NULL,
    valid_from    INTEGER,
    until         INTEGER,
    grant_hash    TEXT,
    parents       TEXT NOT NULL,
    details       TEXT,
    height        INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_consent_patient ON view_consent (patient_id, height, hash);
  CREATE INDEX view_consent_clinic ON view_consent (clinic, kind, patient_id);
  CREATE INDEX view_consent_home ON view_consent (home, kind, patient_id);
  CREATE INDEX view_consent_until ON view_consent (until) WHERE until IS NOT NULL;
`,
  tables: [{ name: 'view_consent', key: 'hash', patient: 'patient_id = ?', sealed: ['details'] }],
};

export interface ConsentRow {
  readonly hash: string;
  readonly patientId: string;
  readonly kind: 'granted' | 'revoked';
  readonly author: string;
  readonly staffId: string | null;
  readonly at: number;
  readonly home: string;
  /** The grantee (of a grant) or the clinic whose access ends (of a revocation). */
  readonly clinic: string;
  readonly categories: readonly ConsentCategory[];
  readonly from: number | null;
  readonly until: number | null;
  readonly grant: string | null;
  /** prev and deps: the entries of the consent stream this one follows directly. */
  readonly parents: readonly string[];
  /** The opened details as JSON text, or null without the key. */
  readonly details: string | null;
  readonly height: number;
}

export function insertConsent(db: Db, r: ConsentRow): void {
  statement(
    db,
    `INSERT OR IGNORE INTO view_consent (hash, patient_id, kind, author, staff_id, at, home, clinic, categories, valid_from, until, grant_hash, parents, details, height)
     VALUES (@hash, @patientId, @kind, @author, @staffId, @at, @home, @clinic, @categories, @from, @until, @grant, @parents, @details, @height)`,
  ).run({ ...r, categories: r.categories.join(','), parents: JSON.stringify(r.parents) });
}

interface RawRow {
  hash: string;
  patientId: string;
  kind: 'granted' | 'revoked';
  author: string;
  staffId: string | null;
  at: number;
  home: string;
  clinic: string;
  categories: string;
  from: number | null;
  until: number | null;
  grant: string | null;
  parents: string;
  details: string | null;
  height: number;
}

const COLUMNS = `hash, patient_id AS patientId, kind, author, staff_id AS staffId, at, home, clinic, categories,
  valid_from AS "from", until, grant_hash AS "grant", parents, details, height`;

const toRow = (r: RawRow): ConsentRow => ({
  ...r,
  categories: r.categories.split(',').filter((c): c is ConsentCategory => (CONSENT_CATEGORIES as readonly string[]).includes(c)),
  parents: JSON.parse(r.parents) as string[],
});

/** Every consent entry of the patient, in canonical order (height, hash). */
export function consentRows(db: Db, patientId: string): ConsentRow[] {
  return statement<[string], RawRow>(db, `SELECT ${COLUMNS} FROM view_consent WHERE patient_id = ? ORDER BY height, hash`).all(patientId).map(toRow);
}

/**
 * The patient's home clinic as this ledger sees it (docs/architecture.md#consent): the grantor of
 * the first grant (canonical order) that names this ledger's own clinic `local`, else `local`.
 */
export function patientHome(db: Db, patientId: string, local: string): string {
  return (
    statement<[string, string], { home: string }>(
      db,
      "SELECT home FROM view_consent WHERE patient_id = ? AND kind = 'granted' AND clinic = ? ORDER BY height, hash LIMIT 1",
    ).get(patientId, local)?.home ?? local
  );
}

/** Whether a stored grant for the patient has `clinic` as its grantor or grantee (may write the patient's streams). */
export function consentNames(db: Db, patientId: string, clinic: string): boolean {
  return (
    statement(db, "SELECT 1 FROM view_consent WHERE patient_id = ? AND kind = 'granted' AND (home = ? OR clinic = ?) LIMIT 1").get(
      patientId,
      clinic,
      clinic,
    ) !== undefined
  );
}

/** A grant with what is left of it once revocations are applied (deny wins). */
export interface GrantState {
  readonly row: ConsentRow;
  /** The grant's categories that no revocation ended. */
  readonly standing: readonly ConsentCategory[];
  /** The revocations that ended some of its categories. */
  readonly revokedBy: readonly string[];
}

/**
 * The consent state of one patient (docs/architecture.md#consent), from its consent rows alone:
 * grants and revocations whose `home` is the patient's home `home`. A revocation ends a category
 * of a grant when it names the grant's clinic and that category (and the grant, or no grant in
 * particular) and is not in the grant's causal past: a revocation concurrent with or after a grant
 * wins (deny wins); a grant made after a revocation (the revocation is its ancestor) re-opens.
 * Pure: the same rows give the same state on every device.
 */
export function grantStates(rows: readonly ConsentRow[], home: string): GrantState[] {
  const byHash = new Map(rows.map((r) => [r.hash, r]));
  const ancestors = new Map<string, Set<string>>();
  const ancestorsOf = (hash: string): Set<string> => {
    const known = ancestors.get(hash);
    if (known) return known;
    // Iterative: a long consent history must not overflow the stack.
    const seen = new Set<string>();
    const stack = [...(byHash.get(hash)?.parents ?? [])];
    while (stack.length > 0) {
      const h = stack.pop() as string;
      if (seen.has(h)) continue;
      seen.add(h);
      const cached = ancestors.get(h);
      if (cached) for (const a of cached) seen.add(a);
      else stack.push(...(byHash.get(h)?.parents ?? []));
    }
    ancestors.set(hash, seen);
    return seen;
  };
  const revocations = rows.filter((r) => r.kind === 'revoked' && r.home === home);
  return rows
    .filter((r) => r.kind === 'granted' && r.home === home)
    .map((g) => {
      const before = ancestorsOf(g.hash);
      const ended = new Set<ConsentCategory>();
      const revokedBy: string[] = [];
      for (const r of revocations) {
        if (r.clinic !== g.clinic || (r.grant !== null && r.grant !== g.hash) || before.has(r.hash)) continue;
        const hits = r.categories.filter((c) => g.categories.includes(c));
        if (hits.length === 0) continue;
        for (const c of hits) ended.add(c);
        revokedBy.push(r.hash);
      }
      return { row: g, standing: g.categories.filter((c) => !ended.has(c)), revokedBy };
    });
}

/** Whether a grant is in force at `now`: standing categories, started, not ended. */
export function grantActive(g: GrantState, now: number): boolean {
  return g.standing.length > 0 && (g.row.from ?? 0) <= now && (g.row.until === null || now < g.row.until);
}

/** The categories `clinic` may see of the patient at `now`, by the grants of `home` in force. */
export function activeCategories(states: readonly GrantState[], clinic: string, now: number): Set<ConsentCategory> {
  const result = new Set<ConsentCategory>();
  for (const g of states) if (g.row.clinic === clinic && grantActive(g, now)) for (const c of g.standing) result.add(c);
  return result;
}

/** Patients with any consent entry. */
export function patientsWithConsent(db: Db): string[] {
  return statement<[], { id: string }>(db, 'SELECT DISTINCT patient_id AS id FROM view_consent ORDER BY patient_id')
    .all()
    .map((r) => r.id);
}

/** How many grants name `clinic` as grantee and have started by `now` (a new one makes sync rewind). */
export function grantsTo(db: Db, clinic: string, now: number): number {
  return (
    statement<[string, number], { n: number }>(
      db,
      "SELECT count(*) AS n FROM view_consent WHERE kind = 'granted' AND clinic = ? AND valid_from <= ?",
    ).get(clinic, now)?.n ?? 0
  );
}

/**
 * Changes whenever consent may have changed: a new consent entry, or a grant's end passing. Sync
 * compares it between steps to resend what a new grant allows and to withdraw what an ended one
 * no longer does (docs/architecture.md#consent-scoped-replication).
 */
export function consentGeneration(db: Db, now: number): string {
  const row = statement<[number, number], { n: number | null; ended: number; started: number }>(
    db,
    `SELECT (SELECT max(rowid) FROM view_consent) AS n,
            (SELECT count(*) FROM view_consent WHERE until IS NOT NULL AND until <= ?) AS ended,
            (SELECT count(*) FROM view_consent WHERE kind = 'granted' AND valid_from > ?) AS started`,
  ).get(now, now);
  return `${String(row?.n ?? 0)}:${String(row?.ended ?? 0)}:${String(row?.started ?? 0)}`;
}
