import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash, sign, verify } from 'node:crypto';
import { importPrivateKey, publicKeyFromRaw, rawPublicKey } from './keys.js';
import {
  ED25519_L,
  ED25519_P,
  SIGNATURE_PREFIX,
  SMALL_ORDER_ENCODINGS_HEX,
  signEntryHash,
  signatureRuleViolation,
  verifyEntrySignature,
} from './sign.js';

// ---- Independent reference arithmetic (RFC 8032 §5.1), slow and simple, for building vectors ----

const p = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a: bigint, m = p): bigint => ((a % m) + m) % m;
function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % p;
    b = (b * b) % p;
  }
  return result;
}
const invert = (a: bigint): bigint => power(a, p - 2n);
const d = mod(-121665n * invert(121666n));
type Point = readonly [x: bigint, y: bigint];
const IDENTITY: Point = [0n, 1n];

function add([x1, y1]: Point, [x2, y2]: Point): Point {
  const t = mod(d * x1 * x2 * y1 * y2);
  return [mod((x1 * y2 + x2 * y1) * invert(1n + t)), mod((y1 * y2 + x1 * x2) * invert(1n - t))];
}
function leToBigint(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] as number);
  return n;
}
function bigintToLe32(n: bigint): Buffer {
  const out = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}
/** RFC 8032 §5.1.3 decoding, or null. */
function decodePoint(encoding: Uint8Array): Point | null {
  const n = leToBigint(encoding);
  const y = n & ((1n << 255n) - 1n);
  const sign = n >> 255n;
  if (y >= p) return null;
  const u = mod(y * y - 1n);
  const v = mod(d * y * y + 1n);
  let x = mod(u * power(v, 3n) * power(u * power(v, 7n), (p - 5n) / 8n));
  if (mod(v * x * x) === mod(-u)) x = mod(x * power(2n, (p - 1n) / 4n));
  else if (mod(v * x * x) !== u) return null;
  if (x === 0n && sign === 1n) return null;
  if ((x & 1n) !== sign) x = mod(-x);
  return [x, y];
}
const encodePoint = ([x, y]: Point): Buffer => bigintToLe32(y | ((x & 1n) << 255n));
const sha512 = (...parts: Uint8Array[]): Buffer => createHash('sha512').update(Buffer.concat(parts)).digest();

// ---- Fixtures ----

const PKCS8_PREFIX = '302e020100300506032b657004220420';
const TEST1_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'; // RFC 8032 §7.1
const TEST1_PUBLIC = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
const privateKeyFromSeed = (seed: Uint8Array) => importPrivateKey(Buffer.concat([Buffer.from(PKCS8_PREFIX, 'hex'), seed]));
const TEST1_KEY = privateKeyFromSeed(Buffer.from(TEST1_SEED, 'hex'));
// The entry hash of {"a":1} (see hash.test.ts) and its signature by the TEST 1 key, computed with
// Python's `cryptography`: Ed25519PrivateKey.from_private_bytes(seed).sign(b'movelog/sig/v1\0' + hash).
const HASH = 'fb5840f569f34d1c332b4cf8fab9fa91d0723eddc71cff62bc74ceceafa4535b';
const SIGNATURE = '7MtfwvBTCBXYKMkwQrn1Au-aju1lBP_fcxm132zO484Y-W1lO-epwV_crt2lea2RKUKY5aqN1a_ePBHP1T07BA';

const message = (hashHex: string): Buffer => Buffer.concat([Buffer.from('movelog/sig/v1\0', 'latin1'), Buffer.from(hashHex, 'hex')]);
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const withS = (signature: string, s: bigint): string => b64(Buffer.concat([Buffer.from(signature, 'base64url').subarray(0, 32), bigintToLe32(s)]));

/**
 * A signature by the TEST 1 key whose R is the given 32 bytes, made with the secret scalar:
 * S = k·a mod L with k = SHA-512(R ‖ A ‖ M). When R encodes the identity, [S]B − [k]A = O, so the
 * cofactorless equation holds exactly when R is the identity's canonical encoding.
 */
function signWithChosenR(rBytes: Buffer, hashHex: string): string {
  const h = sha512(Buffer.from(TEST1_SEED, 'hex'));
  h[0] = (h[0] as number) & 248;
  h[31] = ((h[31] as number) & 127) | 64;
  const a = leToBigint(h.subarray(0, 32));
  const k = mod(leToBigint(sha512(rBytes, Buffer.from(TEST1_PUBLIC, 'base64url'), message(hashHex))), L);
  return b64(Buffer.concat([rBytes, bigintToLe32(mod(k * a, L))]));
}

const IDENTITY_ENCODING = encodePoint(IDENTITY);
const ZERO_S = Buffer.alloc(32);

// ---- Tests ----

describe('constants', () => {
  it('are the RFC 8032 values and our domain tag', () => {
    expect(ED25519_L).toBe(L);
    expect(ED25519_P).toBe(p);
    expect(Buffer.from(SIGNATURE_PREFIX).toString('hex')).toBe('6d6f76656c6f672f7369672f763100');
  });

  it('lists all 8 small-order points: canonical, distinct, [8]P = identity', () => {
    const seen = new Set<string>();
    for (const hex of SMALL_ORDER_ENCODINGS_HEX) {
      const point = decodePoint(Buffer.from(hex, 'hex'));
      expect(point, hex).not.toBeNull();
      const P = point as Point;
      expect(encodePoint(P).toString('hex')).toBe(hex);
      let multiple: Point = IDENTITY;
      for (let i = 0; i < 8; i++) multiple = add(multiple, P);
      expect(multiple).toEqual(IDENTITY);
      seen.add(`${P[0]},${P[1]}`);
    }
    // The torsion subgroup of Curve25519 has exactly 8 elements, so these are all of them.
    expect(seen.size).toBe(8);
    // ...and the base point (y = 4/5) is not among them: the check above can fail.
    const base = decodePoint(bigintToLe32(mod(4n * invert(5n))));
    let baseTimes8: Point = IDENTITY;
    for (let i = 0; i < 8; i++) baseTimes8 = add(baseTimes8, base as Point);
    expect(baseTimes8).not.toEqual(IDENTITY);
  });
});

describe('signEntryHash', () => {
  it('signs "movelog/sig/v1" ‖ 0x00 ‖ raw hash to the checked-in vector', () => {
    expect(rawPublicKey(TEST1_KEY)).toBe(TEST1_PUBLIC);
    expect(signEntryHash(TEST1_KEY, HASH)).toBe(SIGNATURE);
    expect(sign(null, message(HASH), TEST1_KEY).toString('base64url')).toBe(SIGNATURE);
  });

  it('is domain-separated: the signature does not verify over the bare hash, hex or raw', () => {
    const publicKey = publicKeyFromRaw(TEST1_PUBLIC);
    const signature = Buffer.from(SIGNATURE, 'base64url');
    expect(verify(null, message(HASH), publicKey, signature)).toBe(true);
    expect(verify(null, Buffer.from(HASH, 'hex'), publicKey, signature)).toBe(false);
    expect(verify(null, Buffer.from(HASH), publicKey, signature)).toBe(false);
  });

  it('asserts its arguments', () => {
    expect(() => signEntryHash(TEST1_KEY, HASH.toUpperCase())).toThrow(RangeError);
    expect(() => signEntryHash(TEST1_KEY, HASH.slice(2))).toThrow(RangeError);
    expect(() => signEntryHash(publicKeyFromRaw(TEST1_PUBLIC), HASH)).toThrow(TypeError);
    expect(() => signEntryHash(TEST1_SEED as never, HASH)).toThrow(TypeError);
  });
});

describe('verifyEntrySignature: the pinned rule', () => {
  it('accepts the valid vector, and only for its own hash and key', () => {
    expect(signatureRuleViolation(TEST1_PUBLIC, SIGNATURE)).toBeNull();
    expect(verifyEntrySignature(TEST1_PUBLIC, HASH, SIGNATURE)).toBe(true);
    expect(verifyEntrySignature(TEST1_PUBLIC, '0' + HASH.slice(1), SIGNATURE)).toBe(false);
    const otherKey = rawPublicKey(privateKeyFromSeed(Buffer.alloc(32, 7)));
    expect(verifyEntrySignature(otherKey, HASH, SIGNATURE)).toBe(false);
  });

  describe('step 1: exact lengths in canonical base64url', () => {
    const signatureBytes = Buffer.from(SIGNATURE, 'base64url');
    const publicBytes = Buffer.from(TEST1_PUBLIC, 'base64url');
    it.each<[string, string, string, string]>([
      ['a 31-byte key', b64(publicBytes.subarray(0, 31)), SIGNATURE, 'public key is not 32 bytes in canonical base64url'],
      ['a 33-byte key', b64(Buffer.concat([publicBytes, Buffer.alloc(1)])), SIGNATURE, 'public key is not 32 bytes in canonical base64url'],
      ['an empty key', '', SIGNATURE, 'public key is not 32 bytes in canonical base64url'],
      ['a padded key', `${TEST1_PUBLIC}=`, SIGNATURE, 'public key is not 32 bytes in canonical base64url'],
      ['a key in standard base64', publicBytes.toString('base64').replace(/=+$/, ''), SIGNATURE, 'public key is not 32 bytes in canonical base64url'],
      ['a key with non-zero trailing bits', TEST1_PUBLIC.slice(0, 42) + 'p', SIGNATURE, 'public key is not 32 bytes in canonical base64url'],
      ['a 63-byte signature', TEST1_PUBLIC, b64(signatureBytes.subarray(0, 63)), 'signature is not 64 bytes in canonical base64url'],
      [
        'a 65-byte signature',
        TEST1_PUBLIC,
        b64(Buffer.concat([signatureBytes, Buffer.alloc(1)])),
        'signature is not 64 bytes in canonical base64url',
      ],
      ['a padded signature', TEST1_PUBLIC, `${SIGNATURE}==`, 'signature is not 64 bytes in canonical base64url'],
      ['a hex signature', TEST1_PUBLIC, signatureBytes.toString('hex'), 'signature is not 64 bytes in canonical base64url'],
      ['a signature with non-zero trailing bits', TEST1_PUBLIC, SIGNATURE.slice(0, 85) + 'B', 'signature is not 64 bytes in canonical base64url'],
    ])('refuses %s', (_what, publicKey, signature, reason) => {
      expect(signatureRuleViolation(publicKey, signature)).toBe(reason);
      expect(verifyEntrySignature(publicKey, HASH, signature)).toBe(false);
    });
  });

  describe('step 2: S < L', () => {
    const S = leToBigint(Buffer.from(SIGNATURE, 'base64url').subarray(32));
    it.each<[string, bigint]>([
      ['S + L (the malleated twin of a valid signature)', S + L],
      ['S = L', L],
      ['S = L + 1', L + 1n],
      ['S = 2^256 − 1', 2n ** 256n - 1n],
    ])('refuses %s', (_what, badS) => {
      expect(badS).toBeLessThan(2n ** 256n);
      const signature = withS(SIGNATURE, badS);
      expect(signatureRuleViolation(TEST1_PUBLIC, signature)).toBe('S is not below the group order L');
      expect(verifyEntrySignature(TEST1_PUBLIC, HASH, signature)).toBe(false);
    });

    it('accepts S = L − 1 as far as step 2 goes', () => {
      expect(signatureRuleViolation(TEST1_PUBLIC, withS(SIGNATURE, L - 1n))).toBeNull();
    });
  });

  describe('step 3: canonical encodings of A and R', () => {
    // A forgery for the identity key that the cofactorless equation accepts for any message:
    // R = identity, S = 0, so [S]B − [k]A = O = R.
    const forgery = b64(Buffer.concat([IDENTITY_ENCODING, ZERO_S]));
    it.each<[string, bigint]>([
      ['y = p + 1 (a second spelling of the identity)', p + 1n],
      ['y = p (a second spelling of y = 0)', p],
      ['y = 2^255 − 1', 2n ** 255n - 1n],
      ['the identity with the sign bit set (x = 0)', 1n | (1n << 255n)],
      ['(0, −1) with the sign bit set (x = 0)', p - 1n + (1n << 255n)],
    ])('refuses a public key with %s', (_what, encoded) => {
      const publicKey = b64(bigintToLe32(encoded));
      expect(signatureRuleViolation(publicKey, forgery)).toBe('public key is not a canonical point encoding');
      expect(verifyEntrySignature(publicKey, HASH, forgery)).toBe(false);
    });

    it.each<[string, bigint]>([
      ['y = p + 1 (the identity spelled again)', p + 1n],
      ['the identity with the sign bit set (x = 0)', 1n | (1n << 255n)],
      ['y = 2^255 − 1', 2n ** 255n - 1n],
    ])('refuses R with %s, even when S is computed for that R', (_what, encoded) => {
      const signature = signWithChosenR(bigintToLe32(encoded), HASH);
      expect(signatureRuleViolation(TEST1_PUBLIC, signature)).toBe('R is not a canonical point encoding');
      expect(verifyEntrySignature(TEST1_PUBLIC, HASH, signature)).toBe(false);
    });
  });

  describe('step 4: no small-order public keys', () => {
    it.each(SMALL_ORDER_ENCODINGS_HEX.map((hex) => [hex]))('refuses %s', (hex) => {
      const publicKey = b64(Buffer.from(hex, 'hex'));
      for (const signature of [
        b64(Buffer.concat([IDENTITY_ENCODING, ZERO_S])),
        b64(Buffer.concat([Buffer.from(hex, 'hex'), ZERO_S])),
        b64(Buffer.alloc(64)),
      ]) {
        expect(signatureRuleViolation(publicKey, signature)).toBe('public key is a point of small order');
        expect(verifyEntrySignature(publicKey, HASH, signature)).toBe(false);
      }
    });
  });

  describe('step 4: no small-order R (as libsodium)', () => {
    it('refuses R = identity although the cofactorless equation holds for it', () => {
      const signature = signWithChosenR(IDENTITY_ENCODING, HASH);
      expect(verify(null, message(HASH), publicKeyFromRaw(TEST1_PUBLIC), Buffer.from(signature, 'base64url'))).toBe(true);
      expect(signatureRuleViolation(TEST1_PUBLIC, signature)).toBe('R is a point of small order');
      expect(verifyEntrySignature(TEST1_PUBLIC, HASH, signature)).toBe(false);
    });

    it.each(SMALL_ORDER_ENCODINGS_HEX.map((hex) => [hex]))('refuses R = %s, with S computed for that R', (hex) => {
      const signature = signWithChosenR(Buffer.from(hex, 'hex'), HASH);
      expect(signatureRuleViolation(TEST1_PUBLIC, signature)).toBe('R is a point of small order');
      expect(verifyEntrySignature(TEST1_PUBLIC, HASH, signature)).toBe(false);
    });

    it('passes steps 1–4 for an R one bit away from each small-order encoding', () => {
      // The check compares whole encodings: flipping bit 8 of y gives another canonical y.
      for (const hex of SMALL_ORDER_ENCODINGS_HEX) {
        const near = Buffer.from(hex, 'hex');
        near[1] = (near[1] as number) ^ 0x01;
        expect(signatureRuleViolation(TEST1_PUBLIC, b64(Buffer.concat([near, ZERO_S]))), hex).toBeNull();
      }
    });
  });

  describe('step 5: the equation, computed by node:crypto', () => {
    it('refuses a canonical y that is not on the curve', () => {
      let y = 2n;
      while (decodePoint(bigintToLe32(y)) !== null) y++;
      const publicKey = b64(bigintToLe32(y));
      expect(signatureRuleViolation(publicKey, SIGNATURE)).toBeNull();
      expect(verifyEntrySignature(publicKey, HASH, SIGNATURE)).toBe(false);
    });
  });

  it('throws on a malformed hash (a local bug) and on non-string arguments', () => {
    expect(() => verifyEntrySignature(TEST1_PUBLIC, HASH.toUpperCase(), SIGNATURE)).toThrow(RangeError);
    expect(() => verifyEntrySignature(TEST1_PUBLIC, '', SIGNATURE)).toThrow(RangeError);
    expect(() => verifyEntrySignature(Buffer.from(TEST1_PUBLIC) as never, HASH, SIGNATURE)).toThrow(TypeError);
    expect(() => verifyEntrySignature(TEST1_PUBLIC, HASH, null as never)).toThrow(TypeError);
    expect(() => signatureRuleViolation(TEST1_PUBLIC, 1 as never)).toThrow(TypeError);
  });
});

describe('sign and verify properties', () => {
  const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const hashArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex'));
  const flip = (bytes: Buffer, bit: number): Buffer => {
    const copy = Buffer.from(bytes);
    copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
    return copy;
  };

  it('sign then verify passes for any key and hash', () => {
    fc.assert(
      fc.property(seedArb, hashArb, (seed, hash) => {
        const privateKey = privateKeyFromSeed(seed);
        const publicKey = rawPublicKey(privateKey);
        const signature = signEntryHash(privateKey, hash);
        expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
        expect(signatureRuleViolation(publicKey, signature)).toBeNull();
        expect(verifyEntrySignature(publicKey, hash, signature)).toBe(true);
      }),
    );
  });

  it('flipping any one bit of the signature makes verification fail', () => {
    const signature = Buffer.from(SIGNATURE, 'base64url');
    for (let bit = 0; bit < 512; bit++) {
      expect(verifyEntrySignature(TEST1_PUBLIC, HASH, b64(flip(signature, bit))), `bit ${bit}`).toBe(false);
    }
  });

  it('flipping any one bit of the hash makes verification fail', () => {
    const hash = Buffer.from(HASH, 'hex');
    for (let bit = 0; bit < 256; bit++) {
      expect(verifyEntrySignature(TEST1_PUBLIC, flip(hash, bit).toString('hex'), SIGNATURE), `bit ${bit}`).toBe(false);
    }
  });

  it('flipping a random bit of a random signature, hash or key makes verification fail', () => {
    fc.assert(
      fc.property(seedArb, hashArb, fc.constantFrom('signature', 'hash', 'key'), fc.nat(511), (seed, hash, part, bit) => {
        const privateKey = privateKeyFromSeed(seed);
        const publicKey = rawPublicKey(privateKey);
        const signature = signEntryHash(privateKey, hash);
        if (part === 'signature') {
          expect(verifyEntrySignature(publicKey, hash, b64(flip(Buffer.from(signature, 'base64url'), bit)))).toBe(false);
        } else if (part === 'hash') {
          const changed = flip(Buffer.from(hash, 'hex'), bit % 256).toString('hex');
          expect(verifyEntrySignature(publicKey, changed, signature)).toBe(false);
        } else {
          const changed = b64(flip(Buffer.from(publicKey, 'base64url'), bit % 256));
          expect(verifyEntrySignature(changed, hash, signature)).toBe(false);
        }
      }),
    );
  });

  it('stays correct when more keys are seen than the key cache holds', () => {
    const signers = Array.from({ length: 1100 }, (_, i) => {
      const privateKey = privateKeyFromSeed(createHash('sha256').update(`seed ${i}`).digest());
      return { publicKey: rawPublicKey(privateKey), signature: signEntryHash(privateKey, HASH) };
    });
    for (const { publicKey, signature } of [...signers, ...signers.slice(0, 50)]) {
      expect(verifyEntrySignature(publicKey, HASH, signature)).toBe(true);
    }
    const [first, second] = signers;
    expect(verifyEntrySignature(first?.publicKey ?? '', HASH, second?.signature ?? '')).toBe(false);
  });
});
