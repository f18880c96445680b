/**
 * The ledger format's primitives: canonical JSON (RFC 8785 subset), entry hashes and the local
 * chain, Ed25519 device keys, and entry signatures under one pinned verification rule.
 * Pure functions over node:crypto only; no I/O.
 */
export { encodeBase64url, decodeBase64url, isCanonicalBase64url } from './base64url.js';
export { canonicalize, canonicalBytes, parseCanonical, CanonicalJsonError, MAX_DEPTH } from './jcs.js';
export type { JsonValue } from './jcs.js';
export { isHashHex, hashHexToBytes } from './hex.js';
export { entryHash, chainNext, CHAIN_ZERO, ENTRY_HASH_PREFIX } from './hash.js';
export { generateDeviceKeyPair, publicKeyFromRaw, rawPublicKey, exportPrivateKey, importPrivateKey, PUBLIC_KEY_BYTES } from './keys.js';
export type { DeviceKeyPair } from './keys.js';
export {
  signEntryHash,
  verifyEntrySignature,
  SIGNATURE_PREFIX,
  signatureRuleViolation,
  SMALL_ORDER_ENCODINGS_HEX,
  ED25519_L,
  ED25519_P,
} from './sign.js';
