/**
 * The text form of a SHA-256 digest in the ledger: exactly 64 lowercase hex characters. One
 * spelling only, so hashes can be compared and indexed as strings.
 */
import { Buffer } from 'node:buffer';

const HASH_HEX = /^[0-9a-f]{64}$/;

/**
 * True when `text` is a 32-byte digest as 64 lowercase hex characters.
 * @example isHashHex('00'.repeat(32)) // true; uppercase or 63 characters: false
 */
export function isHashHex(text: string): boolean {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  return HASH_HEX.test(text);
}

/**
 * The 32 raw bytes of a digest written as 64 lowercase hex characters; `name` is used in errors.
 * @example hashHexToBytes('ab'.repeat(32)) // 32 bytes of 0xab
 */
export function hashHexToBytes(text: string, name = 'hash'): Buffer {
  if (typeof text !== 'string') throw new TypeError(`${name} must be a string`);
  if (!HASH_HEX.test(text)) throw new RangeError(`${name} must be 64 lowercase hex characters`);
  return Buffer.from(text, 'hex');
}
