import type { Db } from '../store/db.js';
import { deletePatientDrafts } from '../store/drafts.js';
import { statement } from '../store/statements.js';
import { activeCategories } from '../views/consent.js';
import { patientsWithErasure } from '../views/erasure.js';
import { patientConsent } from './consentState.js';
import { isErased } from './erasure.js';
import { homeClinicId } from './home.js';
import type { Keystore } from './keystore.js';
import { rebuildPatient } from './rebuild.js';

export interface Enforced {
  /** Shared patients whose consent ended here: keys destroyed, views rebuilt without their plaintext. */
  readonly locked: string[];
  /** Own patients whose key was rotated because a grant ended. */
  readonly rotated: string[];
  /** Patients whose record was erased (docs/architecture.md#erasure): keys destroyed, views rebuilt without their plaintext. */
  readonly erased: string[];
}

/**
 * Makes this device's keys and views follow the consent state at `now`
 * (docs/architecture.md#revocation-that-holds):
 *
 * - A patient another clinic shared with this one, whose grants to this clinic all ended (revoked
 *   or past their end): every data key of the patient is destroyed and the views are rebuilt,
 *   so no plaintext of the patient is left in any table (with `secure_delete` on, SQLite zeroes
 *   the freed pages; the WAL is then checkpointed and truncated). The entries stay, sealed.
 * - A patient of this clinic one of whose grants ended since this device last made a key for
 *   them: the key is rotated, so what is written from now on is sealed under a key the clinic
 *   whose access ended never receives.
 * - A patient whose record was erased (docs/architecture.md#erasure), of this clinic or shared
 *   with it: every key is destroyed and the views rebuilt, as for a share that ended.
 * - In both cases the patient's drafts of notes on this computer, whoever wrote them, are deleted
 *   (docs/architecture.md#drafts).
 *
 * Cheap when nothing changed: it looks only at patients the consent entries name (`only`: one
 * patient, after a revocation recorded here).
 */
export function enforceConsent(db: Db, keystore: Keystore, now: number, only?: string): Enforced {
  const local = homeClinicId(db);
  const result: Enforced = { locked: [], rotated: [], erased: [] };
  if (local === null) return result;
  // One immediate transaction: the write lock is taken before anything is read, so a writer in
  // another process (the app beside `movelog sync`) makes this wait (busy_timeout), not fail.
  // With `only`, that one patient; the checks below decide as the lists' conditions would.
  const candidates = (list: () => { id: string }[]) => (only === undefined ? list().map((r) => r.id) : [only]);
  const run = () => {
    // An erased record (docs/architecture.md#erasure) loses every key the same way, whoever's
    // patient it is, and is neither locked nor rotated (no key is ever made for it again).
    for (const id of candidates(() => patientsWithErasure(db).map((p) => ({ id: p }))))
      if (keystore.hasKey(id) && isErased(db, id)) result.erased.push(id);
    const gone = new Set(result.erased);

    const shared = candidates(() =>
      statement<[string, string], { id: string }>(
        db,
        "SELECT DISTINCT patient_id AS id FROM view_consent WHERE kind = 'granted' AND clinic = ? AND home <> ?",
      ).all(local, local),
    );
    for (const id of shared) {
      const consent = patientConsent(db, id);
      if (!consent || consent.home === local || gone.has(id) || !keystore.hasKey(id)) continue;
      if (activeCategories(consent.grants, local, now).size === 0) result.locked.push(id);
    }

    const ended = candidates(() =>
      statement<[string, number], { id: string }>(
        db,
        "SELECT DISTINCT patient_id AS id FROM view_consent WHERE home = ? AND (kind = 'revoked' OR (until IS NOT NULL AND until <= ?))",
      ).all(local, now),
    );
    for (const id of ended) {
      const consent = patientConsent(db, id);
      if (!consent || consent.home !== local || gone.has(id) || !keystore.hasKey(id)) continue;
      const endedAt = lastEnd(db, id, now);
      const newest = keystore.newestKeyAt(id);
      if (endedAt !== null && newest !== null && newest <= endedAt) {
        // Stamped after the end, so a revocation dated ahead of this clock does not rotate again each time.
        keystore.rotate(id, Math.max(now, endedAt + 1));
        result.rotated.push(id);
      }
    }

    for (const id of [...result.locked, ...result.erased]) {
      keystore.destroyKey(id);
      // Drafts are sealed with the keys just destroyed: their rows go too (docs/architecture.md#drafts).
      deletePatientDrafts(db, id);
      rebuildPatient(db, keystore, id);
    }
  };
  if (db.inTransaction) run();
  else db.transaction(run).immediate();
  if (result.locked.length + result.erased.length > 0 && !db.inTransaction) db.pragma('wal_checkpoint(TRUNCATE)');
  return result;
}

/**
 * When the patient's latest ended grant ended: the time of the latest revocation that ended a grant,
 * or a grant's `until` once passed. Null when none has ended by `now`.
 */
function lastEnd(db: Db, patientId: string, now: number): number | null {
  const consent = patientConsent(db, patientId);
  if (!consent) return null;
  const revokedAt = new Map(
    statement<[string], { hash: string; at: number }>(db, "SELECT hash, at FROM view_consent WHERE patient_id = ? AND kind = 'revoked'")
      .all(patientId)
      .map((r) => [r.hash, r.at]),
  );
  let latest: number | null = null;
  for (const g of consent.grants) {
    for (const r of g.revokedBy) {
      // A revocation stamped ahead of this computer's clock counts from its own time.
      const at = revokedAt.get(r) ?? 0;
      if (latest === null || at > latest) latest = at;
    }
    if (g.row.until !== null && g.row.until <= now && (latest === null || g.row.until > latest)) latest = g.row.until;
  }
  return latest;
}
