import type { z } from 'zod';
import { clinicKinds } from './clinic.js';
import { noteKinds } from './notes.js';
import { patientKinds } from './patients.js';
import { scheduleKinds } from './schedule.js';

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
} as const;

export type EntryKind = keyof typeof ENTRY_BODIES;
export type EntryBody<K extends EntryKind> = z.infer<(typeof ENTRY_BODIES)[K]>;

export const ENTRY_KINDS = Object.keys(ENTRY_BODIES) as EntryKind[];

export function isEntryKind(kind: string): kind is EntryKind {
  return Object.hasOwn(ENTRY_BODIES, kind);
}

/** For exhaustive switches: a missing case is a compile error here. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${String(value)}`);
}
