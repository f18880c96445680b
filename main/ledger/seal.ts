import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { SealedBody } from '../../shared/ledger/kinds/patients.js';
import { canonicalBytes, decodeBase64url, encodeBase64url, parseCanonical } from './crypto/index.js';
import type { JsonValue } from './crypto/index.js';

/**
 * Sealed bodies of patient-stream entries (docs/architecture.md#sealed-patient-bodies). Every patient entry's body is
 * encrypted from the very first one, with that patient's 32-byte data key:
 *
 *   body = { "sealed": "A256GCM", "iv": b64url(12 random bytes), "ct": b64url(ciphertext ‖ 16-byte tag) }
 *   plaintext = JCS(real body); AAD = "movelog/seal/v1" ‖ 0x00 ‖ JCS({"kind": kind, "stream": stream})
 *
 * The entry hash covers the ciphertext, so the chain still verifies after the key is destroyed
 * (erasure). The AAD binds a body to its stream and kind: it cannot be replayed into another
 * patient's record or as another kind. AES-256-GCM is in node:crypto and in Electron's BoringSSL.
 */
export type SealedBody = z.infer<typeof SealedBody>;
export { SealedBody };

const AAD_PREFIX = Buffer.from('movelog/seal/v1\0', 'latin1');
export const DATA_KEY_BYTES = 32;

function aad(stream: string, kind: string): Buffer {
  return Buffer.concat([AAD_PREFIX, canonicalBytes({ kind, stream })]);
}

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/** Encrypts `body` for `stream`/`kind` under a patient's data key. */
export function sealBody(key: Uint8Array, stream: string, kind: string, body: JsonValue): SealedBody {
  if (key.length !== DATA_KEY_BYTES) throw new RangeError('data key must be 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(stream, kind));
  const ct = Buffer.concat([cipher.update(canonicalBytes(body)), cipher.final(), cipher.getAuthTag()]);
  return { sealed: 'A256GCM', iv: encodeBase64url(iv), ct: encodeBase64url(ct) };
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
