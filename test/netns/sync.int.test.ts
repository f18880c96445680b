import { execFileSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movelog } from '../../main/core.js';
import { viewDigest } from '../../main/ledger/rebuild.js';
import { createNet, netnsAvailable } from './harness.js';
import type { Net } from './harness.js';
import { clinic, describeCounts, entryCount, eventually, finished, open, same, startSignalServer, stop, sync, writeMany } from './movelogNet.js';
import type { Device } from './movelogNet.js';

describe('sync between real processes in network namespaces', () => {
  let net: Net;
  let devices: Device[];
  const peers = new Map<string, ChildProcessWithoutNullStreams>();
  const opened: Movelog[] = [];
  let signal: Awaited<ReturnType<typeof startSignalServer>>;

  beforeAll(async () => {
    if (!netnsAvailable()) throw new Error('These tests need root and `ip netns` (iproute2) to create network namespaces.');
    net = await createNet({ peers: ['a', 'b'] });
    signal = await startSignalServer(net);
    devices = await clinic(net, ['a', 'b'], signal.url);
    for (const d of devices) peers.set(d.name, await sync(net, d));
  }, 120_000);

  afterAll(async () => {
    for (const child of peers.values()) await stop(child);
    for (const m of opened) m.close();
    await net.destroy();
  }, 60_000);

  const openAll = () => {
    const ms = devices.map(open);
    opened.push(...ms);
    return ms as [Movelog, Movelog];
  };

  it('a device paired with a code receives the clinic, and entries flow both ways', { timeout: 120_000 }, async () => {
    const [a, b] = openAll();
    await eventually(() => same([a, b]), 60_000, describeCounts([a, b]));
    // b was enrolled by a manager on a, through the pairing code.
    expect(b.db.prepare('SELECT label FROM view_devices WHERE key = ?').get(b.ledger.device.publicKey)).toEqual({ label: 'Device b' });
    writeMany(a, 50);
    await eventually(() => same([a, b]), 60_000, describeCounts([a, b]));
    writeMany(b, 50, 7);
    await eventually(() => same([a, b]), 60_000, describeCounts([a, b]));
    type Status = {
      peers: { device: string; connected: boolean }[];
      viewDigest: string;
      reach: { rooms: { kind: string; seen: string[]; connected: string[]; signalling: { connected: number; total: number } }[] } | null;
    };
    const status = (): Status =>
      JSON.parse(execFileSync(process.execPath, ['bin/movelog.js', 'status', '--data', devices[1]!.dir, '--json'], { encoding: 'utf8' })) as Status;
    await eventually(
      () => status().peers.some((p) => p.device === a.ledger.device.publicKey && p.connected),
      30_000,
      () => JSON.stringify(status().peers),
    );
    expect(status().viewDigest).toBe(viewDigest(a.db));
    // What b's running sync peer sees of the clinic room: a, seen and connected, through the one signalling server.
    await eventually(
      () => status().reach?.rooms.some((r) => r.kind === 'clinic' && r.connected.includes(a.ledger.device.publicKey)) === true,
      30_000,
      () => JSON.stringify(status().reach),
    );
    const room = status().reach?.rooms.find((r) => r.kind === 'clinic');
    expect(room).toMatchObject({ seen: [a.ledger.device.publicKey], connected: [a.ledger.device.publicKey], signalling: { connected: 1, total: 1 } });
  });

  it('entries keep flowing over the connection while the signalling server is down, and after it is back', { timeout: 120_000 }, async () => {
    const [a, b] = openAll();
    await eventually(() => same([a, b]), 60_000, describeCounts([a, b]));
    const stopped = finished(signal.child);
    signal.child.kill('SIGTERM');
    const exit = await stopped;
    expect([exit.code, exit.signal]).toEqual([0, null]);
    writeMany(a, 30, 11);
    writeMany(b, 30, 12);
    await eventually(() => same([a, b]), 60_000, describeCounts([a, b]));
    signal = await startSignalServer(net);
    writeMany(a, 30, 13);
    await eventually(() => same([a, b]), 60_000, describeCounts([a, b]));
    // Both sync processes lived through it (their signalling sockets reconnected without an uncaught error).
    for (const child of peers.values()) expect(child.exitCode).toBeNull();
  });

  it('devices that each wrote 1,000 entries while partitioned converge after the link heals', { timeout: 180_000 }, async () => {
    const [a, b] = openAll();
    await eventually(() => same([a, b]), 60_000, describeCounts([a, b]));
    const base = entryCount(a);
    net.linkDown('b');
    writeMany(a, 1_000, 1);
    writeMany(b, 1_000, 2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(entryCount(a)).toBe(base + 1_000);
    expect(entryCount(b)).toBe(base + 1_000);
    const healed = Date.now();
    net.linkUp('b');
    await eventually(() => entryCount(a) === base + 2_000 && same([a, b]), 150_000, describeCounts([a, b]));
    console.log(`partition healed: 2 × 1,000 entries converged in ${Date.now() - healed} ms`);
  });

  it('a device that was offline for 10,000 entries catches up', { timeout: 300_000 }, async () => {
    const [a, b] = openAll();
    const bDevice = devices[1]!;
    await stop(peers.get('b')!);
    const base = entryCount(a);
    writeMany(a, 10_000, 3);
    const started = Date.now();
    peers.set('b', await sync(net, bDevice));
    await eventually(() => entryCount(b) === base + 10_000 && same([a, b]), 280_000, describeCounts([a, b]));
    console.log(`offline device caught up on 10,000 entries in ${Date.now() - started} ms`);
    expect(b.db.prepare('SELECT count(*) AS n FROM quarantine').get()).toEqual({ n: 0 });
  });
});
