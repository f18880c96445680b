import { ApiFailure } from '../../shared/api/index.js';
import type { CallParsedInput, PatientSummary } from '../../shared/api/index.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import { isLinked } from '../views/links.js';
import { findPatient } from '../views/patients.js';
import type { CallContext } from './context.js';
import { actingStaff } from './guards.js';
import { nowOf, requirePatientKey, summary } from './patients.js';
import type { PatientDeps } from './patients.js';

/** A patient's summary, or a refusal naming which of the two records is missing. */
function mustFind(deps: PatientDeps, patientId: string, which: string): PatientSummary {
  const row = findPatient(deps.ledger.db, patientId);
  if (!row) throw new ApiFailure('not_found', `There is no such patient (${which}).`);
  return summary(deps.ledger.db, row, nowOf(deps));
}

/**
 * The two records of a link (docs/architecture.md#linked-records): `patientId` must be this
 * clinic's own record, whose key this computer holds (the link is sealed in its profile stream),
 * and `otherPatientId` a record another clinic shares with this one. Whether they are the same
 * person is the user's judgement, made on the duplicate check.
 */
function linkPair(deps: PatientDeps, input: { patientId: string; otherPatientId: string }) {
  if (input.patientId === input.otherPatientId) throw new ApiFailure('invalid_input', 'A record cannot be linked with itself.');
  const own = mustFind(deps, input.patientId, "this clinic's record");
  const other = mustFind(deps, input.otherPatientId, "the other clinic's record");
  if (own.sharing !== null) {
    throw new ApiFailure(
      'invalid_input',
      "The first record is shared by another clinic, not this clinic's own. Open this clinic's record of the patient and link from there.",
    );
  }
  if (other.sharing === null) {
    throw new ApiFailure(
      'invalid_input',
      "Both records are this clinic's own. Links join this clinic's record with a record another clinic shares; two records of this clinic are duplicates to resolve here.",
    );
  }
  const key = requirePatientKey(deps, input.patientId);
  return { own, other, home: other.sharing.homeClinicId, homeName: other.sharing.homeClinicName, locked: other.sharing.locked, key };
}

/** Records that this clinic's own record and a shared record are the same person: a signed, sealed `patient.linked`. */
export function linkPatients(deps: PatientDeps, input: CallParsedInput<'patient.link'>, ctx: CallContext): PatientSummary {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  return db
    .transaction(() => {
      const pair = linkPair(deps, input);
      if (pair.locked) {
        throw new ApiFailure(
          'conflict',
          `${pair.homeName ?? 'The other clinic'} no longer shares this record with this clinic (consent has ended), so it cannot be linked.`,
        );
      }
      if (isLinked(db, input.patientId, input.otherPatientId)) {
        throw new ApiFailure('conflict', `These records are already linked.`);
      }
      deps.ledger.append(sealedDraft(pair.key, input.patientId, 'patient.linked', { other: input.otherPatientId, otherHome: pair.home }, by));
      return mustFind(deps, input.patientId, "this clinic's record");
    })
    .immediate();
}

/** Withdraws a link made by mistake: `patient.unlinked`, same stream and plaintext; the link stays in the ledger. */
export function unlinkPatients(deps: PatientDeps, input: CallParsedInput<'patient.unlink'>, ctx: CallContext): PatientSummary {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  return db
    .transaction(() => {
      const pair = linkPair(deps, input);
      if (!isLinked(db, input.patientId, input.otherPatientId)) throw new ApiFailure('conflict', 'These records are not linked.');
      deps.ledger.append(sealedDraft(pair.key, input.patientId, 'patient.unlinked', { other: input.otherPatientId, otherHome: pair.home }, by));
      return mustFind(deps, input.patientId, "this clinic's record");
    })
    .immediate();
}
