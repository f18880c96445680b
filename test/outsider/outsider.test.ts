import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_ZERO, canonicalBytes, chainNext, entryHash, importPrivateKey, signEntryHash } from '../../main/ledger/crypto/index.js';
import type { JsonValue } from '../../main/ledger/crypto/index.js';
import { CannotVerifyError } from '../../main/ledger/verify.js';
import { writeAuditBundle } from '../../main/reports/bundle.js';
import { bundleFixture } from '../../main/reports/testing/bundleFixture.js';
import { verifyAuditBundle } from '../../main/reports/verifyBundle.js';

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

// ---- audit bundles (docs/ledger-format.md §16) ----

const EXAMPLE = new URL('./audit-bundle.example', import.meta.url).pathname;

/** Runs the outsider on a bundle; many at once, as the machine allows. */
function runOnBundle(contents: string | Buffer): Promise<{ status: number | null; out: string }> {
  const file = join(dir, `bundle-${++fileCount}.jsonl`);
  writeFileSync(file, contents);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VERIFIER, '--bundle', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, out: out.replace(`${file}: `, '') }));
  });
}

/** Movelog's own verdict on the same bytes (the code `movelog verify --bundle` runs): its exit code. */
async function movelogStatus(contents: string | Buffer): Promise<number> {
  const file = join(dir, `bundle-${++fileCount}.jsonl`);
  writeFileSync(file, contents);
  try {
    return (await verifyAuditBundle(file)).problem === null ? 0 : 1;
  } catch (error) {
    if (error instanceof CannotVerifyError) return 2;
    throw error;
  }
}

async function inTurn<T, R>(items: readonly T[], width: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await each(items[i] as T);
      }
    }),
  );
  return results;
}

describe('test/outsider/verify-ledger.mjs --bundle', () => {
  let bundle: Buffer = Buffer.alloc(0);
  beforeAll(async () => {
    const fixture = bundleFixture();
    const file = join(dir, 'march.bundle');
    await writeAuditBundle(fixture.a.db, { from: '2026-03-01', to: '2026-03-31' }, file);
    bundle = readFileSync(file);
    fixture.a.db.close();
  });

  it('accepts a bundle Movelog wrote: exit 0 and what it proves, in one line', async () => {
    const { status, out } = await runOnBundle(bundle);
    expect(out).toMatch(
      /^intact: \d+ selected entries, \d+ context entries, positions \d+–\d+, checkpoint after \d+ entries witnessed by 2 devices of "North Clinic" and "Riverside Physio", 1 selected after it \(not witnessed\)\n$/,
    );
    expect(status).toBe(0);
  });

  it('accepts the example of docs/ledger-format.md §16.5, which the document quotes', async () => {
    const example = readFileSync(EXAMPLE);
    expect((await runOnBundle(example)).status).toBe(0);
    expect(await movelogStatus(example)).toBe(0);
    const doc = readFileSync(new URL('../../docs/ledger-format.md', import.meta.url), 'utf8');
    const header = example.toString('utf8').split('\n')[0] as string;
    expect(doc).toContain(header);
  });

  it('fails after any single byte is changed, and so does Movelog, with the same exit code (1, or 2 when it is no bundle any more)', async () => {
    // Deterministic sample: every 101st byte and the first and last byte of each line (one process
    // each; main/reports/bundle.test.ts checks every 7th byte with Movelog's verifier alone).
    const positions = new Set<number>();
    for (let i = 0; i < bundle.length; i += 101) positions.add(i);
    for (let i = 0, start = 0; i < bundle.length; i++)
      if (bundle[i] === 0x0a) {
        positions.add(start);
        positions.add(i - 1);
        start = i + 1;
      }
    const sample = [...positions].filter((i) => bundle[i] !== 0x0a).sort((x, y) => x - y);
    const verdicts = await inTurn(sample, 4, async (at) => {
      const changed = Buffer.from(bundle);
      changed[at] = (changed[at] as number) ^ 0x01;
      const [outsider, movelog] = [await runOnBundle(changed), await movelogStatus(changed)];
      return { at, outsider: outsider.status, movelog, out: outsider.out };
    });
    const wrong = verdicts.filter((v) => v.outsider === 0 || v.outsider !== v.movelog);
    expect(wrong).toEqual([]);
    expect(verdicts.length).toBeGreaterThan(200);
    // A change past the header is tampering (1), never "not a bundle" (2).
    const headerEnd = bundle.indexOf(0x0a);
    expect(verdicts.filter((v) => v.at > headerEnd && v.outsider !== 1)).toEqual([]);
  }, 300_000);

  it('fails when any line is dropped (a selected entry, a context entry, a link), as Movelog does', async () => {
    const lines = bundle.toString('utf8').split('\n').slice(0, -1);
    const verdicts = await inTurn(lines.map((_, i) => i).slice(1), 4, async (i) => {
      const dropped = lines
        .filter((_, j) => j !== i)
        .map((l) => `${l}\n`)
        .join('');
      return { i, outsider: (await runOnBundle(dropped)).status, movelog: await movelogStatus(dropped) };
    });
    expect(verdicts.filter((v) => v.outsider !== 1 || v.movelog !== 1)).toEqual([]);
  }, 120_000);

  it('names the line and the reason', async () => {
    const lines = bundle.toString('utf8').split('\n');
    const refused = lines.findIndex((l) => l.includes('"kind":"access.refused"'));
    lines[refused] = (lines[refused] as string).replace('role front_desk', 'role therapist');
    const { status, out } = await runOnBundle(lines.join('\n'));
    expect(out).toMatch(new RegExp(`^line ${refused + 1}: hash does not match the entry bytes`));
    expect(status).toBe(1);
  });

  it("accepts, as Movelog does, a header widened to a period that still holds the selection: the header is the writer's claim (§16.4)", async () => {
    const text = bundle.toString('utf8');
    const header = JSON.parse(text.slice(0, text.indexOf('\n'))) as { filter: { from: string }; period: { from: string } };
    const wider = text
      .replace(`"from":"${header.filter.from}"`, '"from":"2000-01-01"')
      .replace(`"from":"${header.period.from}"`, `"from":"${new Date(Date.UTC(1999, 11, 31, 23)).toISOString()}"`);
    expect(wider).not.toBe(text);
    expect((await runOnBundle(wider)).status).toBe(0);
    expect(await movelogStatus(wider)).toBe(0);
  });

  it('exits 2 on a file that is not an audit bundle, or is empty', async () => {
    expect((await runOnBundle(vectors.ledger)).status).toBe(2);
    expect((await runOnBundle('')).status).toBe(2);
  });
});
