/**
 * Base64url without padding (RFC 4648 §5), the only text form of bytes in the ledger format.
 *
 * Decoding is strict so that every byte string has exactly one accepted text form: padding,
 * characters outside `A–Z a–z 0–9 - _`, an impossible length (4n+1) and non-zero unused trailing
 * bits are all rejected. Strictness matters because keys and signatures are compared and hashed
 * as text elsewhere: two spellings of one key must never both be accepted.
 */
import { Buffer } from 'node:buffer';

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * Encodes bytes as base64url without padding.
 * @example encodeBase64url(new Uint8Array([0xfb, 0xff])) // '-_8'
 */
export function encodeBase64url(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * True when `text` is the one canonical unpadded base64url spelling of some byte string.
 * @example isCanonicalBase64url('-_8') // true; '-_9' has non-zero trailing bits: false
 */
export function isCanonicalBase64url(text: string): boolean {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  if (text.length % 4 === 1 || !ALPHABET.test(text)) return false;
  // Node's decoder ignores the unused low bits of the last character; re-encoding exposes them.
  return Buffer.from(text, 'base64url').toString('base64url') === text;
}

/**
 * Decodes canonical unpadded base64url; throws RangeError for anything else.
 * @example decodeBase64url('-_8') // Uint8Array [0xfb, 0xff]
 */
export function decodeBase64url(text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  if (text.length % 4 === 1 || !ALPHABET.test(text)) {
    throw new RangeError('not base64url without padding (alphabet A-Z a-z 0-9 - _, no "=")');
  }
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw new RangeError('not canonical base64url: the unused trailing bits must be zero');
  }
  // A copy, not a view: small Buffers live in Node's shared pool, which must not leak via `.buffer`.
  return new Uint8Array(bytes);
}
