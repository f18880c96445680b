import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeAuditBundle } from '../main/reports/bundle.js';
import { bundleFixture } from '../main/reports/testing/bundleFixture.js';
import { movelogCli, runNode } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'movelog-bundle-cli-'));
const march = join(dir, 'march.bundle');
const outsider = (file: string) => runNode(['test/outsider/verify-ledger.mjs', '--bundle', file]);

beforeAll(async () => {
  const fixture = bundleFixture();
  await writeAuditBundle(fixture.a.db, { from: '2026-03-01', to: '2026-03-31' }, march);
  fixture.a.db.close();
});

describe('movelog verify --bundle (real processes)', () => {
  it('exits 0 on an intact bundle and says what was checked, against which checkpoint, which clinics witnessed it, and what it cannot show', async () => {
    const result = await movelogCli(['verify', '--bundle', march]);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Intact: 10 selected entries of 2026-03-01 to 2026-03-31 \(Europe\/Berlin: 2026-02-28T23:00:00\.000Z to 2026-03-31T22:00:00\.000Z\)/,
    );
    expect(result.stdout).toMatch(/Signers: 2 devices of "Riverside Physio" \([0-9a-f]{64}\); 1 device of "North Clinic"/);
    expect(result.stdout).toMatch(
      /Witnessed: the chain after \d+ entries is the checkpoint device \S+ of "Riverside Physio" .* countersigned by 2 other devices of 2 clinics: 1 of "North Clinic" \([0-9a-f]{64}\), 1 of "Riverside Physio"/,
    );
    expect(result.stdout).toContain('NOT witnessed: 1 selected entry after the newest witnessed checkpoint');
    expect(result.stdout).toContain('Not shown by a bundle: that the selection is complete');
    expect(result.code).toBe(0);
    expect((await outsider(march)).code).toBe(0);
    const json = await movelogCli(['verify', '--bundle', march, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ problem: null, selected: 10, unwitnessed: 1, checkpoint: { witnesses: [{}, {}] } });
  });

  it('exits 1 naming the line when an entry was altered or dropped; the outsider agrees', async () => {
    const lines = readFileSync(march, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"kind":"access.read"'));
    const altered = join(dir, 'altered.bundle');
    // One character of the signature changed.
    const sig = /"sig":"([^"]+)"/.exec(lines[at] as string)?.[1] ?? '';
    const flipped = sig.startsWith('A') ? `B${sig.slice(1)}` : `A${sig.slice(1)}`;
    writeFileSync(altered, lines.map((l, i) => (i === at ? l.replace(sig, flipped) : l)).join('\n'));
    const result = await movelogCli(['verify', '--bundle', altered]);
    expect(result.stdout).toMatch(new RegExp(`^TAMPERING OR INCONSISTENCY FOUND: line ${at + 1}: signature does not verify`));
    expect(result.code).toBe(1);
    expect((await outsider(altered)).code).toBe(1);

    const dropped = join(dir, 'dropped.bundle');
    writeFileSync(dropped, lines.filter((_, i) => i !== at).join('\n'));
    expect((await movelogCli(['verify', '--bundle', dropped])).code).toBe(1);
    expect((await outsider(dropped)).code).toBe(1);
  });

  it('exits 2 when it cannot check: no such file, or not an audit bundle; and refuses two sources at once', async () => {
    const missing = await movelogCli(['verify', '--bundle', join(dir, 'absent.bundle')]);
    expect(missing.stderr).toMatch(/^movelog verify: could not check: cannot read /);
    expect(missing.code).toBe(2);
    const ledgerFile = join(dir, 'not-a-bundle.jsonl');
    writeFileSync(ledgerFile, '{"n":1,"entry":{}}\n');
    const notBundle = await movelogCli(['verify', '--bundle', ledgerFile]);
    expect(notBundle.stderr).toMatch(/is not an audit bundle/);
    expect(notBundle.code).toBe(2);
    expect((await outsider(ledgerFile)).code).toBe(2);
    const both = await movelogCli(['verify', '--bundle', march, '--ledger', march]);
    expect(both.stderr).toContain('Give exactly one of --data DIR, --ledger FILE or --bundle FILE.');
    expect(both.code).toBe(2);
  });
});
