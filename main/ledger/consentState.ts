import type { ConsentCategory } from '../../shared/ledger/kinds/consent.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { activeCategories, consentGeneration as consentRowsGeneration, consentRows, grantStates, patientHome } from '../views/consent.js';
import { erasureGeneration } from '../views/erasure.js';
import type { GrantState } from '../views/consent.js';
import { homeClinicId } from './home.js';

/**
 * One patient's consent as this ledger sees it (docs/architecture.md#consent): the patient's home
 * clinic and the grants of that clinic with what revocations left of them. Cached per database
 * until a consent entry is stored (sync asks for every row it considers sending).
 */
export interface PatientConsent {
  readonly home: string;
  readonly grants: readonly GrantState[];
}

const caches = new WeakMap<Db, { rowid: number; byPatient: Map<string, PatientConsent> }>();

export function patientConsent(db: Db, patientId: string): PatientConsent | null {
  const local = homeClinicId(db);
  if (local === null) return null;
  // Asked for every row sync considers sending: a prepared statement, not one prepared per call.
  const rowid = statement<[], { n: number | null }>(db, 'SELECT max(rowid) AS n FROM view_consent').get()?.n ?? 0;
  let cache = caches.get(db);
  if (cache?.rowid !== rowid) {
    cache = { rowid, byPatient: new Map() };
    caches.set(db, cache);
  }
  let state = cache.byPatient.get(patientId);
  if (!state) {
    const home = patientHome(db, patientId, local);
    state = { home, grants: grantStates(consentRows(db, patientId), home) };
    if (cache.byPatient.size > 10_000) cache.byPatient.clear();
    cache.byPatient.set(patientId, state);
  }
  return state;
}

/** The categories of the patient `clinic` may see at `now` by the home clinic's grants. */
export function categoriesFor(db: Db, patientId: string, clinic: string, now: number): Set<ConsentCategory> {
  const state = patientConsent(db, patientId);
  return state ? activeCategories(state.grants, clinic, now) : new Set();
}

/** Whether `clinic` was ever a grantee of the patient's home clinic (it then receives the consent stream). */
export function everGranted(db: Db, patientId: string, clinic: string): boolean {
  return patientConsent(db, patientId)?.grants.some((g) => g.row.clinic === clinic) ?? false;
}

/**
 * Changes whenever what enforceConsent acts on changes: a consent entry, a grant starting or
 * ending with time, or an erasure stored (docs/architecture.md#erasure).
 */
export function consentGeneration(db: Db, now: number): string {
  return `${consentRowsGeneration(db, now)}:${String(erasureGeneration(db))}`;
}
