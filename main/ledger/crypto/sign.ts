/**
 * Entry signatures: Ed25519 (RFC 8032) over a domain-separated entry hash.
 *
 *   message = "movelog/sig/v1" ‖ 0x00 ‖ entry hash (32 raw bytes)        (15 + 32 bytes)
 *   sig     = Ed25519(author's private key, message), base64url without padding (86 characters)
 *
 * PINNED VERIFICATION RULE (normative: every Movelog device, whatever crypto library is underneath
 * — OpenSSL in Node, BoringSSL in Electron, anything in an independent verifier — must accept
 * exactly the same signatures). With A the public key, sig = R ‖ S (32 + 32 bytes), B the base
 * point, L = 2^252 + 27742317777372353535851937790883648493 and p = 2^255 − 19, a signature is
 * valid if and only if:
 *   1. A decodes (canonical unpadded base64url) to exactly 32 bytes and sig to exactly 64 bytes.
 *   2. S, read little-endian, is < L (RFC 8032 §5.1.7 step 1; rejects the malleable S + L).
 *   3. A and R are canonical encodings (RFC 8032 §5.1.3): y, the low 255 bits read little-endian,
 *      is < p; and the sign bit (bit 255) is 0 when x = 0, i.e. when y = 1 or y = p − 1.
 *   4. Neither A nor R is one of the 8 encodings of a point of small order
 *      (`SMALL_ORDER_ENCODINGS_HEX`). A small-order key lets anyone forge: A = identity with
 *      R = identity and S = 0 "signs" every message. A small-order R is refused too: an honest
 *      signer's R = [r]B never has small order, and refusing it makes the rule libsodium's.
 *   5. The cofactorless equation holds, checked by encoding: A decodes to a curve point and
 *      encode([S]B − [k]A) equals the 32 bytes of R, with k = SHA-512(R ‖ A ‖ message) mod L.
 * Steps 1–4 run here, before node:crypto; step 5 is node:crypto's verify, which OpenSSL and
 * BoringSSL compute the same way. Libraries differ on 2–4 (some accept non-canonical y, x = 0
 * with the sign bit, or small-order points), which is why they are pinned above the library. R
 * needs no on-curve check of its own: an R that is not a point never equals a computed encoding.
 *
 * Steps 1–5 accept exactly what libsodium 1.0.18's `crypto_sign_verify_detached` accepts (default
 * build): it refuses S ≥ L, y ≥ p for A, and A or R on its small-order blocklist (which ignores the
 * sign bit, so it also covers x = 0 with the sign bit set), then compares encode([S]B − [k]A) with
 * R byte for byte. Cofactored verifiers, which check [8]R = [8]([S]B − [k]A) (@noble/ed25519 even
 * with zip215: false, ZIP 215 libraries, libsodium's current source tree), accept more: signatures
 * whose A or R has a small-order component. docs/ledger-format.md says how to stay exact with them.
 */
import { sign, verify, createPublicKey, KeyObject } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { hashHexToBytes } from './hex.js';

/** Domain separation tag for entry signatures, including its terminating 0x00 byte. */
export const SIGNATURE_PREFIX: Uint8Array = new Uint8Array(Buffer.from('movelog/sig/v1\0', 'latin1'));

/** The order of the Ed25519 base point (RFC 8032 §5.1). */
export const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** The field prime of Curve25519 (RFC 8032 §5.1). */
export const ED25519_P = 2n ** 255n - 19n;

/**
 * The canonical encodings of the 8 points of order dividing 8 (the torsion subgroup), refused as
 * public key A and as R by step 4. The y values are those of libsodium's small-order blocklist
 * (`ge25519_has_small_order` in `crypto_core/ed25519/ref10/ed25519_ref10.c`; also Chalkias,
 * Garillot & Nikolaenko, "Taming the many EdDSAs", 2020); listed here once per canonical sign of
 * x: y = 1 (identity) and y = p − 1 (order 2) have x = 0, so only sign 0; y = 0 (order 4) and the
 * two order-8 y values come with both signs. sign.test.ts recomputes [8]P = identity for each.
 */
export const SMALL_ORDER_ENCODINGS_HEX: readonly string[] = Object.freeze([
  '0100000000000000000000000000000000000000000000000000000000000000', // identity, order 1
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // (0, −1), order 2
  '0000000000000000000000000000000000000000000000000000000000000000', // (√−1, 0), order 4
  '0000000000000000000000000000000000000000000000000000000000000080', // (−√−1, 0), order 4
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
]);

const SMALL_ORDER_ENCODINGS: readonly Buffer[] = SMALL_ORDER_ENCODINGS_HEX.map((hex) => Buffer.from(hex, 'hex'));
const PUBLIC_KEY_CHARS = 43; // 32 bytes
const SIGNATURE_CHARS = 86; // 64 bytes
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const LOW_255_BITS = (1n << 255n) - 1n;

// Importing a public key costs about 5 µs through JWK (about 70 µs through SPKI DER, OpenSSL 3.0)
// against about 75 µs for a verification. Devices are few, so keep the most recently used keys;
// the least recently used is evicted first (a Map iterates in insertion order).
const KEY_CACHE_LIMIT = 1024;
const keyCache = new Map<string, KeyObject>();

/** The signed message for an entry hash: the prefix and the 32 raw hash bytes. */
function signatureMessage(hashHex: string): Buffer {
  const hash = hashHexToBytes(hashHex, 'hashHex');
  return Buffer.concat([SIGNATURE_PREFIX, hash]);
}

/** Decodes canonical unpadded base64url of a known length, or null. */
function decodeExact(text: string, chars: number): Buffer | null {
  if (text.length !== chars || !BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/** The 32 bytes at `offset` as a little-endian 256-bit integer. */
function readUint256LE(bytes: Buffer, offset: number): bigint {
  return (
    bytes.readBigUInt64LE(offset) |
    (bytes.readBigUInt64LE(offset + 8) << 64n) |
    (bytes.readBigUInt64LE(offset + 16) << 128n) |
    (bytes.readBigUInt64LE(offset + 24) << 192n)
  );
}

/** Step 3: y < p, and no sign bit on a point whose x is 0 (y = 1 or y = p − 1). */
function isCanonicalPointEncoding(bytes: Buffer, offset: number): boolean {
  const encoded = readUint256LE(bytes, offset);
  const y = encoded & LOW_255_BITS;
  if (y >= ED25519_P) return false;
  const signBit = encoded >> 255n;
  return !(signBit === 1n && (y === 1n || y === ED25519_P - 1n));
}

/** Step 4: the 32 bytes are one of the 8 small-order encodings. */
function isSmallOrderEncoding(encoding: Buffer): boolean {
  return SMALL_ORDER_ENCODINGS.some((small) => small.equals(encoding));
}

function cachedPublicKey(publicKeyB64url: string): KeyObject {
  const cached = keyCache.get(publicKeyB64url);
  if (cached !== undefined) {
    keyCache.delete(publicKeyB64url);
    keyCache.set(publicKeyB64url, cached);
    return cached;
  }
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKeyB64url }, format: 'jwk' });
  if (keyCache.size >= KEY_CACHE_LIMIT) {
    const oldest = keyCache.keys().next();
    if (oldest.done !== true) keyCache.delete(oldest.value);
  }
  keyCache.set(publicKeyB64url, key);
  return key;
}

/**
 * Signs an entry hash (64 lowercase hex characters) with the device's Ed25519 private key;
 * returns the 64-byte signature as base64url without padding.
 * @example const sig = signEntryHash(privateKey, entryHash(canonicalBytes(entry)))
 */
export function signEntryHash(privateKey: KeyObject, hashHex: string): string {
  if (!(privateKey instanceof KeyObject)) throw new TypeError('privateKey must be a KeyObject');
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('privateKey must be an Ed25519 private key');
  }
  return sign(null, signatureMessage(hashHex), privateKey).toString('base64url');
}

/**
 * Steps 1–4 of the pinned rule: why this key and signature must be refused before any curve
 * arithmetic, or null when they pass (step 5, the equation, is left to `verifyEntrySignature`).
 * Ingest can record the reason in quarantine.
 * @example signatureRuleViolation(author, sig) // null, or e.g. 'S is not below the group order L'
 */
export function signatureRuleViolation(publicKeyB64url: string, sigB64url: string): string | null {
  if (typeof publicKeyB64url !== 'string') throw new TypeError('publicKey must be a string');
  if (typeof sigB64url !== 'string') throw new TypeError('signature must be a string');
  const publicKey = decodeExact(publicKeyB64url, PUBLIC_KEY_CHARS);
  if (publicKey === null) return 'public key is not 32 bytes in canonical base64url';
  const signature = decodeExact(sigB64url, SIGNATURE_CHARS);
  if (signature === null) return 'signature is not 64 bytes in canonical base64url';
  if (readUint256LE(signature, 32) >= ED25519_L) return 'S is not below the group order L';
  if (!isCanonicalPointEncoding(publicKey, 0)) return 'public key is not a canonical point encoding';
  if (!isCanonicalPointEncoding(signature, 0)) return 'R is not a canonical point encoding';
  if (isSmallOrderEncoding(publicKey)) return 'public key is a point of small order';
  if (isSmallOrderEncoding(signature.subarray(0, 32))) return 'R is a point of small order';
  return null;
}

/**
 * True when `sigB64url` is a valid signature of the entry hash by `publicKeyB64url` under the
 * pinned rule above. Malformed keys and signatures (untrusted input) give false; a malformed
 * `hashHex` (computed locally, so a bug) throws RangeError; non-strings throw TypeError.
 * @example verifyEntrySignature(entry.author, hash, sig) // true or false
 */
export function verifyEntrySignature(publicKeyB64url: string, hashHex: string, sigB64url: string): boolean {
  const message = signatureMessage(hashHex);
  if (signatureRuleViolation(publicKeyB64url, sigB64url) !== null) return false; // steps 1–4
  try {
    // Step 5. Decoding twice (here and in the rule) costs well under 1% of the verification.
    return verify(null, message, cachedPublicKey(publicKeyB64url), Buffer.from(sigB64url, 'base64url'));
  } catch {
    return false; // A is not a curve point: the library refuses to import or use it
  }
}
