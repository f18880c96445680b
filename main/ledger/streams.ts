import { createHash } from 'node:crypto';
import { canonicalBytes } from './crypto/index.js';

export type ClinicStreamPart = 'public' | 'private';

export function clinicStream(clinicId: string, part: ClinicStreamPart): string {
  return `c:${clinicId}/${part}`;
}

/** The clinic a `c:` stream belongs to, or null for a patient stream. */
export function clinicOfStream(stream: string): { clinicId: string; part: ClinicStreamPart } | null {
  const match = /^c:([0-9a-f]{64})\/(public|private)$/.exec(stream);
  if (!match?.[1] || !match[2]) return null;
  return { clinicId: match[1], part: match[2] as ClinicStreamPart };
}

/** The streams of one patient, each delivered on its own (docs/ledger-format.md, stream names). */
export type PatientCategory = 'profile' | 'schedule' | 'clinical' | 'consent' | 'access';

const PATIENT_ID = /^[0-9a-f]{32}$/;
const PATIENT_CATEGORIES: readonly string[] = ['profile', 'schedule', 'clinical', 'consent', 'access'] satisfies PatientCategory[];

export function isPatientCategory(part: string): part is PatientCategory {
  return PATIENT_CATEGORIES.includes(part);
}

/** The patient's stream of one category, `p:<patientId>/<category>`; the id must be 32 lowercase hex. */
export function patientStream(patientId: string, category: PatientCategory): string {
  if (!PATIENT_ID.test(patientId)) throw new RangeError(`not a patient id: ${JSON.stringify(patientId.slice(0, 40))}`);
  return `p:${patientId}/${category}`;
}

/** The patient a `p:` stream belongs to, or null for a clinic stream. */
export function patientOfStream(stream: string): string | null {
  return /^p:([0-9a-f]{32})\//.exec(stream)?.[1] ?? null;
}

const CLINIC_ID_PREFIX = Buffer.from('movelog/clinic/v1\0', 'latin1');

/**
 * A clinic's id: SHA-256("movelog/clinic/v1" ‖ 0x00 ‖ JCS({"founder": key, "nonce": nonce})),
 * lowercase hex. The genesis entry `clinic.created` carries the nonce in its body and the founder
 * is its author, so anyone can check that an id belongs to its founding device. (It cannot be the
 * hash of the genesis entry itself: that entry names its own stream, which contains the id.)
 */
export function clinicIdFor(founder: string, nonce: string): string {
  return createHash('sha256').update(CLINIC_ID_PREFIX).update(canonicalBytes({ founder, nonce })).digest('hex');
}
