import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movelog } from '../../main/core.js';
import { createNet, netnsAvailable } from '../netns/harness.js';
import type { Net } from '../netns/harness.js';
import { clinic, describeCounts, eventually, open, same, startSignalServer, stop, sync, writeMany } from '../netns/movelogNet.js';
import type { Device } from '../netns/movelogNet.js';
import { opensAndVerifies, storedHashes } from './support.js';

/**
 * kill -9 of `movelog sync` while entries flow (docs/architecture.md#faults): two devices of one
 * clinic, each `movelog sync` in its own network namespace (test/netns). The receiver and then the
 * sender are killed mid-transfer, again and again; after each kill the folder opens and verifies,
 * every entry it held before the kill is still there, and it holds nothing its peer did not sign;
 * restarted, the two end with the same entries and views.
 */
describe('kill -9 during sync', () => {
  let net: Net;
  let devices: [Device, Device];
  let signal: Awaited<ReturnType<typeof startSignalServer>>;
  const opened: Movelog[] = [];
  const running = new Set<ChildProcessWithoutNullStreams>();

  beforeAll(async () => {
    if (!netnsAvailable()) throw new Error('These tests need root and `ip netns` (iproute2) to create network namespaces.');
    net = await createNet({ peers: ['a', 'b'] });
    signal = await startSignalServer(net);
    devices = (await clinic(net, ['a', 'b'], signal.url)) as [Device, Device];
  }, 120_000);

  afterAll(async () => {
    for (const child of running) await stop(child);
    for (const m of opened) m.close();
    await net.destroy();
  }, 60_000);

  /** Kills a sync peer with SIGKILL and waits until it is gone. */
  async function kill(child: ChildProcessWithoutNullStreams): Promise<void> {
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
    running.delete(child);
    expect(child.signalCode).toBe('SIGKILL');
  }

  async function start(device: Device): Promise<ChildProcessWithoutNullStreams> {
    const child = await sync(net, device);
    running.add(child);
    return child;
  }

  it(
    'the receiver, then the sender, killed mid-transfer five times each: every folder opens and verifies, keeps what it held, and they converge',
    { timeout: 600_000 },
    async () => {
      const [deviceA, deviceB] = devices;
      const a = open(deviceA);
      opened.push(a);
      writeMany(a, 9_000);
      const signed = new Set(storedHashes(deviceA.dir).values());
      let peerA = await start(deviceA);
      let progress = 0;
      const rounds: string[] = [];
      for (let round = 0; round < 10; round++) {
        const killSender = round % 2 === 1;
        const peerB = await start(deviceB);
        // Wait until b has received something more in this round, then kill one side at once.
        const startCount = storedHashes(deviceB.dir).size;
        await eventually(
          () => storedHashes(deviceB.dir).size > startCount || storedHashes(deviceB.dir).size >= signed.size,
          120_000,
          () => `round ${String(round)}: b holds ${String(startCount)}`,
        );
        const held = storedHashes(deviceB.dir);
        if (killSender) {
          await kill(peerA);
          await stop(peerB);
          running.delete(peerB);
          // The clinic keeps working between the sender's crash and its restart.
          writeMany(a, 50, round);
          for (const hash of storedHashes(deviceA.dir).values()) signed.add(hash);
          await opensAndVerifies(deviceA.dir);
          peerA = await start(deviceA);
        } else {
          await kill(peerB);
        }
        const after = storedHashes(deviceB.dir);
        for (const [seq, hash] of held) expect(after.get(seq), `round ${String(round)}`).toBe(hash);
        for (const hash of after.values()) expect(signed.has(hash), `round ${String(round)}: b holds an entry a never signed`).toBe(true);
        const clean = await opensAndVerifies(deviceB.dir);
        expect(clean.entries).toBe(after.size);
        progress = Math.max(progress, after.size);
        rounds.push(
          `${killSender ? 'sender' : 'receiver'} killed: b held ${String(held.size)} of ${String(signed.size)}, then ${String(after.size)}`,
        );
      }
      expect(progress).toBeGreaterThan(0);
      if (process.env.MOVELOG_FAULTS_REPORT) console.log(rounds.join('\n'));
      await start(deviceB);
      const b = open(deviceB);
      opened.push(b);
      await eventually(() => same([a, b]), 300_000, describeCounts([a, b]));
      await opensAndVerifies(deviceB.dir);
    },
  );
});
