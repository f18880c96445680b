import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movelog } from '../../main/core.js';
import type { Draft } from '../../main/ledger/ledger.js';
import { viewDigest } from '../../main/ledger/rebuild.js';
import { clinicStream } from '../../main/ledger/streams.js';
import { createNet, netnsAvailable } from './harness.js';
import type { Net } from './harness.js';
import { clinic, clinicId, entryCount, eventually, finished, managerId, open, PACKAGE_ROOT, startSignal, stop, sync } from './movelogNet.js';
import type { Device } from './movelogNet.js';

/**
 * What must hold (docs/architecture.md#transport-and-guard): "a forged entry, an entry from a revoked device, an oversized update and a malformed Yjs
 * update are each rejected and quarantined while sync goes on; an equivocating device is detected
 * by the others". a and b run `movelog sync`; c and d are paired members that synced once and then
 * turned hostile: test/netns/hostile-peer.mjs joins the room in their namespace with their keys
 * and misbehaves. d is the equivocator (a frozen author would hide c's other attacks behind
 * "author is frozen").
 */

/** `n` signed settings changes by the manager, written on this device as one transaction. */
function writeMany(m: Movelog, n: number, offset = 0): void {
  const by = managerId(m);
  const stream = clinicStream(clinicId(m), 'public');
  const drafts: Draft[] = [];
  for (let i = 0; i < n; i++) drafts.push({ stream, kind: 'clinic.settings.set', by, body: { autoLockMinutes: 1 + ((offset + i) % 240) } });
  m.ledger.appendMany(drafts);
}

const same = (ms: readonly Movelog[]) => new Set(ms.map(entryCount)).size === 1 && new Set(ms.map((m) => viewDigest(m.db))).size === 1;
const describeCounts = (ms: readonly Movelog[]) => () =>
  ms
    .map((m) => `${entryCount(m)} entries, pending ${String((m.db.prepare('SELECT count(*) AS n FROM pending').get() as { n: number }).n)}`)
    .join(' / ');

interface QuarantineRow {
  hash: string | null;
  reason: string;
  source: string;
}

const quarantine = (m: Movelog): QuarantineRow[] =>
  m.db.prepare<[], QuarantineRow>('SELECT hash, reason, source FROM quarantine ORDER BY rowid').all();
const describeQuarantine = (ms: readonly Movelog[]) => () => ms.map((m) => JSON.stringify(quarantine(m))).join(' / ');

describe('hostile members of a clinic room', () => {
  let net: Net;
  let devices: Device[];
  const peers = new Map<string, ChildProcessWithoutNullStreams>();
  let a: Movelog;
  let b: Movelog;
  const opened: Movelog[] = [];
  /** Device keys of the hostile devices. */
  const keys = new Map<string, string>();
  let written = 0;

  beforeAll(async () => {
    if (!netnsAvailable()) throw new Error('These tests need root and `ip netns` (iproute2) to create network namespaces.');
    net = await createNet({ peers: ['a', 'b', 'c', 'd'] });
    const signal = await startSignal(net);
    devices = await clinic(net, ['a', 'b', 'c', 'd'], signal);
    // Everyone syncs once, so c and d hold the clinic's ledger (a joined device starts empty);
    // then c and d stop: from here on only the hostile script speaks for them.
    for (const d of devices) peers.set(d.name, await sync(net, d));
    const all = devices.map(open);
    opened.push(...all);
    await eventually(() => same(all), 120_000, describeCounts(all));
    for (const name of ['c', 'd']) {
      await stop(peers.get(name)!);
      peers.delete(name);
    }
    for (const [i, m] of all.entries()) {
      const name = devices[i]!.name;
      if (name === 'a') a = m;
      else if (name === 'b') b = m;
      else {
        keys.set(name, m.ledger.device.publicKey);
        m.close();
        opened.splice(opened.indexOf(m), 1);
      }
    }
  }, 300_000);

  afterAll(async () => {
    // A sync process that does not stop within 20 s is killed by net.destroy() all the same.
    await Promise.race([Promise.all([...peers.values()].map(stop)), new Promise((resolve) => setTimeout(resolve, 20_000))]);
    for (const m of opened) m.close();
    await net.destroy();
  }, 60_000);

  const device = (name: string) => devices.find((d) => d.name === name)!;

  /** Runs the hostile script as `name` in its namespace; returns its output once it exited 0. */
  async function attack(name: string, mode: string): Promise<string> {
    const honest = [a, b].map((m) => m.ledger.device.publicKey).join(',');
    const child = net.spawn(name, process.execPath, ['test/netns/hostile-peer.mjs', device(name).dir, honest, mode], { cwd: PACKAGE_ROOT });
    const done = await finished(child);
    expect(done.code, `hostile-peer ${mode} exited ${String(done.code)}:\n${done.stdout}${done.stderr}`).toBe(0);
    expect(done.stdout).toContain(`ATTACK DONE ${mode}`);
    return done.stdout;
  }

  const entriesIn = (output: string) => [...output.matchAll(/^ENTRY ([0-9a-f]{64})$/gm)].map((m) => m[1]!);
  const peerIdIn = (output: string) => /^PEER ID (\S+)$/m.exec(output)?.[1] ?? '';

  /** Sync goes on: 20 new entries on a reach b, and neither sync process has exited. */
  async function syncGoesOn(): Promise<void> {
    const base = entryCount(a);
    writeMany(a, 20, written);
    written += 20;
    await eventually(() => entryCount(b) >= base + 20 && same([a, b]), 60_000, describeCounts([a, b]));
    expect(peers.get('a')!.exitCode).toBeNull();
    expect(peers.get('b')!.exitCode).toBeNull();
  }

  it('a forged entry is quarantined by both peers', { timeout: 120_000 }, async () => {
    const output = await attack('c', 'forged');
    const [hash] = entriesIn(output);
    expect(hash).toBeDefined();
    const forged = (m: Movelog) => quarantine(m).find((r) => r.hash === hash);
    await eventually(() => forged(a) !== undefined && forged(b) !== undefined, 30_000, describeQuarantine([a, b]));
    for (const m of [a, b]) {
      expect(forged(m)).toMatchObject({ reason: expect.stringMatching(/signature does not verify/) as unknown, source: `sync:${keys.get('c')!}` });
      expect(m.db.prepare('SELECT 1 FROM entries WHERE hash = ?').get(hash)).toBeUndefined();
    }
    await syncGoesOn();
  });

  it('an entry from a revoked device is quarantined by both peers', { timeout: 120_000 }, async () => {
    const c = keys.get('c')!;
    a.ledger.append({
      stream: clinicStream(clinicId(a), 'public'),
      kind: 'device.revoked',
      by: managerId(a),
      body: { device: c, reason: 'stolen laptop' },
    });
    const revoked = (m: Movelog) =>
      m.db.prepare<[string], { revoked: number }>('SELECT revoked FROM view_devices WHERE key = ?').get(c)?.revoked === 1;
    await eventually(() => revoked(b), 60_000, describeCounts([a, b]));

    const output = await attack('c', 'revoked');
    const [hash] = entriesIn(output);
    expect(hash).toBeDefined();
    const refused = (m: Movelog) => quarantine(m).find((r) => r.hash === hash);
    await eventually(() => refused(a) !== undefined && refused(b) !== undefined, 30_000, describeQuarantine([a, b]));
    for (const m of [a, b]) {
      expect(refused(m)).toMatchObject({ reason: expect.stringMatching(/revoked/) as unknown, source: `sync:${c}` });
      expect(m.db.prepare('SELECT 1 FROM entries WHERE hash = ?').get(hash)).toBeUndefined();
    }
    await syncGoesOn();
  });

  it('an oversized update is refused and its sender disconnected by both peers', { timeout: 120_000 }, async () => {
    const output = await attack('c', 'oversized');
    expect(output).toContain('CLOSED 2/2');
    const source = `peer:${peerIdIn(output)}`;
    const row = (m: Movelog) => quarantine(m).find((r) => r.source === source);
    await eventually(() => row(a) !== undefined && row(b) !== undefined, 30_000, describeQuarantine([a, b]));
    for (const m of [a, b]) expect(row(m)?.reason).toMatch(/over the .*limit/);
    await syncGoesOn();
  });

  it('a malformed Yjs update is refused and its sender disconnected by both peers', { timeout: 120_000 }, async () => {
    const output = await attack('c', 'malformed');
    expect(output).toContain('CLOSED 2/2');
    const source = `peer:${peerIdIn(output)}`;
    const row = (m: Movelog) => quarantine(m).find((r) => r.source === source);
    await eventually(() => row(a) !== undefined && row(b) !== undefined, 30_000, describeQuarantine([a, b]));
    for (const m of [a, b]) expect(row(m)?.reason).toMatch(/malformed/);
    await syncGoesOn();
  });

  it('an equivocating device is detected and frozen by both peers', { timeout: 120_000 }, async () => {
    const d = keys.get('d')!;
    const output = await attack('d', 'equivocate');
    const hashes = entriesIn(output);
    expect(hashes).toHaveLength(2);
    const forks = (m: Movelog) =>
      m.db.prepare<[string], { stored_hash: string; other_hash: string }>('SELECT stored_hash, other_hash FROM forks WHERE author = ?').all(d);
    const frozen = (m: Movelog) => m.db.prepare<[string], { reason: string }>('SELECT reason FROM frozen_authors WHERE author = ?').get(d);
    await eventually(
      () => [a, b].every((m) => forks(m).length > 0 && frozen(m) !== undefined),
      30_000,
      () => [a, b].map((m) => JSON.stringify({ forks: forks(m), frozen: frozen(m) ?? null })).join(' / '),
    );
    for (const m of [a, b]) {
      const [fork] = forks(m);
      expect([fork?.stored_hash, fork?.other_hash].sort()).toEqual([...hashes].sort());
      expect(frozen(m)?.reason).toMatch(/equivocation/);
    }
    await syncGoesOn();
  });
});
