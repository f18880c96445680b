import { createCipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENTRY_BODIES, isEntryKind } from '../../shared/ledger/kinds/index.js';
import { migrate } from '../store/migrate.js';
import {
  CHAIN_ZERO,
  CanonicalJsonError,
  ENTRY_HASH_PREFIX,
  SIGNATURE_PREFIX,
  canonicalBytes,
  canonicalize,
  chainNext,
  entryHash,
  generateDeviceKeyPair,
  importPrivateKey,
  parseCanonical,
  rawPublicKey,
  signEntryHash,
  signatureRuleViolation,
  verifyEntrySignature,
} from './crypto/index.js';
import { validateEntry } from './entry.js';
import { Ledger } from './ledger.js';
import { openViews } from './rebuild.js';
import { kidOf, openBody, SealedBody } from './seal.js';
import { clinicIdFor } from './streams.js';

// docs/ledger-vectors.json is the checked-in truth that docs/ledger-format.md quotes. Everything in
// it is recomputed here from the two seeds with our code; a change to the format, to JCS or to the
// signature code that alters a single byte fails this file.

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const VectorFile = z.strictObject({
  about: z.string(),
  constants: z.strictObject({
    entryHashPrefixHex: z.string(),
    signaturePrefixHex: z.string(),
    clinicIdPrefixHex: z.string(),
    chain0: Hex64,
  }),
  clinic: z.strictObject({ founder: z.string(), nonce: z.string(), input: z.string(), clinicId: Hex64 }),
  entries: z.array(
    z.strictObject({
      n: z.number().int(),
      note: z.string(),
      seed: Hex64,
      publicKey: z.string(),
      publicKeyHex: Hex64,
      entry: z.record(z.string(), z.json()),
      canonical: z.string(),
      canonicalHex: z.string(),
      canonicalLength: z.number().int(),
      hash: Hex64,
      sig: z.string(),
      chain: Hex64,
      height: z.number().int(),
      line: z.string(),
    }),
  ),
  ledger: z.string(),
  nonCanonical: z.array(z.strictObject({ name: z.string(), reason: z.string(), text: z.string(), hex: z.string(), hash: Hex64, sig: z.string() })),
  signatures: z.array(z.strictObject({ name: z.string(), publicKey: z.string(), hash: Hex64, sig: z.string(), reason: z.string() })),
  sealed: z.strictObject({
    note: z.string(),
    sealPrefixHex: z.string(),
    kidPrefixHex: z.string(),
    key: Hex64,
    kid: z.string(),
    stream: z.string(),
    kind: z.string(),
    plaintext: z.string(),
    aadHex: z.string(),
    bodies: z.array(z.strictObject({ name: z.string(), ivHex: z.string(), body: z.record(z.string(), z.string()), canonical: z.string() })),
  }),
  bodies: z.array(
    z.strictObject({
      name: z.string(),
      kind: z.string(),
      stream: z.string(),
      body: z.record(z.string(), z.json()),
      canonical: z.string(),
      accepted: z.boolean(),
      reason: z.string(),
    }),
  ),
});

const raw = readFileSync(new URL('../../docs/ledger-vectors.json', import.meta.url), 'utf8');
const vectors = VectorFile.parse(JSON.parse(raw));
const { entries } = vectors;

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex'); // RFC 8410 wrapping of a 32-byte seed
const keyFromSeed = (seedHex: string) => importPrivateKey(Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(seedHex, 'hex')]));
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const at = <T>(list: readonly T[], i: number): T => {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
};

describe('docs/ledger-vectors.json', () => {
  it('has the shape the doc describes: four entries, one local chain, two authors', () => {
    expect(entries.map((e) => e.n)).toEqual([1, 2, 3, 4]);
    expect(new Set(entries.map((e) => e.seed)).size).toBe(2);
  });

  it('states the domain tags and chain_0', () => {
    expect(vectors.constants.entryHashPrefixHex).toBe(Buffer.from(ENTRY_HASH_PREFIX).toString('hex'));
    expect(vectors.constants.signaturePrefixHex).toBe(Buffer.from(SIGNATURE_PREFIX).toString('hex'));
    expect(utf8('movelog/entry/v1\0').toString('hex')).toBe(vectors.constants.entryHashPrefixHex);
    expect(utf8('movelog/sig/v1\0').toString('hex')).toBe(vectors.constants.signaturePrefixHex);
    expect(utf8('movelog/clinic/v1\0').toString('hex')).toBe(vectors.constants.clinicIdPrefixHex);
    expect(vectors.constants.chain0).toBe(CHAIN_ZERO);
  });

  it('derives the clinic id from the founder and the nonce', () => {
    const { founder, nonce, input, clinicId } = vectors.clinic;
    expect(canonicalize({ founder, nonce })).toBe(input);
    expect(clinicIdFor(founder, nonce)).toBe(clinicId);
    const genesis = at(entries, 0).entry;
    expect(genesis).toMatchObject({ kind: 'clinic.created', seq: 1, author: founder, stream: `c:${clinicId}/public` });
    expect(genesis['body']).toMatchObject({ nonce });
  });

  describe.each(entries.map((e) => [e.n, e] as const))('entry %i', (_n, vector) => {
    const bytes = canonicalBytes(vector.entry);

    it('has the public key of its seed', () => {
      const publicKey = rawPublicKey(keyFromSeed(vector.seed));
      expect(publicKey).toBe(vector.publicKey);
      expect(Buffer.from(publicKey, 'base64url').toString('hex')).toBe(vector.publicKeyHex);
      expect(vector.entry['author']).toBe(publicKey);
    });

    it('is a valid entry whose body satisfies its kind', () => {
      const entry = validateEntry(vector.entry);
      expect(isEntryKind(entry.kind)).toBe(true);
      if (!isEntryKind(entry.kind)) return;
      expect(ENTRY_BODIES[entry.kind].safeParse(entry.body).success).toBe(true);
    });

    it('has the canonical bytes given, as UTF-8 text and as hex', () => {
      expect(Buffer.from(bytes).toString('hex')).toBe(vector.canonicalHex);
      expect(Buffer.from(bytes).toString('utf8')).toBe(vector.canonical);
      expect(bytes.length).toBe(vector.canonicalLength);
      expect(parseCanonical(utf8(vector.canonical))).toEqual(vector.entry);
    });

    it('has the hash, the signature, the chain value and the height given', () => {
      expect(entryHash(bytes)).toBe(vector.hash);
      expect(signEntryHash(keyFromSeed(vector.seed), vector.hash)).toBe(vector.sig);
      expect(verifyEntrySignature(vector.publicKey, vector.hash, vector.sig)).toBe(true);
      const previous = vector.n === 1 ? CHAIN_ZERO : at(entries, vector.n - 2).chain;
      expect(chainNext(previous, vector.hash)).toBe(vector.chain);
      const parents = [vector.entry['prev'], ...(vector.entry['deps'] as string[])].filter((h): h is string => typeof h === 'string');
      const parentHeights = parents.map((hash) => entries.find((e) => e.hash === hash)?.height ?? Number.NaN);
      expect(vector.height).toBe(1 + Math.max(0, ...parentHeights));
    });

    it('has the export line given', () => {
      expect(vector.line).toBe(
        `{"n":${vector.n},"entry":${vector.canonical},"hash":"${vector.hash}","sig":"${vector.sig}","chain":"${vector.chain}"}`,
      );
      expect(JSON.parse(vector.line)).toEqual({ n: vector.n, entry: vector.entry, hash: vector.hash, sig: vector.sig, chain: vector.chain });
    });
  });

  it('exercises what they claim: prev, deps, key order, escapes and non-ASCII', () => {
    const [e1, e2, e3, e4] = [at(entries, 0), at(entries, 1), at(entries, 2), at(entries, 3)];
    expect(e2.entry).toMatchObject({ author: e1.publicKey, seq: 2, prev: e1.hash, deps: [] });
    expect(e3.entry).toMatchObject({ author: e1.publicKey, seq: 3, prev: e2.hash, deps: [] });
    expect(e4.entry).toMatchObject({ seq: 1, prev: null, deps: [e3.hash], stream: e1.entry['stream'] });
    expect(e4.publicKey).not.toBe(e1.publicKey);
    // Members as written in the file differ from the canonical order, at the top level and in a body.
    expect(JSON.stringify(e4.entry)).not.toBe(e4.canonical);
    expect(JSON.stringify(e2.entry['body'])).not.toBe(canonicalize(e2.entry['body'] ?? null));
    // é (2 UTF-8 bytes), an emoji outside the BMP (4 bytes, a surrogate pair in UTF-16), an escaped quote.
    expect(e1.canonical).toContain('é');
    expect(e2.canonical).toMatch(/\p{Extended_Pictographic}/u);
    expect(e2.canonicalLength).toBeGreaterThan(e2.canonical.length);
    expect(e3.canonical).toContain('"label":"Front desk \\"Reception/1\\""');
  });

  it('is quoted in docs/ledger-format.md §14', () => {
    const doc = readFileSync(new URL('../../docs/ledger-format.md', import.meta.url), 'utf8');
    const compact = doc.replace(/\s+/g, ''); // hex is wrapped in the doc
    const quoted = [vectors.clinic.input, vectors.clinic.clinicId, vectors.ledger];
    for (const e of entries) quoted.push(e.seed, e.publicKey, e.publicKeyHex, e.canonical, e.hash, e.sig, e.chain);
    for (const s of vectors.signatures) quoted.push(s.publicKey, s.sig);
    for (const text of quoted) expect(doc).toContain(text);
    for (const e of entries) expect(compact).toContain(e.canonicalHex);
    for (const v of vectors.nonCanonical) expect(doc).toContain(`| ${v.name} |`);
  });

  it('concatenates the lines into the ledger export', () => {
    expect(vectors.ledger).toBe(entries.map((e) => `${e.line}\n`).join(''));
  });

  it('is a real clinic ledger: a fresh device ingests all four entries, in order, as stored', () => {
    const db = new Database(':memory:');
    try {
      migrate(db);
      // As every opener does: the views of this build (docs/architecture.md#views), not only those the migrations made.
      openViews(db, null);
      const ledger = new Ledger(db, generateDeviceKeyPair(), { keystore: null });
      for (const vector of entries) {
        expect(ledger.ingest(utf8(vector.canonical), vector.sig, 'vectors')).toEqual({ status: 'stored', hash: vector.hash, localSeq: vector.n });
      }
      const stored = db.prepare<[], { hash: string; chain: string }>('SELECT hash, chain FROM entries ORDER BY local_seq').all();
      expect(stored).toEqual(entries.map((e) => ({ hash: e.hash, chain: e.chain })));
    } finally {
      db.close();
    }
  });

  describe('sealed bodies (§15.1)', () => {
    const v = vectors.sealed;
    const key = Buffer.from(v.key, 'hex');

    it('derive the kid from the key and bind the body to its stream and kind with the AAD', () => {
      expect(utf8('movelog/seal/v1\0').toString('hex')).toBe(v.sealPrefixHex);
      expect(utf8('movelog/kid/v1\0').toString('hex')).toBe(v.kidPrefixHex);
      expect(createHash('sha256').update(Buffer.from(v.kidPrefixHex, 'hex')).update(key).digest('hex').slice(0, 16)).toBe(v.kid);
      expect(kidOf(key)).toBe(v.kid);
      expect(Buffer.concat([Buffer.from(v.sealPrefixHex, 'hex'), canonicalBytes({ kind: v.kind, stream: v.stream })]).toString('hex')).toBe(v.aadHex);
      expect(canonicalize(JSON.parse(v.plaintext) as Parameters<typeof canonicalize>[0])).toBe(v.plaintext);
    });

    it.each(v.bodies.map((b) => [b.name, b] as const))('seal and open the body %s', (_name, b) => {
      const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(b.ivHex, 'hex'));
      cipher.setAAD(Buffer.from(v.aadHex, 'hex'));
      const ct = Buffer.concat([cipher.update(utf8(v.plaintext)), cipher.final(), cipher.getAuthTag()]);
      expect(b.body['iv']).toBe(Buffer.from(b.ivHex, 'hex').toString('base64url'));
      expect(b.body['ct']).toBe(ct.toString('base64url'));
      expect(canonicalize(b.body)).toBe(b.canonical);
      const sealed = SealedBody.parse(b.body);
      expect(sealed.kid === undefined || sealed.kid === v.kid).toBe(true);
      expect(openBody(key, v.stream, v.kind, sealed)).toEqual(JSON.parse(v.plaintext));
      expect(ENTRY_BODIES['access.read'].safeParse(b.body).success).toBe(true);
    });

    it('cover a body without kid and one with it, and are quoted in docs/ledger-format.md', () => {
      expect(v.bodies.map((b) => 'kid' in b.body)).toEqual([false, true]);
      const doc = readFileSync(new URL('../../docs/ledger-format.md', import.meta.url), 'utf8');
      for (const text of [v.key, v.kid, v.stream, v.plaintext, v.aadHex, ...v.bodies.flatMap((b) => [b.ivHex, b.canonical])])
        expect(doc).toContain(text);
    });
  });

  describe('bodies of kinds (docs/ledger-format.md §15)', () => {
    it.each(vectors.bodies.map((b) => [b.name, b] as const))('%s', (_name, vector) => {
      expect(canonicalize(vector.body)).toBe(vector.canonical);
      expect(isEntryKind(vector.kind)).toBe(true);
      if (!isEntryKind(vector.kind)) return;
      expect(ENTRY_BODIES[vector.kind].safeParse(vector.body).success).toBe(vector.accepted);
    });

    it('are quoted in docs/ledger-format.md', () => {
      const doc = readFileSync(new URL('../../docs/ledger-format.md', import.meta.url), 'utf8');
      for (const b of vectors.bodies.filter((v) => v.accepted)) expect(doc).toContain(b.canonical);
    });
  });

  describe('negative vectors', () => {
    it.each(vectors.nonCanonical.map((v) => [v.name, v] as const))('refuses %s, though its hash and signature are right', (_name, vector) => {
      const bytes = Buffer.from(vector.hex, 'hex');
      expect(bytes.toString('utf8')).toBe(vector.text);
      expect(entryHash(bytes)).toBe(vector.hash);
      expect(verifyEntrySignature(at(entries, 0).publicKey, vector.hash, vector.sig)).toBe(true);
      expect(() => parseCanonical(bytes)).toThrow(CanonicalJsonError);
    });

    // Steps 1–4 name the first four; the mixed-order ones pass them and fail the cofactorless
    // equation (step 5) only: a cofactored verifier would accept them (docs/ledger-format.md §6.3).
    const expectedReasons: Record<string, string | null> = {
      'S + L': 'S is not below the group order L',
      'small-order R': 'R is a point of small order',
      'non-canonical R': 'R is not a canonical point encoding',
      'small-order public key': 'public key is a point of small order',
      'mixed-order R': null,
      'mixed-order public key': null,
    };
    it.each(vectors.signatures.map((v) => [v.name, v] as const))('refuses the signature with %s', (name, vector) => {
      expect(signatureRuleViolation(vector.publicKey, vector.sig)).toBe(expectedReasons[name]);
      expect(verifyEntrySignature(vector.publicKey, vector.hash, vector.sig)).toBe(false);
    });

    it('covers every signature case the doc names', () => {
      expect(vectors.signatures.map((v) => v.name).sort()).toEqual(Object.keys(expectedReasons).sort());
    });
  });
});
