import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passphrase verifiers with scrypt, a memory-hard function, at OWASP's recommended parameters
 * (N = 2^17, r = 8, p = 1: 128 MiB per hash). Stored as `scrypt$N$r$p$salt$key` (base64url), so
 * the parameters can be raised later without breaking older verifiers.
 */
const N = 2 ** 17;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(passphrase: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, { N: n, r, p, maxmem: 256 * n * r }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

/** Makes a verifier for `passphrase` with a fresh random salt. */
export async function hashPassphrase(passphrase: string): Promise<string> {
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(passphrase, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `passphrase` matches `verifier`; compares in constant time. */
export async function verifyPassphrase(passphrase: string, verifier: string): Promise<boolean> {
  if (typeof passphrase !== 'string' || typeof verifier !== 'string') throw new TypeError('passphrase and verifier must be strings');
  const [scheme, n, r, p, salt, key] = verifier.split('$');
  if (scheme !== 'scrypt' || n === undefined || r === undefined || p === undefined || salt === undefined || key === undefined) {
    throw new RangeError('not a Movelog passphrase verifier');
  }
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(passphrase, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
