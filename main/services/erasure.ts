import { TZDate } from '@date-fns/tz';
import { addYears } from 'date-fns';
import { ApiFailure, DEFAULT_RETENTION_YEARS } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput, PatientSummary, Retention } from '../../shared/api/index.js';
import { nameTokens } from '../../shared/text.js';
import { wallClock } from '../../shared/time.js';
import { clinicTimeZone } from '../clinic/staffQueries.js';
import { enforceConsent } from '../ledger/consentLock.js';
import { newestClinicalEntryAt, patientErasure } from '../ledger/erasure.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Ledger } from '../ledger/ledger.js';
import { clinicStream, patientStream } from '../ledger/streams.js';
import type { Db } from '../store/db.js';
import { staffName } from '../views/clinic.js';
import { storedRetentionYears } from '../views/erasure.js';
import { findPatient } from '../views/patients.js';
import type { PatientRow } from '../views/patients.js';
import { sharingOf } from './consent.js';
import type { CallContext } from './context.js';
import { erasedOn } from './erased.js';
import { actingStaff, requireClinicId } from './guards.js';
import { summary } from './patients.js';

export interface ErasureDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
  readonly now: () => number;
}

/** The clinic's retention period (docs/architecture.md#erasure): as set, or the default until a manager sets one. */
export function retentionOf(db: Db): Retention {
  const years = storedRetentionYears(db, requireClinicId(db));
  return years === null ? { years: DEFAULT_RETENTION_YEARS, isDefault: true } : { years, isDefault: false };
}

export function setRetention(deps: ErasureDeps, input: CallParsedInput<'clinic.setRetention'>, ctx: CallContext): Retention {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const current = retentionOf(db);
  // Setting the value it has changes nothing, unless it was only the default: then it is now chosen.
  if (current.isDefault || current.years !== input.years)
    deps.ledger.append({ stream: clinicStream(requireClinicId(db), 'public'), kind: 'clinic.retention.set', by, body: { years: input.years } });
  return retentionOf(db);
}

/**
 * Until when the retention period keeps the record (docs/architecture.md#erasure): `years`
 * calendar years in the clinic's time zone after the newest clinical entry; null when nothing
 * blocks erasure at `now` (no period, no clinical entry, or the period has passed).
 */
function blockedUntil(db: Db, retention: Retention, newest: number | null, now: number): number | null {
  if (retention.years === 0 || newest === null) return null;
  const until = addYears(new TZDate(newest, clinicTimeZone(db)), retention.years).getTime();
  return now < until ? until : null;
}

/** Why this clinic may not erase a record (another clinic's patient), or null when it may. */
function refusalFor(db: Db, patientId: string, now: number): string | null {
  const sharing = sharingOf(db, patientId, now);
  if (sharing === null) return null;
  return `Only ${sharing.homeClinicName ?? 'the clinic that shares it'}, the patient's home clinic, can erase this record. This clinic can end its own access to it on the Consent tab: its computers then destroy the key.`;
}

function requirePatient(db: Db, patientId: string): PatientRow {
  const row = findPatient(db, patientId);
  if (!row) throw new ApiFailure('not_found', 'There is no such patient.');
  return row;
}

export function erasureStatus(deps: ErasureDeps, input: CallParsedInput<'patient.erasureStatus'>): CallOutput<'patient.erasureStatus'> {
  const db = deps.ledger.db;
  requirePatient(db, input.patientId);
  const now = deps.now();
  const erasure = patientErasure(db, input.patientId);
  const retention = retentionOf(db);
  const newest = newestClinicalEntryAt(db, input.patientId);
  return {
    erased: erasure && {
      at: erasure.at,
      requestedOn: erasure.requestedOn,
      receivedVia: erasure.receivedVia,
      override: erasure.override,
      byName: erasure.staffId ? staffName(db, erasure.staffId) : null,
    },
    refusal: erasure ? null : refusalFor(db, input.patientId, now),
    retention,
    newestClinicalAt: newest,
    blockedUntil: erasure ? null : blockedUntil(db, retention, newest, now),
  };
}

/**
 * Executes a patient's erasure request (docs/architecture.md#erasure): checks who may (a manager of
 * the patient's home clinic), the confirmation, the day of the request and the retention period;
 * signs `patient.erasure` in the patient's consent stream; then, on this computer at once, every
 * key of the patient is destroyed, the patient's rows are re-derived without it, and the WAL is
 * checkpointed (enforceConsent). The clinic's other computers and other clinics do the same when
 * the entry reaches them.
 */
export function erasePatient(deps: ErasureDeps, input: CallParsedInput<'patient.erase'>, ctx: CallContext): PatientSummary {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const home = requireClinicId(db);
  const now = deps.now();
  const zone = clinicTimeZone(db);
  const row = requirePatient(db, input.patientId);
  const earlier = patientErasure(db, input.patientId);
  if (earlier) throw new ApiFailure('conflict', `This record was already erased on ${erasedOn(db, earlier.at)}.`);
  const refusal = refusalFor(db, input.patientId, now);
  if (refusal) throw new ApiFailure('forbidden', refusal);

  const expected = row.familyName ?? input.patientId;
  const same = row.familyName === null ? input.confirm === input.patientId : nameTokens(input.confirm).join(' ') === nameTokens(expected).join(' ');
  if (!same || input.confirm === '') {
    throw new ApiFailure(
      'invalid_input',
      row.familyName === null
        ? "To confirm, type the record's id exactly as shown."
        : "To confirm, type the patient's family name exactly as the record shows it.",
    );
  }
  if (input.requestedOn > wallClock(now, zone).date)
    throw new ApiFailure('invalid_input', 'The day the request was received cannot be in the future.');

  const retention = retentionOf(db);
  const until = blockedUntil(db, retention, newestClinicalEntryAt(db, input.patientId), now);
  if (until !== null && input.overrideReason === null) {
    throw new ApiFailure(
      'conflict',
      `The clinic keeps records for ${String(retention.years)} years after the last clinical entry: this one is kept until ${wallClock(until, zone).date}. To erase it now, state why the retention period does not apply.`,
    );
  }

  deps.ledger.append({
    stream: patientStream(input.patientId, 'consent'),
    kind: 'patient.erasure',
    by,
    // The reason is kept only when it was needed: it is in clear, and says why the period was overridden.
    body: { home, requestedOn: input.requestedOn, receivedVia: input.receivedVia, override: until === null ? null : input.overrideReason },
  });
  // At once on this computer, not at the next sync step (docs/architecture.md#erasure).
  enforceConsent(db, deps.keystore, now, input.patientId);
  return summary(db, requirePatient(db, input.patientId), now);
}
