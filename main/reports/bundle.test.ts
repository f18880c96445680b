import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDeviceKeyPair } from '../ledger/crypto/index.js';
import { foundClinic, tempLedger } from '../ledger/testing/fixtures.js';
import { bundleFixture, FRONT_DESK, OTHER_PATIENT, PASSPHRASE_VERIFIER, PATIENT, THERAPIST } from './testing/bundleFixture.js';
import type { BundleFixture } from './testing/bundleFixture.js';
import { writeAuditBundle } from './bundle.js';
import type { AuditFilter } from './filter.js';
import { describeBundleReport, verifyAuditBundle } from './verifyBundle.js';
import type { BundleReport } from './verifyBundle.js';
import { CannotVerifyError } from '../ledger/verify.js';
import { checkpointRound } from '../sync/checkpoints.js';

const dir = mkdtempSync(join(tmpdir(), 'movelog-bundle-'));
let fixture: BundleFixture;
let march = '';
let marchText = '';
let files = 0;

const MARCH: AuditFilter = { from: '2026-03-01', to: '2026-03-31' };

async function written(
  filter: AuditFilter,
  f: BundleFixture = fixture,
): Promise<{ file: string; rows: number; patients: readonly string[]; report: BundleReport }> {
  const file = join(dir, `bundle-${++files}.jsonl`);
  const { rows, patients } = await writeAuditBundle(f.a.db, filter, file);
  return { file, rows, patients, report: await verifyAuditBundle(file) };
}

/** The selected entries of a bundle, parsed: what an auditor reads. */
function selectedOf(file: string): { kind: string; by: string | null; stream: string; at: number; body: Record<string, unknown> }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^\{"n":\d+,"entry":/.test(l))
    .map((l) => (JSON.parse(l) as { entry: { kind: string; by: string | null; stream: string; at: number; body: Record<string, unknown> } }).entry);
}

async function verifyText(text: string | Buffer): Promise<BundleReport> {
  const file = join(dir, `edited-${++files}.jsonl`);
  writeFileSync(file, text);
  return verifyAuditBundle(file);
}

beforeAll(async () => {
  fixture = bundleFixture();
  march = join(dir, 'march.jsonl');
  await writeAuditBundle(fixture.a.db, MARCH, march);
  marchText = readFileSync(march, 'utf8');
});

describe('writeAuditBundle', () => {
  it("writes March's audit entries (Berlin days) with their signers, a checkpoint two clinics witnessed, and links; it verifies", async () => {
    const report = await verifyAuditBundle(march);
    expect(report.problem).toBeNull();
    expect(report.header).toMatchObject({
      zone: 'Europe/Berlin',
      // 1 March 00:00 CET to 1 April 00:00 CEST: the clocks changed on 29 March.
      period: { from: '2026-02-28T23:00:00.000Z', until: '2026-03-31T22:00:00.000Z' },
      filter: MARCH,
    });
    const kinds = selectedOf(march).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['staff.added', 'device.enrolled', 'patient.registered', 'access.read', 'access.listed', 'access.refused']),
    );
    // Not audit actions: the genesis, settings, trust, checkpoints, the passphrase verifier.
    expect(kinds).not.toEqual(expect.arrayContaining(['clinic.created']));
    for (const k of ['clinic.timezone.set', 'clinic.trusted', 'checkpoint.signed', 'staff.passphrase.set']) expect(kinds).not.toContain(k);
    expect(marchText).not.toContain(PASSPHRASE_VERIFIER);
    // 1 April 00:30 in Berlin is April there (31 March in UTC).
    expect(selectedOf(march).every((e) => e.at < Date.UTC(2026, 2, 31, 22))).toBe(true);
    expect(report.selected).toBe(kinds.length);
    expect(report.clinics.map((c) => [c.name, c.devices])).toEqual(
      expect.arrayContaining([
        ['Riverside Physio', 2],
        ['North Clinic', 1],
      ]),
    );
    expect(report.checkpoint?.device).toBe(fixture.a.device.publicKey);
    expect(report.checkpoint?.witnesses.map((w) => [w.device, w.clinicName]).sort()).toEqual(
      [
        [fixture.b.device.publicKey, 'Riverside Physio'],
        [fixture.c.device.publicKey, 'North Clinic'],
      ].sort(),
    );
    // The front desk's list after the checkpoint is signed and chained, not witnessed.
    expect(report.unwitnessed).toBe(1);
    expect(report.witnessed).toBe(report.selected - 1);
    const words = describeBundleReport(report);
    expect(words).toMatch(/^Intact: \d+ selected entries of 2026-03-01 to 2026-03-31 \(Europe\/Berlin/);
    expect(words).toContain('countersigned by 2 other devices of 2 clinics');
    expect(words).toContain('"North Clinic"');
    expect(words).toContain('NOT witnessed: 1 selected entry after the newest witnessed checkpoint');
    expect(words).toContain('Not shown by a bundle: that the selection is complete');
  });

  it('copies every selected entry byte for byte as stored, with its signature and chain value', () => {
    const stored = new Map(
      fixture.a.db
        .prepare<[], { local_seq: number; bytes: Buffer; sig: string; chain: string; hash: string }>(
          'SELECT local_seq, bytes, sig, chain, hash FROM entries',
        )
        .all()
        .map((r) => [r.local_seq, r]),
    );
    const lines = marchText.split('\n').filter((l) => /^\{"n":\d+,"entry":/.test(l));
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) {
      const n = Number(/^\{"n":(\d+),/.exec(l)?.[1]);
      const r = stored.get(n);
      if (!r) throw new Error(`no entry ${n}`);
      expect(l).toBe(`{"n":${n},"entry":${r.bytes.toString('utf8')},"hash":"${r.hash}","sig":"${r.sig}","chain":"${r.chain}"}`);
    }
  });

  it.each<[string, AuditFilter, (e: ReturnType<typeof selectedOf>[number]) => boolean]>([
    ['a staff member', { ...MARCH, staffId: THERAPIST }, (e) => e.by === THERAPIST],
    [
      'a patient: their streams and the lists that named them',
      { ...MARCH, patientId: PATIENT },
      (e) => e.stream.startsWith(`p:${PATIENT}/`) || (e.kind === 'access.listed' && (e.body.patients as string[]).includes(PATIENT)),
    ],
    ['an action', { ...MARCH, action: 'access.listed' }, (e) => e.kind === 'access.listed'],
  ])('selects by %s, and the bundle verifies', async (_what, filter, holds) => {
    const { file, rows, report } = await written(filter);
    expect(report.problem).toBeNull();
    const got = selectedOf(file);
    expect(rows).toBe(got.length);
    expect(got.length).toBeGreaterThan(0);
    expect(got.every(holds)).toBe(true);
    const all = selectedOf(march).filter(holds);
    expect(got).toEqual(all);
  });

  it("selects by clinic: entries signed by that clinic's devices only", async () => {
    const { file, report } = await written({ ...MARCH, clinicId: fixture.northId });
    expect(report.problem).toBeNull();
    // North Clinic's only audit action this ledger holds: its manager added herself.
    expect(selectedOf(file).map((e) => [e.kind, e.stream])).toEqual([['staff.added', `c:${fixture.northId}/public`]]);
  });

  it('returns the patients the selection names, for the caller to record as read', async () => {
    expect([...(await written(MARCH)).patients].sort()).toEqual([PATIENT, OTHER_PATIENT].sort());
    expect((await written({ ...MARCH, action: 'access.read' })).patients).toEqual([PATIENT]);
    expect((await written({ ...MARCH, action: 'staff.added' })).patients).toEqual([]);
  });

  it("names OTHER_PATIENT only through the lists that showed them, and the front desk's list too", async () => {
    const { file, report } = await written({ ...MARCH, patientId: OTHER_PATIENT });
    expect(report.problem).toBeNull();
    expect(selectedOf(file).map((e) => [e.kind, e.by])).toEqual([
      ['access.listed', THERAPIST],
      ['access.listed', FRONT_DESK],
    ]);
  });

  it('writes a bundle that selects nothing, which verifies and says so', async () => {
    const { file, rows, report, patients } = await written({ from: '2025-01-01', to: '2025-01-31' });
    expect(rows).toBe(0);
    expect(patients).toEqual([]);
    expect(report.problem).toBeNull();
    expect(report.header).toMatchObject({ selected: 0, segment: null, checkpoint: null, witnesses: [] });
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(1 + report.context);
  });

  it('checks against the checkpoint that covers every selected entry, witnessed by the most clinics, then the earliest', async () => {
    const f = bundleFixture();
    const later = () => {
      f.tick(60_000);
      f.a.append({
        stream: `c:${f.clinicId}/private`,
        kind: 'access.refused',
        by: FRONT_DESK,
        body: { call: 'notes.list', reason: 'role front_desk' },
      });
      checkpointRound(f.a);
    };
    const chosen = async () => {
      const { report } = await written(MARCH, f);
      expect(report.problem).toBeNull();
      return {
        size: report.checkpoint?.size,
        clinics: new Set(report.checkpoint?.witnesses.map((w) => w.clinic)).size,
        unwitnessed: report.unwitnessed,
      };
    };
    const first = await chosen();
    expect(first).toMatchObject({ clinics: 2, unwitnessed: 1 }); // none covers the front desk's list: the newest
    // A checkpoint covering everything, witnessed by the clinic's other device only.
    later();
    f.settleClinic();
    checkpointRound(f.b);
    f.settleClinic();
    const second = await chosen();
    expect(second).toMatchObject({ clinics: 1, unwitnessed: 0 });
    expect(second.size).toBeGreaterThan(first.size ?? 0);
    // Two more, both witnessed by devices of both clinics: the earlier of them.
    later();
    f.settle();
    checkpointRound(f.b);
    checkpointRound(f.c);
    f.settle();
    const third = await chosen();
    later();
    f.settle();
    checkpointRound(f.b);
    checkpointRound(f.c);
    f.settle();
    expect(third).toMatchObject({ clinics: 2, unwitnessed: 0 });
    expect(await chosen()).toEqual(third);
    for (const l of [f.a, f.b, f.c]) l.db.close();
  });

  it('without a witnessed checkpoint, the selection is chained but reported as not witnessed', async () => {
    const lonely = tempLedger(generateDeviceKeyPair(), () => Date.UTC(2026, 2, 3, 10));
    const clinic = foundClinic(lonely);
    lonely.append({
      stream: clinic.privateStream,
      kind: 'access.listed',
      by: clinic.managerId,
      body: { call: 'patient.search', role: 'manager', via: 'ipc', purpose: 'care', mode: 'ordinary', patients: [PATIENT] },
    });
    const file = join(dir, 'lonely.jsonl');
    expect(await writeAuditBundle(lonely.db, MARCH, file)).toEqual({ rows: 2, patients: [PATIENT] });
    const report = await verifyAuditBundle(file);
    expect(report.problem).toBeNull();
    expect(report.checkpoint).toBeNull();
    expect(report.unwitnessed).toBe(2);
    expect(describeBundleReport(report)).toContain('Witnessed: NO');
    lonely.db.close();
  });

  it('refuses a bad filter in words and writes nothing', async () => {
    const out = join(dir, 'refused.jsonl');
    await expect(writeAuditBundle(fixture.a.db, { from: '2026-03-31', to: '2026-03-01' }, out)).rejects.toThrow(
      'Invalid audit filter (to): the first day comes after the last.',
    );
    await expect(writeAuditBundle(fixture.a.db, { ...MARCH, staffId: 'Jürgen' }, out)).rejects.toThrow(/staffId.*staff id/);
    expect(existsSync(out)).toBe(false);
  });

  it('leaves nothing under the final name, nor a partial file, when aborted', async () => {
    const sub = join(dir, 'aborted');
    mkdirSync(sub);
    const out = join(sub, 'march.jsonl');
    const abort = new AbortController();
    const writing = writeAuditBundle(fixture.a.db, MARCH, out, {
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await expect(writing).rejects.toThrow(/Cancelled/);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('writes the file readable by its owner only', () => {
    expect(statSync(march).mode & 0o777).toBe(0o600);
  });
});

describe('verifyAuditBundle', () => {
  const lines = () => marchText.split('\n').slice(0, -1);
  const join_ = (ls: readonly string[]) => ls.map((l) => `${l}\n`).join('');

  it('fails after any single byte is changed: entry bytes, signatures, keys, hashes, chain values, the checkpoint and the header', async () => {
    const bytes = Buffer.from(marchText);
    // Deterministic sample: every 7th byte, and the first and last byte of every line.
    const positions = new Set<number>();
    for (let i = 0; i < bytes.length; i += 7) positions.add(i);
    for (let i = 0, start = 0; i < bytes.length; i++)
      if (bytes[i] === 0x0a) {
        positions.add(start);
        positions.add(i - 1);
        start = i + 1;
      }
    let checked = 0;
    for (const at of [...positions].sort((a, b) => a - b)) {
      if (bytes[at] === 0x0a) continue;
      const changed = Buffer.from(bytes);
      changed[at] = (changed[at] as number) ^ 0x01;
      const intact = await verifyText(changed).then(
        (r) => r.problem === null,
        (error: unknown) => (error instanceof CannotVerifyError ? false : Promise.reject(error as Error)),
      );
      if (intact)
        throw new Error(`a change of byte ${at} (${JSON.stringify(bytes.subarray(Math.max(0, at - 20), at + 20).toString())}) still verifies`);
      checked++;
    }
    expect(checked).toBeGreaterThan(2000);
  }, 120_000);

  it('fails when any line is dropped: a selected entry, a context entry, a link, the start of the links', async () => {
    const ls = lines();
    for (let i = 1; i < ls.length; i++) {
      const report = await verifyText(join_(ls.filter((_, j) => j !== i)));
      expect(report.problem, `dropping line ${i + 1}: ${ls[i]?.slice(0, 60) ?? ''}`).not.toBeNull();
    }
  });

  it('names the line and the reason', async () => {
    const ls = lines();
    const selected = ls.findIndex((l) => l.includes('"kind":"access.refused"'));
    const edited = [...ls];
    edited[selected] = (edited[selected] as string).replace('"reason":"role front_desk"', '"reason":"role therapist"');
    expect((await verifyText(join_(edited))).problem).toEqual({
      line: selected + 1,
      reason: expect.stringMatching(/^stored hash does not match the entry's bytes/) as unknown,
    });
    // A selected entry turned into a link, the header's count left as it was.
    const asLink = [...ls];
    const m = /^\{"n":(\d+),"entry":.*,"hash":"([0-9a-f]{64})","sig"/.exec(ls[selected] as string);
    asLink[selected] = `{"n":${m?.[1] ?? ''},"hash":"${m?.[2] ?? ''}"}`;
    expect((await verifyText(join_(asLink))).problem?.reason).toMatch(/holds \d+ selected entries, the header says \d+/);
    // Two problems: the earlier line is named, although its signature is checked after the later
    // line's form (selected entries are checked in batches, in order).
    const two = [...ls];
    two[selected] = (two[selected] as string).replace(/"sig":"(.)/, (_m, c: string) => `"sig":"${c === 'A' ? 'B' : 'A'}`);
    const lastLink =
      two
        .map((l, i) => [l, i] as const)
        .filter(([l]) => /^\{"n":\d+,"hash":/.test(l))
        .pop()?.[1] ?? 0;
    expect(lastLink).toBeGreaterThan(selected);
    two[lastLink] = (two[lastLink] as string).replace('{"n":', '{"n": ');
    expect((await verifyText(join_(two))).problem).toEqual({ line: selected + 1, reason: 'signature does not verify' });
    // A file cut short of its last line feed.
    expect((await verifyText(marchText.slice(0, -1))).problem?.reason).toBe('the file does not end with a line feed');
  });

  it('could not check (exit 2 in the CLI): a missing file, an empty one, or one that is not a bundle', async () => {
    await expect(verifyAuditBundle(join(dir, 'none.jsonl'))).rejects.toThrow(CannotVerifyError);
    await expect(verifyText('')).rejects.toThrow(/is empty/);
    await expect(verifyText('{"n":1,"entry":{}}\n')).rejects.toThrow(/is not an audit bundle/);
  });
});
