import { z } from 'zod';

/**
 * Entry kinds and their body schemas (DESIGN.md §2). A body is checked against its kind's schema
 * on ingest, before anything is stored; an entry of a kind this build does not know is refused.
 */
const Name = z.string().min(1).max(120);
const Hex32 = z.string().regex(/^[0-9a-f]{32}$/);
const Key = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const ENTRY_BODIES = {
  /** Genesis of a clinic: seq 1 of `c:<clinicId>/public`; its author is the clinic's first device. */
  'clinic.created': z.strictObject({ name: Name, nonce: Hex32 }),
  /** A device joins the clinic (signed by one of its devices, `by` a manager). */
  'device.enrolled': z.strictObject({ device: Key, label: Name }),
  /** A staff member is added (public clinic stream: names and roles are a directory). */
  'staff.added': z.strictObject({
    staffId: Hex32,
    name: Name,
    role: z.enum(['manager', 'therapist', 'assistant', 'front_desk']),
    licence: z.string().max(60).nullable(),
  }),
  /** A staff member's sign-in verifier (private clinic stream only: it never leaves the clinic). */
  'staff.passphrase.set': z.strictObject({ staffId: Hex32, verifier: z.string().min(1).max(300) }),
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
