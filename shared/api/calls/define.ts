import type { z } from 'zod';
import type { Access } from '../roles.js';

/**
 * Whether a call returns patient data, and how its access entry is written
 * (docs/architecture.md#access-audit). Every call states it; a test over the table checks that no
 * call whose output names a patient says `null`, and that each reading call leaves its entry.
 *
 * - `null`: the reply carries no patient's identity or details.
 * - `service`: the service records the reading itself: opening one patient's record or notes
 *   appends a sealed `access.read` to the patient's access stream; a visit's history, whose reply
 *   does not name the patient, records `access.listed` for the visit's patient.
 * - `listed`: patients shown in a reply (a list, or one patient's data); the services table records
 *   an `access.listed` entry in the clinic's private stream naming `patients(output, input)`.
 * - `written`: the call signs entries in the patient's own streams (registering, booking, signing
 *   a note); those entries say who, and the reply only echoes what was written.
 */
export type PatientReads<I, O> =
  null | { readonly kind: 'service' } | { readonly kind: 'listed'; patients(output: O, input: I): readonly string[] } | { readonly kind: 'written' };

/** One call of the API: its input and output schemas and who may make it. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
  /** Whether the reply carries patient data and which access entry records that (see PatientReads). */
  readonly reads: PatientReads<z.output<I>, z.output<O>>;
  /** One line for people reading logs and the API reference. */
  readonly summary: string;
}

export function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}
