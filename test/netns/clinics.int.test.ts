import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movelog } from '../../main/core.js';
import { witnessedCheckpoints } from '../../main/ledger/checkpoints.js';
import { clinicStream } from '../../main/ledger/streams.js';
import { withdrawTrust } from '../../main/sync/trust.js';
import { createNet, netnsAvailable } from './harness.js';
import type { Net } from './harness.js';
import { clinic, clinicId, eventually, finished, managerId, movelog, open, printed, startSignal, stop, sync } from './movelogNet.js';
import type { Device } from './movelogNet.js';

const SUMMIT = { clinic: 'Summit Physio', manager: 'Ana Ruiz' };

/** Entries of a stream this device holds. */
const held = (m: Movelog, stream: string) =>
  m.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM entries WHERE stream = ?').get(stream)?.n ?? 0;

/** Streams of `clinic` this device holds, other than its public one (must be none elsewhere). */
const foreignStreams = (m: Movelog, home: string) =>
  m.db
    .prepare<[string], { stream: string }>("SELECT DISTINCT stream FROM entries WHERE stream NOT LIKE 'c:' || ? || '/%' ORDER BY stream")
    .all(home)
    .map((r) => r.stream);

describe('two clinics with two devices each, trusted through invitation codes', () => {
  let net: Net;
  let harbour: Device[];
  let summit: Device[];
  const peers = new Map<string, ChildProcessWithoutNullStreams>();
  const opened: Movelog[] = [];
  let signal: string;

  beforeAll(async () => {
    if (!netnsAvailable()) throw new Error('These tests need root and `ip netns` (iproute2) to create network namespaces.');
    net = await createNet({ peers: ['a', 'b', 'c', 'd'] });
    signal = await startSignal(net);
    harbour = await clinic(net, ['a', 'b'], signal);
    summit = await clinic(net, ['c', 'd'], signal, SUMMIT);
    for (const d of [...harbour, ...summit]) peers.set(d.name, await sync(net, d, ['--checkpoint-seconds', '2']));
  }, 180_000);

  afterAll(async () => {
    for (const child of peers.values()) await stop(child);
    for (const m of opened) m.close();
    await net.destroy();
  }, 60_000);

  const openAll = () => {
    const ms = [...harbour, ...summit].map(open);
    opened.push(...ms);
    return ms as [Movelog, Movelog, Movelog, Movelog];
  };

  it(
    'the managers compare the same safety number, both confirm, and public records flow both ways to every device',
    { timeout: 240_000 },
    async () => {
      const [a, b, c, d] = openAll();
      // Each clinic's own devices converge first (the joined devices receive their clinic).
      await eventually(
        () => held(b, clinicStream(clinicId(a), 'public')) === held(a, clinicStream(clinicId(a), 'public')),
        60_000,
        () => 'harbour b',
      );
      await eventually(
        () => held(d, clinicStream(clinicId(c), 'public')) === held(c, clinicStream(clinicId(c), 'public')),
        60_000,
        () => 'summit d',
      );
      const H = clinicId(a);
      const S = clinicId(c);

      // Harbour's manager invites on a; Summit's manager answers on c (CLI, each in its namespace).
      const invite = movelog(net, 'a', ['invite', '--data', harbour[0]!.dir, '--manager', 'Lee Chen']);
      const inviteDone = finished(invite);
      const code = (await printed(invite, /Invitation code: [0-9A-Z-]{14}/)).slice('Invitation code: '.length);
      const trust = movelog(net, 'c', ['trust', code, '--data', summit[0]!.dir, '--signal', signal, '--manager', SUMMIT.manager]);
      const trustDone = finished(trust);
      const numbers = await Promise.all([printed(invite, /Safety number: [\d ]{47}/), printed(trust, /Safety number: [\d ]{47}/)]);
      expect(numbers[0]).toBe(numbers[1]);
      invite.stdin.write('yes\n');
      trust.stdin.write('yes\n');
      const [invited, trusted] = await Promise.all([inviteDone, trustDone]);
      expect(invited.code, invited.stdout + invited.stderr).toBe(0);
      expect(trusted.code, trusted.stdout + trusted.stderr).toBe(0);
      expect(invited.stdout).toContain('"Summit Physio" is trusted');
      expect(trusted.stdout).toContain('"Harbour Rehab" is trusted');

      // Every device of each clinic (b and d too: they learn the pair secret from their own clinic's
      // private stream) ends with both public streams in full.
      const all = [a, b, c, d];
      const complete = () =>
        all.every(
          (m) =>
            held(m, clinicStream(H, 'public')) === held(a, clinicStream(H, 'public')) &&
            held(m, clinicStream(S, 'public')) === held(c, clinicStream(S, 'public')),
        );
      await eventually(complete, 90_000, () =>
        all.map((m) => `${held(m, clinicStream(H, 'public'))}/${held(m, clinicStream(S, 'public'))}`).join(' '),
      );

      // Only public streams cross: no private stream, no patient stream of the other clinic.
      for (const m of [a, b]) expect(foreignStreams(m, H)).toEqual([clinicStream(S, 'public')]);
      for (const m of [c, d]) expect(foreignStreams(m, S)).toEqual([clinicStream(H, 'public')]);

      // A new staff member at Harbour appears in Harbour's directory as Summit's devices see it.
      a.ledger.append({
        stream: clinicStream(H, 'public'),
        kind: 'staff.added',
        by: managerId(a),
        body: { staffId: 'a1'.repeat(16), name: 'Priya Nair', role: 'therapist', licence: 'PT-7781' },
      });
      const staffAt = (m: Movelog) =>
        m.db
          .prepare<[string], { name: string }>('SELECT name FROM view_staff WHERE clinic_id = ? ORDER BY name')
          .all(H)
          .map((r) => r.name);
      await eventually(
        () => staffAt(d).includes('Priya Nair'),
        60_000,
        () => staffAt(d).join(', '),
      );

      // The other clinic's devices witness this clinic's checkpoints.
      const me = a.ledger.device.publicKey;
      await eventually(
        () => witnessedCheckpoints(a.db, me).some((cp) => cp.clinics >= 2 && cp.matches),
        90_000,
        () => JSON.stringify(witnessedCheckpoints(a.db, me)),
      );

      // `movelog status --json` on d shows Harbour as trusted, with its public entries held.
      const status = await finished(movelog(net, 'd', ['status', '--json', '--data', summit[1]!.dir]));
      const report = JSON.parse(status.stdout) as { trustedClinics: { name: string; state: string; entries: number }[] };
      expect(report.trustedClinics.map((t) => [t.name, t.state])).toEqual([['Harbour Rehab', 'trusted']]);
      expect(report.trustedClinics[0]?.entries).toBeGreaterThan(0);
    },
  );

  it("withdrawing trust closes the pair room: Harbour's later entries reach its own devices, not Summit's", { timeout: 120_000 }, async () => {
    const [a, b, c, d] = opened as [Movelog, Movelog, Movelog, Movelog];
    const H = clinicId(a);
    withdrawTrust(a.ledger, a.keystore, managerId(a), clinicId(c), 'Contract ended');
    // Let the withdrawal reach b, and both Harbour sync peers close their pair rooms (they re-read trust every 2 s).
    const withdrawn = (m: Movelog) => m.db.prepare("SELECT 1 FROM view_trust WHERE state = 'withdrawn'").get() !== undefined;
    await eventually(
      () => withdrawn(b),
      60_000,
      () => 'withdrawal at b',
    );
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    a.ledger.append({
      stream: clinicStream(H, 'public'),
      kind: 'staff.added',
      by: managerId(a),
      body: { staffId: 'b2'.repeat(16), name: 'Tom Berg', role: 'assistant', licence: null },
    });
    const tom = (m: Movelog) => m.db.prepare('SELECT 1 FROM view_staff WHERE name = ?').get('Tom Berg') !== undefined;
    await eventually(
      () => tom(b),
      60_000,
      () => 'Tom Berg at b',
    );
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    expect(tom(c)).toBe(false);
    expect(tom(d)).toBe(false);
  });
});
