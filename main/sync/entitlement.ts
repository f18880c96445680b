import type { Db } from '../store/db.js';
import { categoriesFor, everGranted, patientConsent } from '../ledger/consentState.js';
import { clinicOfStream, isPatientCategory, patientOfStream } from '../ledger/streams.js';

/**
 * Who a room's document reaches: the clinic's own devices (`trusted`: the clinics it trusts now),
 * or this clinic and one trusted clinic.
 */
export type Audience =
  | { readonly kind: 'clinic'; readonly clinicId: string; readonly trusted: ReadonlySet<string> }
  | { readonly kind: 'pair'; readonly clinicId: string; readonly peerClinicId: string };

/**
 * Whether entries of `stream` may go into a room with this audience at `now`
 * (docs/architecture.md#entitlement, docs/architecture.md#consent-scoped-replication). The single
 * place that decides what leaves a device.
 *
 * - Clinic streams: a clinic's own devices get everything of the clinic and the public streams
 *   of the clinics it trusts; a trusted clinic gets this clinic's public stream, never the
 *   private one. Each clinic sends its own public stream into the pair room.
 * - A patient of this clinic: its own devices get every stream. A trusted clinic gets the
 *   patient's consent stream once it was ever a grantee (so it learns of a withdrawal), and a
 *   category while a grant covering it is in force.
 * - A patient another clinic shares with this one: everything goes back to that home clinic; to
 *   a third clinic only what the home clinic's grants allow it; to this clinic's other devices
 *   only while this clinic's own grant is in force (the consent stream always).
 */
export function mayShare(db: Db, stream: string, audience: Audience, now: number = Date.now()): boolean {
  const clinic = clinicOfStream(stream);
  if (clinic !== null) {
    if (audience.kind === 'clinic')
      return clinic.clinicId === audience.clinicId || (clinic.part === 'public' && audience.trusted.has(clinic.clinicId));
    return clinic.part === 'public' && clinic.clinicId === audience.clinicId;
  }
  const patientId = patientOfStream(stream);
  const category = stream.slice(stream.indexOf('/') + 1);
  if (patientId === null || !isPatientCategory(category)) return false;
  const consent = patientConsent(db, patientId);
  if (consent === null) return false;
  const own = consent.home === audience.clinicId;
  if (audience.kind === 'clinic') {
    if (own || category === 'consent') return true;
    return categoriesFor(db, patientId, audience.clinicId, now).has(category);
  }
  const peer = audience.peerClinicId;
  if (!own && consent.home === peer) return true;
  if (category === 'consent') return everGranted(db, patientId, peer);
  return categoriesFor(db, patientId, peer, now).has(category);
}
