import { describe, expect, it } from 'vitest';
import { createPrivateKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { decodeBase64url } from './base64url.js';
import { exportPrivateKey, generateDeviceKeyPair, importPrivateKey, publicKeyFromRaw, rawPublicKey } from './keys.js';

/** RFC 8032 §7.1, TEST 1–3: secret key (seed), public key, message, signature; all hex. */
const RFC8032_VECTORS = [
  {
    name: 'TEST 1',
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
] as const;

// RFC 8410: the fixed DER prefixes of an Ed25519 private key (PKCS#8, §7) and public key (SPKI, §4).
const PKCS8_PREFIX = '302e020100300506032b657004220420';
const SPKI_PREFIX = '302a300506032b6570032100';

const fromHex = (hex: string): Buffer => Buffer.from(hex, 'hex');
const b64url = (hex: string): string => fromHex(hex).toString('base64url');

describe.each(RFC8032_VECTORS)('RFC 8032 §7.1 $name through our key functions', (vector) => {
  const pkcs8 = fromHex(PKCS8_PREFIX + vector.seed);

  it('imports the secret key from PKCS#8 and derives the published public key', () => {
    const privateKey = importPrivateKey(pkcs8);
    expect(rawPublicKey(privateKey)).toBe(b64url(vector.publicKey));
    expect(Buffer.from(decodeBase64url(rawPublicKey(privateKey))).toString('hex')).toBe(vector.publicKey);
  });

  it('signs the message with raw node:crypto to the published signature', () => {
    const signature = sign(null, fromHex(vector.message), importPrivateKey(pkcs8));
    expect(signature.toString('hex')).toBe(vector.signature);
  });

  it('imports the raw public key so that raw node:crypto verifies the published signature', () => {
    const publicKey = publicKeyFromRaw(b64url(vector.publicKey));
    expect(publicKey.export({ format: 'der', type: 'spki' }).toString('hex')).toBe(SPKI_PREFIX + vector.publicKey);
    expect(verify(null, fromHex(vector.message), publicKey, fromHex(vector.signature))).toBe(true);
    const otherMessage = Buffer.concat([fromHex(vector.message), Buffer.from([0])]);
    expect(verify(null, otherMessage, publicKey, fromHex(vector.signature))).toBe(false);
  });

  it('exports exactly the RFC 8410 PKCS#8 bytes, which import to the same key', () => {
    const viaJwk = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: b64url(vector.seed), x: b64url(vector.publicKey) },
      format: 'jwk',
    });
    const exported = exportPrivateKey(viaJwk);
    expect(Buffer.from(exported).toString('hex')).toBe(PKCS8_PREFIX + vector.seed);
    expect(sign(null, fromHex(vector.message), importPrivateKey(exported)).toString('hex')).toBe(vector.signature);
  });
});

describe('generateDeviceKeyPair', () => {
  it('gives a raw 32-byte public key in base64url that matches the private key', () => {
    const { publicKey, privateKey } = generateDeviceKeyPair();
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeBase64url(publicKey)).toHaveLength(32);
    expect(privateKey.type).toBe('private');
    expect(privateKey.asymmetricKeyType).toBe('ed25519');
    expect(rawPublicKey(privateKey)).toBe(publicKey);
    const message = Buffer.from('movelog');
    expect(verify(null, message, publicKeyFromRaw(publicKey), sign(null, message, privateKey))).toBe(true);
  });

  it('gives a different key each time', () => {
    expect(generateDeviceKeyPair().publicKey).not.toBe(generateDeviceKeyPair().publicKey);
  });

  it('round-trips the private key through PKCS#8 DER', () => {
    const { publicKey, privateKey } = generateDeviceKeyPair();
    const der = exportPrivateKey(privateKey);
    expect(der).toBeInstanceOf(Uint8Array);
    const restored = importPrivateKey(der);
    expect(rawPublicKey(restored)).toBe(publicKey);
    // Ed25519 is deterministic: the same key signs the same message to the same bytes.
    expect(sign(null, Buffer.from('x'), restored)).toEqual(sign(null, Buffer.from('x'), privateKey));
  });
});

describe('key argument checks', () => {
  const x25519 = generateKeyPairSync('x25519');
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('publicKeyFromRaw refuses wrong lengths and non-canonical base64url with RangeError', () => {
    expect(() => publicKeyFromRaw(Buffer.alloc(31, 1).toString('base64url'))).toThrow(RangeError);
    expect(() => publicKeyFromRaw(Buffer.alloc(33, 1).toString('base64url'))).toThrow(RangeError);
    expect(() => publicKeyFromRaw(`${b64url(RFC8032_VECTORS[0].publicKey)}=`)).toThrow(RangeError);
    expect(() => publicKeyFromRaw(42 as unknown as string)).toThrow(TypeError);
  });

  it('rawPublicKey and exportPrivateKey refuse keys that are not Ed25519 with TypeError', () => {
    expect(() => rawPublicKey(x25519.publicKey)).toThrow(TypeError);
    expect(() => rawPublicKey(p256.privateKey)).toThrow(TypeError);
    expect(() => rawPublicKey('key' as never)).toThrow(TypeError);
    expect(() => exportPrivateKey(x25519.privateKey)).toThrow(TypeError);
    expect(() => exportPrivateKey(publicKeyFromRaw(b64url(RFC8032_VECTORS[0].publicKey)))).toThrow(TypeError);
  });

  it('importPrivateKey refuses other bytes and other key types with RangeError', () => {
    expect(() => importPrivateKey(new Uint8Array(48))).toThrow(RangeError);
    expect(() => importPrivateKey(x25519.privateKey.export({ format: 'der', type: 'pkcs8' }))).toThrow(RangeError);
    expect(() => importPrivateKey(p256.privateKey.export({ format: 'der', type: 'pkcs8' }))).toThrow(RangeError);
    expect(() => importPrivateKey('MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
