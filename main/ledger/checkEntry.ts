import { entryHash, parseCanonical, verifyEntrySignature } from './crypto/index.js';
import { validateEntry } from './entry.js';
import { clinicIdFor, clinicOfStream } from './streams.js';

/**
 * The per-entry part of verification that needs no other entry: canonical form, shape, hash and
 * signature. Runs on worker threads (it is most of the CPU); the ordered checks that need earlier
 * entries (local chain, author chains, deps) stay on the main thread.
 */
export interface EntryCheckItem {
  readonly bytes: Uint8Array;
  /** The hash stored or exported beside the bytes. */
  readonly hash: string;
  readonly sig: string;
}

export interface EntryCheckBatch {
  readonly id: number;
  readonly items: readonly EntryCheckItem[];
}

export type EntryCheckResult =
  | { readonly error: string }
  | {
      readonly error: null;
      readonly stream: string;
      readonly author: string;
      readonly seq: number;
      readonly kind: string;
      readonly prev: string | null;
      readonly deps: readonly string[];
    };

export function checkEntryBytes(item: EntryCheckItem): EntryCheckResult {
  let entry;
  try {
    entry = validateEntry(parseCanonical(item.bytes));
  } catch (error) {
    return { error: `entry is not a valid canonical entry: ${(error as Error).message}` };
  }
  const hash = entryHash(item.bytes);
  if (hash !== item.hash) return { error: `stored hash does not match the entry's bytes (recomputed ${hash})` };
  if (typeof item.sig !== 'string' || !verifyEntrySignature(entry.author, hash, item.sig)) return { error: 'signature does not verify' };
  if (entry.kind === 'clinic.created') {
    const nonce = (entry.body as { nonce?: unknown } | null)?.nonce;
    const clinic = clinicOfStream(entry.stream);
    if (typeof nonce !== 'string' || clinic?.part !== 'public' || clinicIdFor(entry.author, nonce) !== clinic.clinicId) {
      return { error: 'clinic.created is not in the public stream of the clinic id its founder and nonce derive' };
    }
  }
  return { error: null, stream: entry.stream, author: entry.author, seq: entry.seq, kind: entry.kind, prev: entry.prev, deps: entry.deps };
}
