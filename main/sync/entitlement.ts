import type { Db } from '../store/db.js';
import { clinicOfStream } from '../ledger/streams.js';

/**
 * Who a room's document reaches: the clinic's own devices (`trusted`: the clinics it trusts now),
 * or this clinic and one trusted clinic.
 */
export type Audience =
  | { readonly kind: 'clinic'; readonly clinicId: string; readonly trusted: ReadonlySet<string> }
  | { readonly kind: 'pair'; readonly clinicId: string; readonly peerClinicId: string };

/**
 * Whether entries of `stream` may go into a room with this audience (docs/architecture.md#entitlement: what crosses
 * a pair room). The single place that decides what leaves a device; the consent issue extends
 * the patient-stream branch (a patient's categories go to a clinic with an active consent).
 *
 * - A clinic's own devices are entitled to everything this device holds for that clinic, and to
 *   the public streams of the clinics it trusts (a device that is not in a pair room gets them
 *   from one that is).
 * - A trusted clinic gets this clinic's public stream (identity, devices, staff directory,
 *   checkpoints and their countersignatures), never the private one (sign-in verifiers, room
 *   secrets, refusals). Each clinic sends its own public stream into the pair room.
 * - Patient streams stay within the home clinic until consent exists.
 */
export function mayShare(_db: Db, stream: string, audience: Audience): boolean {
  const clinic = clinicOfStream(stream);
  if (audience.kind === 'clinic') {
    if (clinic === null || clinic.clinicId === audience.clinicId) return true;
    return clinic.part === 'public' && audience.trusted.has(clinic.clinicId);
  }
  if (clinic === null) return false;
  return clinic.part === 'public' && clinic.clinicId === audience.clinicId;
}
