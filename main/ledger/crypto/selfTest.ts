import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, scryptSync } from 'node:crypto';
import { canonicalBytes } from './jcs.js';
import { chainNext, CHAIN_ZERO, entryHash } from './hash.js';
import { rawPublicKey } from './keys.js';
import { signEntryHash, verifyEntrySignature } from './sign.js';

/**
 * Known-answer test of the crypto the ledger relies on, run at startup: Electron's main process
 * uses BoringSSL, not OpenSSL, and a runtime that computes any of these differently must refuse
 * to write rather than sign entries no one else can verify. Uses vector 1 of
 * docs/ledger-vectors.json and its malleated twin (S + L), which must be refused.
 */
const SEED_HEX = '94b72d00bdeaa48935e16aa3cf786ca6c9789436add93945c26b98278880a2e3';
const PUBLIC_KEY = 'CwHUITTFPzg99ZWYTSIyHV-e62jm0yK7RToRnB7lrWw';
const ENTRY = {
  v: 1,
  stream: 'c:beb7552cdbff8b5e98df80f09bad76d300a83fa98db8c66b531a0d185eb4af07/public',
  author: PUBLIC_KEY,
  seq: 1,
  prev: null,
  deps: [],
  at: 1767225600000,
  by: '5f0c6a1e9b2d4c7e8a3f1b6d2e9c0a47',
  kind: 'clinic.created',
  body: { name: 'Physiothérapie du Lac', nonce: '8d2f6e1a4b9c07d3e5f1a2b3c4d5e6f7' },
};
const HASH = '96eb2b3d1a3a8942225e618724d5e5237e589f1f95329b552b488fa4a7531822';
const SIG = 'yhwU-1EAv3UyiWl-an445opyhgipca16oWH38mIdHYxnugujkPqBNOI8YEJ6ZLfkDlmf05HHqMpcBYfoDZM_BQ';
const SIG_S_PLUS_L = 'yhwU-1EAv3UyiWl-an445opyhgipca16oWH38mIdHYxUjgEAq12UjLjZV-VYXpb5Dlmf05HHqMpcBYfoDZM_FQ';
const CHAIN_1 = '2549190e434105ba670b355eb1e46ec98bdabd79007c1f3bba6434748e937e9d';

// PKCS#8 wrapper for a raw Ed25519 seed (RFC 8410).
const PKCS8_PREFIX = '302e020100300506032b657004220420';

export class CryptoSelfTestError extends Error {
  constructor(what: string) {
    super(`This runtime's cryptography gave a wrong answer (${what}). Movelog will not write entries with it.`);
    this.name = 'CryptoSelfTestError';
  }
}

/** Throws CryptoSelfTestError unless JCS, SHA-256, Ed25519 and the strict rule all give the known answers. */
export function cryptoSelfTest(): void {
  const privateKey = createPrivateKey({ key: Buffer.from(PKCS8_PREFIX + SEED_HEX, 'hex'), format: 'der', type: 'pkcs8' });
  if (rawPublicKey(createPublicKey(privateKey)) !== PUBLIC_KEY) throw new CryptoSelfTestError('Ed25519 public key');
  const hash = entryHash(canonicalBytes(ENTRY));
  if (hash !== HASH) throw new CryptoSelfTestError('canonical JSON or SHA-256');
  if (chainNext(CHAIN_ZERO, hash) !== CHAIN_1) throw new CryptoSelfTestError('local chain');
  if (signEntryHash(privateKey, hash) !== SIG) throw new CryptoSelfTestError('Ed25519 signing');
  if (!verifyEntrySignature(PUBLIC_KEY, hash, SIG)) throw new CryptoSelfTestError('Ed25519 verification');
  if (verifyEntrySignature(PUBLIC_KEY, hash, SIG_S_PLUS_L)) throw new CryptoSelfTestError('strict verification rule');
  aesGcmSelfTest();
  // scrypt derives the key of a vault locked by the clinic passphrase (docs/architecture.md#the-vault):
  // RFC 7914 §12, the second vector.
  const derived = scryptSync('password', 'NaCl', 64, { N: 1024, r: 8, p: 16 }).toString('hex');
  if (derived !== SCRYPT_RFC7914) throw new CryptoSelfTestError('scrypt');
}

const SCRYPT_RFC7914 =
  'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640';

// AES-256-GCM, which seals patient bodies: a known answer, and a flipped bit must be refused.
const GCM_KEY = Buffer.alloc(32, 1);
const GCM_IV = Buffer.alloc(12, 2);
const GCM_AAD = Buffer.from('movelog/seal/v1');
const GCM_PLAIN = '{"givenName":"Zoë"}';
const GCM_SEALED = '7cf4ae203c32afb3b2a1d9ea668598dd611ef3928900f3333a9122425c9d5de1e0113085';

function aesGcmSelfTest(): void {
  const cipher = createCipheriv('aes-256-gcm', GCM_KEY, GCM_IV);
  cipher.setAAD(GCM_AAD);
  const sealed = Buffer.concat([cipher.update(GCM_PLAIN), cipher.final(), cipher.getAuthTag()]);
  if (sealed.toString('hex') !== GCM_SEALED) throw new CryptoSelfTestError('AES-256-GCM sealing');
  const open = (data: Buffer) => {
    const decipher = createDecipheriv('aes-256-gcm', GCM_KEY, GCM_IV);
    decipher.setAAD(GCM_AAD);
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  };
  if (open(sealed) !== GCM_PLAIN) throw new CryptoSelfTestError('AES-256-GCM opening');
  const tampered = Buffer.from(sealed);
  tampered[0] = (tampered[0] ?? 0) ^ 1;
  let refused = false;
  try {
    open(tampered);
  } catch {
    refused = true;
  }
  if (!refused) throw new CryptoSelfTestError('AES-256-GCM authentication');
}
