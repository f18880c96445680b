import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { afterAll, describe, expect, it } from 'vitest';
import { CHAIN_ZERO, canonicalBytes, chainNext, entryHash, importPrivateKey, signEntryHash } from '../../main/ledger/crypto/index.js';
import type { JsonValue } from '../../main/ledger/crypto/index.js';

// Runs the outsider's verifier (written from docs/ledger-format.md alone) as a separate process
// against ledgers built from docs/ledger-vectors.json, intact and tampered. Fixtures are built with
// Movelog's code; the verifier under test imports none of it.

interface EntryVector {
  readonly n: number;
  readonly seed: string;
  readonly entry: Record<string, JsonValue>;
  readonly canonical: string;
  readonly hash: string;
  readonly sig: string;
  readonly chain: string;
  readonly line: string;
}
interface Vectors {
  readonly entries: readonly EntryVector[];
  readonly ledger: string;
  readonly nonCanonical: readonly { readonly name: string; readonly text: string; readonly hash: string; readonly sig: string }[];
  readonly signatures: readonly { readonly name: string; readonly sig: string }[];
}

const vectors = JSON.parse(readFileSync(new URL('../../docs/ledger-vectors.json', import.meta.url), 'utf8')) as Vectors;
const VERIFIER = new URL('./verify-ledger.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'movelog-outsider-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = <T>(list: readonly T[], i: number): T => {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
};
const entries = vectors.entries;
const [e1, e2, e3, e4] = [at(entries, 0), at(entries, 1), at(entries, 2), at(entries, 3)];
const lines = entries.map((e) => e.line);

let fileCount = 0;
function runVerifier(contents: string | Buffer): { status: number | null; out: string } {
  const file = join(dir, `ledger-${++fileCount}.jsonl`);
  writeFileSync(file, contents);
  const result = spawnSync(process.execPath, [VERIFIER, file], { encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}`.replace(`${file}: `, '') };
}
const jsonl = (ls: readonly string[]): string => ls.map((l) => `${l}\n`).join('');
const line = (n: number, entryText: string, hash: string, sig: string, chain: string): string =>
  `{"n":${n},"entry":${entryText},"hash":"${hash}","sig":"${sig}","chain":"${chain}"}`;

/** A ledger of these (entry, signer seed) pairs, hashed, signed and chained afresh: only the entries' own faults remain. */
function signedLedger(items: readonly { readonly entry: Record<string, JsonValue>; readonly seed: string }[]): string[] {
  let chain = CHAIN_ZERO;
  return items.map(({ entry, seed }, i) => {
    const bytes = canonicalBytes(entry);
    const hash = entryHash(bytes);
    const key = importPrivateKey(Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed, 'hex')]));
    chain = chainNext(chain, hash);
    return line(i + 1, Buffer.from(bytes).toString('utf8'), hash, signEntryHash(key, hash), chain);
  });
}
const withSig = (name: string): string => {
  const vector = vectors.signatures.find((s) => s.name === name);
  if (!vector) throw new Error(`no signature vector ${name}`);
  return line(1, e1.canonical, e1.hash, vector.sig, e1.chain);
};

describe('test/outsider/verify-ledger.mjs', () => {
  it('accepts the vectors ledger: exit 0 and a one-line summary', () => {
    expect(jsonl(lines)).toBe(vectors.ledger);
    const { status, out } = runVerifier(vectors.ledger);
    expect(out).toBe(`intact: 4 entries, 2 authors, 1 stream, chain head ${e4.chain}\n`);
    expect(status).toBe(0);
  });

  it('accepts an empty export (an empty file)', () => {
    const { status, out } = runVerifier('');
    expect(out).toBe(`intact: 0 entries, 0 authors, 0 streams, chain head ${CHAIN_ZERO}\n`);
    expect(status).toBe(0);
  });

  it('refuses a tampered copy: exit 1 naming the first bad line', () => {
    const tampered = jsonl([e1.line, e2.line.replace('Zoé', 'Zoe'), e3.line, e4.line]);
    const { status, out } = runVerifier(tampered);
    expect(out).toMatch(/^line 2: hash does not match the entry bytes/);
    expect(status).toBe(1);
  });

  const renumber = (l: string, n: number): string => l.replace(/^\{"n":\d+,/, `{"n":${n},`);
  it.each<[string, () => string | Buffer, RegExp]>([
    ['a removed line', () => jsonl([e1.line, e3.line, e4.line]), /^line 2: line form: does not start with \{"n":2,/],
    ['two lines swapped and renumbered', () => jsonl([e1.line, renumber(e3.line, 2), renumber(e2.line, 3), e4.line]), /^line 2: local chain breaks/],
    ['an altered chain value', () => jsonl([...lines.slice(0, 3), e4.line.replace(e4.chain, e3.chain)]), /^line 4: local chain breaks/],
    ['a missing final line feed', () => jsonl(lines).slice(0, -1), /^line 4: line form: the last line does not end with a line feed/],
    ['CRLF line ends', () => lines.map((l) => `${l}\r\n`).join(''), /^line 1: line form: does not end with/],
    ['whitespace in the line around the entry', () => jsonl([e1.line.replace('{"n":1,', '{"n": 1,'), ...lines.slice(1)]), /^line 1: line form/],
    [
      'a line with another signature',
      () => jsonl([...lines.slice(0, 3), e4.line.replace(e4.sig, e3.sig)]),
      /^line 4: signature refused \(step 5: the equation does not hold\)/,
    ],
    ['a signature with S + L', () => jsonl([withSig('S + L'), ...lines.slice(1)]), /^line 1: signature refused \(step 2: S is not below L\)/],
    // node:crypto alone accepts this one: only the verifier's own step 4 refuses it.
    [
      'a signature with a small-order R',
      () => jsonl([withSig('small-order R'), ...lines.slice(1)]),
      /^line 1: signature refused \(step 4: R is a point of small order\)/,
    ],
    [
      'a signature with a non-canonical R',
      () => jsonl([withSig('non-canonical R'), ...lines.slice(1)]),
      /^line 1: signature refused \(step 3: R is not a canonical point encoding\)/,
    ],
    // A cofactored verifier would accept this one.
    [
      'a signature with a mixed-order R',
      () => jsonl([withSig('mixed-order R'), ...lines.slice(1)]),
      /^line 1: signature refused \(step 5: the equation does not hold\)/,
    ],
    [
      'a seq that skips one (re-signed)',
      () => jsonl(signedLedger([e1, { ...e2, entry: { ...e2.entry, seq: 3 } }, e3, e4])),
      /^line 2: seq 3 does not follow 1 for this author in this stream/,
    ],
    [
      'a prev that names the wrong entry (re-signed)',
      () => jsonl(signedLedger([e1, e2, { ...e3, entry: { ...e3.entry, prev: e1.hash } }, e4])),
      /^line 3: prev is not the hash of the author's previous entry in this stream/,
    ],
    [
      'deps naming an entry that is not earlier (re-signed)',
      () => jsonl(signedLedger([e1, e2, e3, { ...e4, entry: { ...e4.entry, deps: ['ab'.repeat(32)] } }])),
      /^line 4: deps names abab\S+, which is not on an earlier line/,
    ],
    [
      "deps naming the author's own entry (re-signed)",
      () => jsonl(signedLedger([e1, e2, { ...e3, entry: { ...e3.entry, deps: [e1.hash] } }, e4])),
      /^line 3: deps names \S+, which is not another author's entry in this stream/,
    ],
    [
      'a genesis whose stream does not match its founder and nonce (re-signed)',
      () => jsonl(signedLedger([{ ...e1, entry: { ...e1.entry, body: { name: 'Physiothérapie du Lac', nonce: '0'.repeat(32) } } }])),
      /^line 1: genesis: stream should be c:[0-9a-f]{64}\/public for this founder and nonce/,
    ],
    [
      'an entry with an unknown member (re-signed)',
      () => jsonl(signedLedger([{ ...e1, entry: { ...e1.entry, extra: true } }])),
      /^line 1: entry has unknown member\(s\) extra/,
    ],
  ])('refuses %s', (_what, build, reason) => {
    const { status, out } = runVerifier(build());
    expect(out).toMatch(reason);
    expect(out.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(status).toBe(1);
  });

  it.each(vectors.nonCanonical.map((v) => [v.name, v] as const))('refuses non-canonical entry bytes: %s', (_name, vector) => {
    const first = line(1, vector.text, vector.hash, vector.sig, chainNext(CHAIN_ZERO, vector.hash));
    const { status, out } = runVerifier(jsonl([first]));
    expect(out).toMatch(/^line 1: not canonical JSON: /);
    expect(status).toBe(1);
  });

  it('exits 2 when the file cannot be read', () => {
    const result = spawnSync(process.execPath, [VERIFIER, join(dir, 'no-such-file.jsonl')], { encoding: 'utf8' });
    expect(result.stderr).toMatch(/^cannot read /);
    expect(result.status).toBe(2);
  });
});
