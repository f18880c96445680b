import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { SEALED_PLAINTEXTS } from '../../shared/ledger/kinds/index.js';
import type { SealedKind, SealedPlaintext } from '../../shared/ledger/kinds/index.js';
import { SealedBody } from '../../shared/ledger/kinds/patients.js';
import { canonicalBytes, decodeBase64url, encodeBase64url, parseCanonical } from './crypto/index.js';
import type { JsonValue } from './crypto/index.js';
import type { Entry } from './entry.js';
import { patientOfStream } from './streams.js';

/**
 * Sealed bodies of patient-stream entries (docs/architecture.md#sealed-patient-bodies). Every patient entry's body is
 * encrypted from the very first one, with that patient's 32-byte data key:
 *
 *   body = { "sealed": "A256GCM", "iv": b64url(12 random bytes), "ct": b64url(ciphertext ‖ 16-byte tag), "kid": kidOf(key) }
 *   plaintext = JCS(real body); AAD = "movelog/seal/v1" ‖ 0x00 ‖ JCS({"kind": kind, "stream": stream})
 *
 * `kid` names which of the patient's keys sealed the body (docs/architecture.md#key-rotation); it is not in the
 * AAD, so bodies written before key ids existed (no `kid`) open as they always did, with the patient's original key.
 *
 * The entry hash covers the ciphertext, so the chain still verifies after the key is destroyed
 * (erasure). The AAD binds a body to its stream and kind: it cannot be replayed into another
 * patient's record or as another kind. AES-256-GCM is in node:crypto and in Electron's BoringSSL.
 */
export type SealedBody = z.infer<typeof SealedBody>;
export { SealedBody };

const AAD_PREFIX = Buffer.from('movelog/seal/v1\0', 'latin1');
const KID_PREFIX = Buffer.from('movelog/kid/v1\0', 'latin1');
export const DATA_KEY_BYTES = 32;

/**
 * A data key's id (docs/architecture.md#key-rotation): the first 8 bytes of
 * SHA-256("movelog/kid/v1" ‖ 0x00 ‖ key), as 16 lowercase hex characters.
 */
export function kidOf(key: Uint8Array): string {
  if (key.length !== DATA_KEY_BYTES) throw new RangeError('data key must be 32 bytes');
  return createHash('sha256').update(KID_PREFIX).update(key).digest().subarray(0, 8).toString('hex');
}

/** The key new entries of a patient are sealed with, and its id. */
export interface SealingKey {
  readonly key: Uint8Array;
  readonly kid: string;
}

/** A key with its id, for sealing. */
export function sealingKeyOf(key: Uint8Array): SealingKey {
  return { key, kid: kidOf(key) };
}

function aad(stream: string, kind: string): Buffer {
  return Buffer.concat([AAD_PREFIX, canonicalBytes({ kind, stream })]);
}

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/**
 * Encrypts `body` for `stream`/`kind` under a patient's data key. `kid`, when given, must be the
 * key's id (kidOf); every body Movelog writes now carries it. Without it the body reads as one
 * written before key ids, which only the patient's original key opens.
 */
export function sealBody(key: Uint8Array, stream: string, kind: string, body: JsonValue, kid?: string): SealedBody {
  if (key.length !== DATA_KEY_BYTES) throw new RangeError('data key must be 32 bytes');
  if (kid !== undefined && kid !== kidOf(key)) throw new RangeError('kid is not the id of this key');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(stream, kind));
  const ct = Buffer.concat([cipher.update(canonicalBytes(body)), cipher.final(), cipher.getAuthTag()]);
  const sealed: SealedBody = { sealed: 'A256GCM', iv: encodeBase64url(iv), ct: encodeBase64url(ct) };
  return kid === undefined ? sealed : { ...sealed, kid };
}

/** Decrypts and parses a sealed body; throws SealError when it was altered, moved, or the key is wrong. */
export function openBody(key: Uint8Array, stream: string, kind: string, sealed: SealedBody): JsonValue {
  if (key.length !== DATA_KEY_BYTES) throw new RangeError('data key must be 32 bytes');
  let data: Buffer;
  try {
    data = Buffer.from(decodeBase64url(sealed.ct));
  } catch {
    throw new SealError('sealed body is not valid base64url');
  }
  if (data.length < 16) throw new SealError('sealed body is too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, decodeBase64url(sealed.iv));
    decipher.setAAD(aad(stream, kind));
    decipher.setAuthTag(data.subarray(data.length - 16));
    const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
    return parseCanonical(plain);
  } catch {
    throw new SealError('sealed body does not open with this key (altered, moved, or another key)');
  }
}

/** Opens with `key`, or returns null when there is no key or the body does not open (for reducers and history). */
export function tryOpenBody(key: Uint8Array | null, stream: string, kind: string, sealed: SealedBody): JsonValue | null {
  if (!key) return null;
  try {
    return openBody(key, stream, kind, sealed);
  } catch {
    return null;
  }
}

/**
 * Where patients' data keys come from (the data directory's Keystore). Reducers get one
 * explicitly, or null on a database that has none (a scratch rebuild without the keystore): its
 * patients then read as unreadable records (docs/architecture.md#sealing).
 */
export interface PatientKeys {
  /**
   * The patient's key whose id is `kid`, or for `undefined` (a body written before key ids) the
   * patient's original key; null when this device does not hold it (docs/architecture.md#key-rotation).
   */
  keyById(patientId: string, kid: string | undefined): Buffer | null;
}

/**
 * Opens a sealed body and reads it with its kind's stored-body schema (shared/ledger/kinds):
 * null when there is no key, the body does not open, or the plaintext is not that shape.
 */
export function openPlaintext<K extends SealedKind>(key: Uint8Array | null, stream: string, kind: K, sealed: SealedBody): SealedPlaintext<K> | null {
  const plain = tryOpenBody(key, stream, kind, sealed);
  if (plain === null) return null;
  const parsed = SEALED_PLAINTEXTS[kind].safeParse(plain);
  return parsed.success ? (parsed.data as SealedPlaintext<K>) : null;
}

/** For reducers: an admitted entry's sealed body, opened with the patient's key its `kid` names (from `keys`), or null. */
export function openEntryBody<K extends SealedKind>(keys: PatientKeys | null, kind: K, entry: Entry, sealed: SealedBody): SealedPlaintext<K> | null {
  const patientId = patientOfStream(entry.stream);
  if (patientId === null || keys === null || entry.kind !== kind) return null;
  return openPlaintext(keys.keyById(patientId, sealed.kid), entry.stream, kind, sealed);
}

/** Opens a patient's sealed body read from `stream` with the key its `kid` names; null as openPlaintext. */
export function openStoredBody<K extends SealedKind>(
  keys: PatientKeys | null,
  patientId: string,
  stream: string,
  kind: K,
  sealed: SealedBody,
): SealedPlaintext<K> | null {
  return openPlaintext(keys?.keyById(patientId, sealed.kid) ?? null, stream, kind, sealed);
}
