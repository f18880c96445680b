import { ApiFailure } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput, PatientSummary } from '../../shared/api/index.js';
import { CONSENT_CATEGORIES, StoredConsentDetails, StoredConsentRevocation } from '../../shared/ledger/kinds/consent.js';
import type { ConsentCategory } from '../../shared/ledger/kinds/consent.js';
import { enforceConsent } from '../ledger/consentLock.js';
import { categoriesFor, patientConsent } from '../ledger/consentState.js';
import { homeClinicId } from '../ledger/home.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Ledger } from '../ledger/ledger.js';
import { sealBody } from '../ledger/seal.js';
import type { SealingKey } from '../ledger/seal.js';
import { patientStream } from '../ledger/streams.js';
import type { Db } from '../store/db.js';
import { clinicName, clinicOfDevice, staffName } from '../views/clinic.js';
import { activeCategories, consentRows, grantActive, patientsWithConsent } from '../views/consent.js';
import type { GrantState } from '../views/consent.js';
import { findPatient } from '../views/patients.js';
import { trustList, trustState } from '../views/trust.js';
import type { CallContext } from './context.js';
import { assertNotErased } from './erased.js';
import { actingStaff, requireClinicId } from './guards.js';
import { requireCare } from './care.js';

export interface ConsentDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
  readonly now: () => number;
}

const ordered = (set: ReadonlySet<ConsentCategory>): ConsentCategory[] => CONSENT_CATEGORIES.filter((c) => set.has(c));

/** The latest end among the grants to `clinic` in force at `now` (null: one runs until revoked). */
function latestUntil(grants: readonly GrantState[], clinic: string, now: number): number | null {
  let until: number | null = 0;
  for (const g of grants) {
    if (g.row.clinic !== clinic || !grantActive(g, now)) continue;
    if (g.row.until === null) return null;
    until = Math.max(until, g.row.until);
  }
  return until;
}

/**
 * How a patient another clinic shares with this one is shared here (docs/architecture.md#consent):
 * null for the clinic's own patients.
 */
export function sharingOf(db: Db, patientId: string, now: number): PatientSummary['sharing'] {
  const local = homeClinicId(db);
  const consent = patientConsent(db, patientId);
  if (local === null || consent === null || consent.home === local) return null;
  const categories = activeCategories(consent.grants, local, now);
  return {
    homeClinicId: consent.home,
    homeClinicName: clinicName(db, consent.home),
    categories: ordered(categories),
    until: categories.size === 0 ? null : latestUntil(consent.grants, local, now),
    locked: categories.size === 0,
  };
}

/**
 * Refuses to show a shared patient's record once consent ended here, even in the moment before
 * the lock has destroyed the key (docs/architecture.md#revocation-that-holds).
 */
export function assertNotLocked(db: Db, keystore: Keystore, patientId: string, now: number): void {
  const sharing = sharingOf(db, patientId, now);
  if (sharing?.locked) {
    // Its end passed while no sync ran: lock it now rather than at the next sync step.
    if (keystore.hasKey(patientId)) enforceConsent(db, keystore, now);
    throw new ApiFailure(
      'forbidden',
      `${sharing.homeClinicName ?? 'The clinic that shared it'} no longer shares this record with this clinic: the patient's consent ended, so it is locked here.`,
    );
  }
}

function knownPatient(db: Db, patientId: string): void {
  if (!findPatient(db, patientId) && consentRows(db, patientId).length === 0) throw new ApiFailure('not_found', 'There is no such patient.');
}

export function getConsent(deps: ConsentDeps, input: CallParsedInput<'consent.get'>, ctx: CallContext): CallOutput<'consent.get'> {
  const db = deps.ledger.db;
  const local = requireClinicId(db);
  knownPatient(db, input.patientId);
  // The consent tab is part of the record: a clinician sees it within their care (docs/architecture.md#break-the-glass).
  // Without the key (a record locked here) only the clear fields that explain the lock are left to show.
  if (deps.keystore.hasKey(input.patientId)) requireCare(deps, input.patientId, ctx);
  const now = deps.now();
  const consent = patientConsent(db, input.patientId);
  const home = consent?.home ?? local;
  const grants = consent?.grants ?? [];
  const shared = home !== local;
  const byHash = new Map(grants.map((g) => [g.row.hash, g]));
  const grantees = shared ? [local] : [...new Set(grants.map((g) => g.row.clinic))];
  const access = grantees
    .map((clinic) => {
      const categories = activeCategories(grants, clinic, now);
      return { clinicId: clinic, clinicName: clinicName(db, clinic), categories: ordered(categories), until: latestUntil(grants, clinic, now) };
    })
    .filter((a) => a.categories.length > 0);
  const history = consentRows(db, input.patientId)
    .reverse()
    .map((r) => {
      const state = byHash.get(r.hash);
      const author = clinicOfDevice(db, r.author);
      const details = r.kind === 'granted' && r.details ? StoredConsentDetails.safeParse(JSON.parse(r.details)) : null;
      const reason = r.kind === 'revoked' && r.details ? StoredConsentRevocation.safeParse(JSON.parse(r.details)) : null;
      let status: 'active' | 'scheduled' | 'expired' | 'revoked' | null = null;
      if (state) {
        if (state.standing.length === 0) status = 'revoked';
        else if (state.row.until !== null && state.row.until <= now) status = 'expired';
        else if ((state.row.from ?? 0) > now) status = 'scheduled';
        else status = 'active';
      }
      return {
        hash: r.hash,
        kind: r.kind,
        at: r.at,
        staffName: r.staffId ? staffName(db, r.staffId) : null,
        recordedBy: author ? clinicName(db, author) : null,
        clinicId: r.clinic,
        clinicName: clinicName(db, r.clinic),
        categories: [...r.categories],
        from: r.from,
        until: r.until,
        grant: r.grant,
        details: details?.success ? details.data : null,
        reason: reason?.success ? reason.data.reason : null,
        status,
      };
    });
  return {
    patientId: input.patientId,
    homeClinicId: home,
    homeClinicName: clinicName(db, home),
    shared,
    locked: shared && categoriesFor(db, input.patientId, local, now).size === 0,
    access,
    history,
  };
}

/** The key new consent entries of the patient are sealed with; refuses when this computer has none. */
function sealingKey(deps: ConsentDeps, patientId: string): SealingKey {
  assertNotErased(deps.ledger.db, patientId);
  const key = deps.keystore.sealingKey(patientId);
  if (!key) throw new ApiFailure('forbidden', "This computer does not hold the key to this patient's record.");
  return key;
}

export function grantConsent(deps: ConsentDeps, input: CallParsedInput<'consent.grant'>, ctx: CallContext): CallOutput<'consent.grant'> {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const local = requireClinicId(db);
  const now = deps.now();
  if (!findPatient(db, input.patientId)) throw new ApiFailure('not_found', 'There is no such patient.');
  const consent = patientConsent(db, input.patientId);
  if (consent && consent.home !== local) {
    throw new ApiFailure(
      'forbidden',
      `Only ${clinicName(db, consent.home) ?? 'the patient’s home clinic'}, the patient's home clinic, can record their consent to share the record.`,
    );
  }
  if (trustState(db, local, input.grantee) !== 'trusted') {
    throw new ApiFailure('invalid_input', 'Choose a clinic this clinic trusts now (the Network page lists them).');
  }
  const from = input.from ?? now;
  if (input.until !== null && input.until <= Math.max(from, now)) {
    throw new ApiFailure('invalid_input', 'The end of sharing must be in the future and after its start.');
  }
  const key = sealingKey(deps, input.patientId);
  const stream = patientStream(input.patientId, 'consent');
  const details: StoredConsentDetails = { purpose: input.purpose, note: input.note, capture: input.capture };
  const entry = deps.ledger.append({
    stream,
    kind: 'consent.granted',
    by,
    body: {
      home: local,
      grantee: input.grantee,
      categories: input.categories,
      from,
      until: input.until,
      details: sealBody(key.key, stream, 'consent.granted', details, key.kid),
    },
  });
  return { hash: entry.hash };
}

export function revokeConsent(deps: ConsentDeps, input: CallParsedInput<'consent.revoke'>, ctx: CallContext): CallOutput<'consent.revoke'> {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const local = requireClinicId(db);
  const now = deps.now();
  knownPatient(db, input.patientId);
  const consent = patientConsent(db, input.patientId);
  const home = consent?.home ?? local;
  const grants = (consent?.grants ?? []).filter((g) => g.row.clinic === input.clinic);
  if (home !== local && input.clinic !== local) {
    throw new ApiFailure(
      'forbidden',
      "This clinic can withdraw only its own access to a record another clinic shares; the patient's home clinic records the rest.",
    );
  }
  if (grants.length === 0)
    throw new ApiFailure('invalid_input', `${clinicName(db, input.clinic) ?? 'That clinic'} has no consent for this patient to withdraw.`);
  if (input.grant !== null && !grants.some((g) => g.row.hash === input.grant)) {
    throw new ApiFailure('invalid_input', 'That consent is not one of this patient’s grants to that clinic.');
  }
  if (home !== local && categoriesFor(db, input.patientId, local, now).size === 0) {
    throw new ApiFailure('invalid_input', 'Consent has already ended here: the record is locked on this clinic’s computers.');
  }
  const key = sealingKey(deps, input.patientId);
  const stream = patientStream(input.patientId, 'consent');
  const entry = deps.ledger.append({
    stream,
    kind: 'consent.revoked',
    by,
    body: {
      home,
      clinic: input.clinic,
      categories: input.categories,
      grant: input.grant,
      details: sealBody(key.key, stream, 'consent.revoked', { reason: input.reason }, key.kid),
    },
  });
  // At once, not at the next sync step: the home clinic rotates the key, a grantee locks the record.
  enforceConsent(db, deps.keystore, now, input.patientId);
  return { hash: entry.hash };
}

export function consentSummary(deps: ConsentDeps): CallOutput<'consent.summary'> {
  const db = deps.ledger.db;
  const local = requireClinicId(db);
  const now = deps.now();
  const counts = new Map<string, { sharedWithThem: number; sharedWithUs: number }>();
  const count = (clinic: string) => {
    let c = counts.get(clinic);
    if (!c) counts.set(clinic, (c = { sharedWithThem: 0, sharedWithUs: 0 }));
    return c;
  };
  for (const patientId of patientsWithConsent(db)) {
    const consent = patientConsent(db, patientId);
    if (!consent) continue;
    if (consent.home === local) {
      const grantees = new Set(consent.grants.filter((g) => grantActive(g, now)).map((g) => g.row.clinic));
      for (const clinic of grantees) count(clinic).sharedWithThem += 1;
    } else if (activeCategories(consent.grants, local, now).size > 0) {
      count(consent.home).sharedWithUs += 1;
    }
  }
  return trustList(db, local)
    .filter((t) => t.state === 'trusted' || counts.has(t.peer))
    .map((t) => ({ clinicId: t.peer, clinicName: t.name, ...(counts.get(t.peer) ?? { sharedWithThem: 0, sharedWithUs: 0 }) }));
}
