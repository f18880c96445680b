/**
 * Entry hashes and the local hash chain (docs/ledger-format.md §5 and §10).
 *
 * entryHash = SHA-256( "movelog/entry/v1" ‖ 0x00 ‖ canonical entry bytes ), lowercase hex.
 * chain_0 = 32 zero bytes; chain_i = SHA-256( chain_{i−1} ‖ hash_i ) over the raw 32-byte values.
 * The ASCII tag and its 0x00 terminator separate entry hashes from every other SHA-256 use, so a
 * digest made for one purpose can never be presented as another.
 */
import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { hashHexToBytes } from './hex.js';

/** Domain separation tag for entry hashes, including its terminating 0x00 byte. */
export const ENTRY_HASH_PREFIX: Uint8Array = new Uint8Array(Buffer.from('movelog/entry/v1\0', 'latin1'));

/** The chain value before any entry is stored: 32 zero bytes, as 64 '0' characters. */
export const CHAIN_ZERO = '0'.repeat(64);

/**
 * The entry hash of canonical entry bytes (as produced by `canonicalBytes`), lowercase hex.
 * @example entryHash(canonicalBytes(entry)) // 64 hex characters
 */
export function entryHash(canonical: Uint8Array): string {
  if (!(canonical instanceof Uint8Array)) throw new TypeError('canonical must be a Uint8Array');
  return createHash('sha256').update(ENTRY_HASH_PREFIX).update(canonical).digest('hex');
}

/**
 * The next local chain value: SHA-256 of the previous chain value and the entry hash, both raw.
 * @example chainNext(CHAIN_ZERO, entryHash(bytes)) // chain_1
 */
export function chainNext(prevChainHex: string, entryHashHex: string): string {
  const prev = hashHexToBytes(prevChainHex, 'prevChainHex');
  const hash = hashHexToBytes(entryHashHex, 'entryHashHex');
  return createHash('sha256').update(prev).update(hash).digest('hex');
}
