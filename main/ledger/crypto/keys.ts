/**
 * Device keys: Ed25519 (RFC 8032) through node:crypto.
 *
 * In the ledger a public key is its raw 32-byte encoding in base64url (no padding); a private key
 * stays a `KeyObject` in memory (signing from a PEM string re-parses it every time: over 10x
 * slower) and is stored as PKCS#8 DER (RFC 8410), in a file only the user can read.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { decodeBase64url } from './base64url.js';

/** Bytes in a raw Ed25519 public key. */
export const PUBLIC_KEY_BYTES = 32;

/** A fresh device identity: the public key as the ledger writes it, and the private key object. */
export interface DeviceKeyPair {
  /** Raw 32-byte Ed25519 public key, base64url without padding. */
  readonly publicKey: string;
  readonly privateKey: KeyObject;
}

function assertEd25519(key: unknown, name: string): asserts key is KeyObject {
  if (!(key instanceof KeyObject)) throw new TypeError(`${name} must be a KeyObject`);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`${name} must be an Ed25519 key, got ${key.asymmetricKeyType ?? key.type}`);
  }
}

/**
 * Generates a new Ed25519 key pair for this device.
 * @example const { publicKey, privateKey } = generateDeviceKeyPair(); // publicKey: 43 characters
 */
export function generateDeviceKeyPair(): DeviceKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: rawPublicKey(publicKey), privateKey };
}

/**
 * The public KeyObject for a raw 32-byte Ed25519 public key in base64url. Checks only the
 * encoding's length; `verifyEntrySignature` applies the full strict rule.
 * @example publicKeyFromRaw('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo')
 */
export function publicKeyFromRaw(publicKeyB64url: string): KeyObject {
  if (typeof publicKeyB64url !== 'string') throw new TypeError('publicKey must be a string');
  const raw = decodeBase64url(publicKeyB64url);
  if (raw.length !== PUBLIC_KEY_BYTES) {
    throw new RangeError(`publicKey must be ${PUBLIC_KEY_BYTES} bytes, got ${raw.length}`);
  }
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKeyB64url }, format: 'jwk' });
}

/**
 * The raw public key, base64url, of an Ed25519 KeyObject (public, or private: its public half).
 * @example rawPublicKey(privateKey) === publicKey // for a pair from generateDeviceKeyPair()
 */
export function rawPublicKey(key: KeyObject): string {
  assertEd25519(key, 'key');
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new TypeError('node:crypto gave no raw public key for this KeyObject');
  return x;
}

/**
 * The private key as PKCS#8 DER bytes, for storage. The caller should zero the returned bytes
 * (`fill(0)`) once they are written.
 * @example writeFileSync(path, exportPrivateKey(privateKey), { mode: 0o600 })
 */
export function exportPrivateKey(privateKey: KeyObject): Uint8Array {
  assertEd25519(privateKey, 'privateKey');
  if (privateKey.type !== 'private') throw new TypeError('privateKey must be a private key');
  return privateKey.export({ format: 'der', type: 'pkcs8' });
}

/**
 * The Ed25519 private KeyObject stored as PKCS#8 DER bytes by `exportPrivateKey`.
 * @example const privateKey = importPrivateKey(readFileSync(path))
 */
export function importPrivateKey(pkcs8Der: Uint8Array): KeyObject {
  if (!(pkcs8Der instanceof Uint8Array)) throw new TypeError('pkcs8Der must be a Uint8Array');
  let key: KeyObject;
  try {
    key = createPrivateKey({
      key: Buffer.from(pkcs8Der.buffer, pkcs8Der.byteOffset, pkcs8Der.byteLength),
      format: 'der',
      type: 'pkcs8',
    });
  } catch {
    throw new RangeError('pkcs8Der is not a PKCS#8 DER private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new RangeError(`pkcs8Der holds a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  }
  return key;
}
