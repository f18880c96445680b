import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClinicOverview, VerifyOutcome } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { clinicStream } from '../ledger/streams.js';
import { checkpointRound } from '../sync/checkpoints.js';

const quiet = { warn: () => undefined, error: () => undefined };
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

function open(name: string): Movelog {
  const m = openMovelog(mkdtempSync(join(tmpdir(), `movelog-clinic-${name}-`)), Date.now, quiet);
  opened.push(m);
  return m;
}

/** Hands every entry of `from` to `to`, as sync would. */
function copy(from: Movelog, to: Movelog): void {
  for (const e of from.db.prepare<[], { bytes: Buffer; sig: string }>('SELECT bytes, sig FROM entries ORDER BY local_seq').all())
    to.ledger.ingest(e.bytes, e.sig, 'test');
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(result: unknown) => {
  expect(result).toMatchObject({ ok: true });
  return (result as { value: T }).value;
};

describe('the Clinic page', () => {
  it("shows the clinic's name, its computers and this computer's witnessed checkpoints, in counts of computers and clinics", async () => {
    const a = open('a');
    value(await a.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' }));
    const b = open('b');
    const clinicId = (a.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
    const manager = (a.db.prepare('SELECT id FROM view_staff').get() as { id: string }).id;
    a.ledger.append({
      stream: clinicStream(clinicId, 'public'),
      kind: 'device.enrolled',
      by: manager,
      body: { device: b.ledger.device.publicKey, label: 'Front desk PC' },
    });

    let overview = value<ClinicOverview>(await a.invoke('mgr', 'ws', 'clinic.overview', {}));
    expect(overview.clinic).toMatchObject({ id: clinicId, name: 'Harbour Rehab', managerName: 'Lee Chen' });
    expect(overview.devices).toMatchObject([
      { label: 'First device', revoked: false, thisDevice: true },
      { label: 'Front desk PC', revoked: false, thisDevice: false },
    ]);
    expect(overview.checkpoints).toEqual([]);
    expect(overview.lastVerify).toBeNull();

    // a signs a checkpoint; b receives it and witnesses it; a receives the witness.
    checkpointRound(a.ledger);
    copy(a, b);
    expect(checkpointRound(b.ledger)).toBeGreaterThanOrEqual(1);
    copy(b, a);
    overview = value<ClinicOverview>(await a.invoke('mgr', 'ws', 'clinic.overview', {}));
    expect(overview.checkpoints).toMatchObject([{ devices: 1, otherClinics: 0, matches: true }]);
    expect(overview.checkpoints[0]!.size).toBeGreaterThan(0);
  });

  it('verifies on demand (managers), keeps the outcome, and says what it found', async () => {
    const m = open('v');
    value(await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' }));
    const outcome = value<VerifyOutcome>(await m.invoke('mgr', 'ws', 'ledger.verify', {}));
    expect(outcome).toMatchObject({ intact: true, problem: null, viewsMatch: true });
    expect(outcome.entries).toBeGreaterThanOrEqual(4);
    expect(value<ClinicOverview>(await m.invoke('mgr', 'ws', 'clinic.overview', {})).lastVerify).toEqual(outcome);

    // A damaged view is found and said in words.
    m.db.prepare("UPDATE view_clinic SET name = 'Someone Else'").run();
    const damaged = value<VerifyOutcome>(await m.invoke('mgr', 'ws', 'ledger.verify', {}));
    expect(damaged).toMatchObject({ intact: false, viewsMatch: false });
    expect(damaged.problem).toMatch(/views differ from a rebuild/);
  });
});
