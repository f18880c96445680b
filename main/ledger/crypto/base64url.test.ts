import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBase64url, encodeBase64url, isCanonicalBase64url } from './base64url.js';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('base64url', () => {
  it('encodes RFC 4648 §10 vectors without padding, in the URL-safe alphabet', () => {
    const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
    expect(encodeBase64url(ascii(''))).toBe('');
    expect(encodeBase64url(ascii('f'))).toBe('Zg');
    expect(encodeBase64url(ascii('fo'))).toBe('Zm8');
    expect(encodeBase64url(ascii('foo'))).toBe('Zm9v');
    expect(encodeBase64url(ascii('foob'))).toBe('Zm9vYg');
    expect(encodeBase64url(ascii('fooba'))).toBe('Zm9vYmE');
    expect(encodeBase64url(ascii('foobar'))).toBe('Zm9vYmFy');
    expect(encodeBase64url(bytes(0xfb, 0xff))).toBe('-_8');
  });

  it('encodes only the viewed bytes of a subarray', () => {
    const whole = bytes(1, 2, 3, 4, 5);
    expect(encodeBase64url(whole.subarray(1, 3))).toBe(encodeBase64url(bytes(2, 3)));
  });

  it('decodes canonical text to a plain, unshared Uint8Array', () => {
    const decoded = decodeBase64url('-_8');
    expect(decoded).toEqual(bytes(0xfb, 0xff));
    expect(decoded.byteOffset).toBe(0);
    expect(decoded.buffer.byteLength).toBe(2);
  });

  it.each([
    ['padding', 'Zg=='],
    ['standard base64 "+"', '-+8'],
    ['standard base64 "/"', '_/8'],
    ['whitespace', 'Zm9v Yg'],
    ['a newline', 'Zm9v\n'],
    ['an impossible length (4n+1)', 'Zm9vY'],
    ['non-zero unused bits (Zh is Zg with a low bit set)', 'Zh'],
    ['non-zero unused bits in a 2-byte tail', 'Zm9'],
  ])('rejects %s', (_what, text) => {
    expect(isCanonicalBase64url(text)).toBe(false);
    expect(() => decodeBase64url(text)).toThrow(RangeError);
  });

  it('asserts argument types', () => {
    expect(() => encodeBase64url('abc' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => decodeBase64url(42 as unknown as string)).toThrow(TypeError);
    expect(() => isCanonicalBase64url(null as unknown as string)).toThrow(TypeError);
  });

  it('round-trips any bytes, and the text is always canonical', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (data) => {
        const text = encodeBase64url(data);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(isCanonicalBase64url(text)).toBe(true);
        expect(decodeBase64url(text)).toEqual(data);
      }),
    );
  });

  it('accepts exactly one spelling per byte string: changing the last character always breaks it', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 63 }), (data, shift) => {
        const text = encodeBase64url(data);
        const last = alphabet.indexOf(text.slice(-1));
        const other = text.slice(0, -1) + alphabet.charAt((last + shift) % 64);
        // Either it is not canonical, or it decodes to different bytes: never the same bytes twice.
        if (isCanonicalBase64url(other)) expect(decodeBase64url(other)).not.toEqual(data);
        else expect(() => decodeBase64url(other)).toThrow(RangeError);
      }),
    );
  });
});
