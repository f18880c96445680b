import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHAIN_ZERO, ENTRY_HASH_PREFIX, chainNext, entryHash } from './hash.js';
import { hashHexToBytes, isHashHex } from './hex.js';
import { canonicalBytes } from './jcs.js';

// Vectors computed outside Node with coreutils/Python:
//   printf 'movelog/entry/v1\0{"a":1}' | sha256sum
//   hashlib.sha256(bytes(32) + bytes.fromhex(hash_1)).hexdigest()
const HASH_OF_A1 = 'fb5840f569f34d1c332b4cf8fab9fa91d0723eddc71cff62bc74ceceafa4535b';
const HASH_OF_EMPTY_ARRAY = 'eaf368fded3c2d6b30c44c022d351fc3f0d62a4760bcefcfb71c17de21332062';
const CHAIN_1 = '0d2595fb40205a4955240cbd354fd697776effd9cac8a9a80b7ab1df0196e854';
const CHAIN_2 = '0c2b7255bceb4e8c2350f1b394b15969d7b0a1b901d4b8c5ce90ef618a3565ad';

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex'));

describe('entryHash', () => {
  it('is SHA-256 of "movelog/entry/v1", 0x00 and the canonical bytes', () => {
    expect(Buffer.from(ENTRY_HASH_PREFIX).toString('hex')).toBe('6d6f76656c6f672f656e7472792f763100');
    expect(entryHash(canonicalBytes({ a: 1 }))).toBe(HASH_OF_A1);
    expect(entryHash(canonicalBytes([]))).toBe(HASH_OF_EMPTY_ARRAY);
  });

  it('separates its domain: the same bytes without the 0x00 byte hash differently', () => {
    // sha256('movelog/entry/v1{"a":1}'), no separator
    expect(entryHash(canonicalBytes({ a: 1 }))).not.toBe('4bfd9dfd329c77ba5949f0985532f6eecb196e7522cd8051bee3e6bbc86c870e');
  });

  it('hashes only the viewed bytes of a subarray', () => {
    const framed = new TextEncoder().encode('xx{"a":1}yy');
    expect(entryHash(framed.subarray(2, 9))).toBe(HASH_OF_A1);
  });

  it('asserts its argument type', () => {
    expect(() => entryHash('{"a":1}' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('chainNext', () => {
  it('starts from 32 zero bytes and hashes the raw 64 bytes of (previous ‖ entry hash)', () => {
    expect(CHAIN_ZERO).toBe('0'.repeat(64));
    const chain1 = chainNext(CHAIN_ZERO, HASH_OF_A1);
    expect(chain1).toBe(CHAIN_1);
    expect(chainNext(chain1, HASH_OF_EMPTY_ARRAY)).toBe(CHAIN_2);
  });

  it('depends on order: swapping two entries changes the head', () => {
    fc.assert(
      fc.property(hex32, hex32, (first, second) => {
        fc.pre(first !== second);
        const forward = chainNext(chainNext(CHAIN_ZERO, first), second);
        const swapped = chainNext(chainNext(CHAIN_ZERO, second), first);
        expect(forward).not.toBe(swapped);
        expect(forward).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
  });

  it.each([
    ['uppercase hex', HASH_OF_A1.toUpperCase()],
    ['63 characters', HASH_OF_A1.slice(1)],
    ['65 characters', HASH_OF_A1 + '0'],
    ['a non-hex character', 'g' + HASH_OF_A1.slice(1)],
    ['a 0x prefix', '0x' + HASH_OF_A1.slice(2)],
  ])('refuses %s with RangeError, in either argument', (_what, bad) => {
    expect(() => chainNext(bad, HASH_OF_A1)).toThrow(RangeError);
    expect(() => chainNext(CHAIN_ZERO, bad)).toThrow(RangeError);
  });

  it('refuses non-strings with TypeError', () => {
    expect(() => chainNext(new Uint8Array(32) as unknown as string, HASH_OF_A1)).toThrow(TypeError);
  });
});

describe('hash hex', () => {
  it('accepts exactly 64 lowercase hex characters', () => {
    expect(isHashHex(HASH_OF_A1)).toBe(true);
    expect(isHashHex(HASH_OF_A1.toUpperCase())).toBe(false);
    expect(isHashHex(`${HASH_OF_A1}\n`)).toBe(false);
    expect(hashHexToBytes(CHAIN_ZERO)).toEqual(Buffer.alloc(32));
    expect(() => hashHexToBytes('abc', 'prev')).toThrow('prev must be 64 lowercase hex characters');
  });
});
