import { canonicalBytes, isCanonicalBase64url, isHashHex } from './crypto/index.js';
import type { JsonValue } from './crypto/index.js';

/**
 * An entry exactly as signed (docs/ledger-format.md). Every field is always present; null where
 * empty. Integers only.
 */
export interface Entry {
  readonly v: 1;
  readonly stream: string;
  readonly author: string;
  readonly seq: number;
  readonly prev: string | null;
  readonly deps: readonly string[];
  readonly at: number;
  readonly by: string | null;
  readonly kind: string;
  readonly body: JsonValue;
}

export const ENTRY_FIELDS = ['v', 'stream', 'author', 'seq', 'prev', 'deps', 'at', 'by', 'kind', 'body'] as const;

/** Largest accepted entry, in canonical bytes; checked before parsing. */
export const MAX_ENTRY_BYTES = 256 * 1024;
/** Most `deps` an entry may carry (one per other author in the stream). */
export const MAX_DEPS = 256;

export const STREAM_PATTERN = /^(?:p:[0-9a-f]{32}\/(?:profile|schedule|clinical|consent|access)|c:[0-9a-f]{64}\/(?:public|private))$/;
const KIND_PATTERN = /^[a-z][a-z0-9]*(?:\.[a-z][a-z0-9]*)+$/;
const BY_PATTERN = /^[0-9a-f]{32}$/;

export class EntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntryError';
  }
}

/**
 * Checks that a parsed JSON value is an entry of format v1 and returns it typed. Throws EntryError
 * naming the first field that is wrong.
 */
export function validateEntry(value: JsonValue): Entry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EntryError('entry is not a JSON object');
  const keys = Object.keys(value);
  const missing = ENTRY_FIELDS.filter((f) => !Object.hasOwn(value, f));
  if (missing.length > 0) throw new EntryError(`entry lacks field(s) ${missing.join(', ')}`);
  const extra = keys.filter((k) => !(ENTRY_FIELDS as readonly string[]).includes(k));
  if (extra.length > 0) throw new EntryError(`entry has unknown field(s) ${extra.join(', ')}`);
  const { v, stream, author, seq, prev, deps, at, by, kind } = value as Record<string, JsonValue>;
  if (v !== 1) throw new EntryError('v must be 1');
  if (typeof stream !== 'string' || !STREAM_PATTERN.test(stream)) throw new EntryError('stream is not a valid stream name');
  if (typeof author !== 'string' || author.length !== 43 || !isCanonicalBase64url(author)) {
    throw new EntryError('author must be a 32-byte key in base64url without padding');
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) throw new EntryError('seq must be an integer ≥ 1');
  if (prev !== null && (typeof prev !== 'string' || !isHashHex(prev))) throw new EntryError('prev must be null or a lowercase hex SHA-256');
  if ((seq === 1) !== (prev === null)) throw new EntryError('prev must be null exactly when seq is 1');
  if (!Array.isArray(deps) || deps.length > MAX_DEPS) throw new EntryError(`deps must be an array of at most ${MAX_DEPS} hashes`);
  for (let i = 0; i < deps.length; i++) {
    const d = deps[i];
    if (typeof d !== 'string' || !isHashHex(d)) throw new EntryError('deps must hold lowercase hex SHA-256 hashes');
    const before = deps[i - 1];
    if (i > 0 && typeof before === 'string' && before >= d) throw new EntryError('deps must be sorted and without repeats');
  }
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0) throw new EntryError('at must be a non-negative integer (ms)');
  if (by !== null && (typeof by !== 'string' || !BY_PATTERN.test(by))) throw new EntryError('by must be null or a staff id');
  if (typeof kind !== 'string' || !KIND_PATTERN.test(kind)) throw new EntryError('kind is not a valid kind name');
  return value as unknown as Entry;
}

/** The canonical bytes of an entry (RFC 8785): what is hashed, signed and stored. */
export function encodeEntry(entry: Entry): Uint8Array {
  return canonicalBytes(entry as unknown as JsonValue);
}
