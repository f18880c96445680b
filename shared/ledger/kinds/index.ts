import type { z } from 'zod';
import { careKinds, carePlaintexts } from './care.js';
import { clinicKinds } from './clinic.js';
import { consentKinds, consentPlaintexts } from './consent.js';
import { erasureKinds } from './erasure.js';
import { noteKinds, notePlaintexts } from './notes.js';
import { patientKinds, patientPlaintexts } from './patients.js';
import type { SealedBody } from './patients.js';
import { scheduleKinds, schedulePlaintexts } from './schedule.js';

/**
 * Entry kinds and their body schemas (docs/architecture.md#entry-kinds-and-rules), merged from one table per domain. A body is
 * checked against its kind's schema on ingest, before anything is stored; an entry of a kind
 * this build does not know is refused.
 */
export const ENTRY_BODIES = {
  ...clinicKinds,
  ...patientKinds,
  ...scheduleKinds,
  ...noteKinds,
  ...consentKinds,
  ...careKinds,
  ...erasureKinds,
} as const;

export type EntryKind = keyof typeof ENTRY_BODIES;
export type EntryBody<K extends EntryKind> = z.infer<(typeof ENTRY_BODIES)[K]>;

/**
 * The plaintext schema of every sealed kind (docs/architecture.md#stored-bodies): what a reducer
 * or a history reads once a body is opened. Shapes only, no transforms and no clock, so a stored
 * entry means the same whenever and wherever it is read.
 */
export const SEALED_PLAINTEXTS = {
  ...patientPlaintexts,
  ...schedulePlaintexts,
  ...notePlaintexts,
  ...consentPlaintexts,
  ...carePlaintexts,
} as const;

export type SealedKind = keyof typeof SEALED_PLAINTEXTS;
export type SealedPlaintext<K extends SealedKind> = z.infer<(typeof SEALED_PLAINTEXTS)[K]>;

/**
 * Kinds whose body is a SealedBody, or holds one as `details` (consent: clear fields for policy,
 * the rest sealed): each must have a plaintext schema (a missing one does not compile).
 */
type SealedBodyKind = {
  [K in EntryKind]: z.infer<(typeof ENTRY_BODIES)[K]> extends z.infer<typeof SealedBody>
    ? K
    : z.infer<(typeof ENTRY_BODIES)[K]> extends { details: z.infer<typeof SealedBody> }
      ? K
      : never;
}[EntryKind];
type Holds<T extends true> = T;
export type EverySealedKindHasAPlaintext = Holds<
  [SealedBodyKind] extends [SealedKind] ? ([SealedKind] extends [SealedBodyKind] ? true : false) : false
>;

export const ENTRY_KINDS = Object.keys(ENTRY_BODIES) as EntryKind[];

export function isEntryKind(kind: string): kind is EntryKind {
  return Object.hasOwn(ENTRY_BODIES, kind);
}

/** For exhaustive switches: a missing case is a compile error here. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${String(value)}`);
}
