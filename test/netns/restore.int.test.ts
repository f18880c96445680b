import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Movelog } from '../../main/core.js';
import { brokenCheckpoints, witnessedCheckpoints } from '../../main/ledger/checkpoints.js';
import { restoreHold } from '../../main/store/restored.js';
import { createNet, netnsAvailable } from './harness.js';
import type { Net } from './harness.js';
import { clinic, describeCounts, entryCount, eventually, finished, movelog, open, same, startSignal, stop, sync, writeMany } from './movelogNet.js';
import type { Device } from './movelogNet.js';

const hashes = (m: Movelog) =>
  new Set(
    m.db
      .prepare<[], { hash: string }>('SELECT hash FROM entries')
      .all()
      .map((r) => r.hash),
  );
const count = (m: Movelog, sql: string) => (m.db.prepare(sql).get() as { n: number }).n;

/**
 * A lost computer restored from a backup takes back what it wrote after the backup from the
 * clinic's other computer before it writes again (docs/architecture.md#backups): real
 * `movelog sync`, `backup`, `restore` and `verify` processes, each computer in its own network
 * namespace.
 */
describe('a computer restored from a backup, between real processes', () => {
  let net: Net | undefined;
  const running = new Set<ChildProcessWithoutNullStreams>();
  const opened: Movelog[] = [];

  afterAll(async () => {
    for (const child of running) await stop(child);
    for (const m of opened) m.close();
    await net?.destroy();
  }, 60_000);

  const openDevice = (device: Device) => {
    const m = open(device);
    opened.push(m);
    return m;
  };
  const startSync = async (device: Device) => {
    const child = await sync(net!, device, ['--checkpoint-seconds', '1']);
    running.add(child);
    return child;
  };
  const stopSync = async (child: ChildProcessWithoutNullStreams) => {
    running.delete(child);
    expect(await stop(child)).toBe(0);
  };
  const run = (device: Device, args: readonly string[]) => finished(movelog(net!, device.name, args));

  it('is held, syncs back its later entries, then writes, and both computers verify', { timeout: 150_000 }, async () => {
    if (!netnsAvailable()) throw new Error('These tests need root and `ip netns` (iproute2) to create network namespaces.');
    net = await createNet({ peers: ['a', 'b'] });
    const signal = await startSignal(net);
    const [aDevice, bDevice] = (await clinic(net, ['a', 'b'], signal)) as [Device, Device];
    let aSync = await startSync(aDevice);
    await startSync(bDevice);
    let a = openDevice(aDevice);
    const b = openDevice(bDevice);
    writeMany(a, 20);
    await eventually(() => same([a, b]), 30_000, describeCounts([a, b]));

    const backup = join(mkdtempSync(join(tmpdir(), 'movelog-net-backup-')), 'a.movelog-backup');
    const backedUp = await run(aDevice, ['backup', '--data', aDevice.dir, '--out', backup]);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    const inBackup = Number(/Backed up (\d+) entries/.exec(backedUp.stdout)?.[1]);

    // After the backup, a writes more (and b a little, at the same time); it reaches b, and b
    // witnesses a checkpoint of a's log that covers it.
    writeMany(a, 30, 5);
    writeMany(b, 10, 6);
    const device = a.ledger.device.publicKey;
    await eventually(() => same([a, b]) && witnessedCheckpoints(b.db, device).some((c) => c.size >= inBackup + 30), 30_000, describeCounts([a, b]));

    // a's computer is lost; its folder is restored from the backup into a new one. What it wrote
    // and b holds must come back (a checkpoint round may have written an entry b never got: that
    // one is lost with the computer).
    await stopSync(aSync);
    const onB = hashes(b);
    const written = [...hashes(a)].filter((h) => onB.has(h));
    expect(written.length).toBeGreaterThanOrEqual(inBackup + 30);
    opened.splice(opened.indexOf(a), 1);
    a.close();
    rmSync(aDevice.dir, { recursive: true, force: true });
    const restoredDevice: Device = { name: 'a', dir: join(mkdtempSync(join(tmpdir(), 'movelog-net-restored-')), 'a') };
    const restored = await run(restoredDevice, ['restore', '--from', backup, '--data', restoredDevice.dir]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/Writing is held until this computer has caught up/);
    a = openDevice(restoredDevice);
    expect(a.ledger.device.publicKey).toBe(device);
    expect(entryCount(a)).toBe(inBackup);
    expect(() => writeMany(a, 1)).toThrow(/restored from a backup and first takes back/);
    const status = await run(restoredDevice, ['status', '--data', restoredDevice.dir]);
    expect(status.stdout).toMatch(/WAITING TO CATCH UP/);

    // It syncs with b: its later entries come back, and the hold ends by itself.
    aSync = await startSync(restoredDevice);
    await eventually(
      () => restoreHold(a.db) === null,
      60_000,
      () => `still held: ${describeCounts([a, b])()}`,
    );
    const back = hashes(a);
    expect(written.filter((h) => !back.has(h))).toEqual([]);

    // It writes again, and b takes it: no equivocation, a not frozen.
    writeMany(a, 5, 9);
    await eventually(() => same([a, b]), 30_000, describeCounts([a, b]));
    // a's checkpoint from before the loss came back: it matches the log a holds now, or (when the
    // entries came back in another order) it is known to name the log the restore replaced.
    const mine = witnessedCheckpoints(a.db, device);
    expect(mine.some((c) => c.size >= inBackup + 30)).toBe(true);
    expect(brokenCheckpoints(mine)).toEqual([]);
    for (const m of [a, b]) {
      expect(count(m, 'SELECT count(*) AS n FROM forks')).toBe(0);
      expect(count(m, 'SELECT count(*) AS n FROM frozen_authors')).toBe(0);
    }

    await stopSync(aSync);
    for (const child of [...running]) await stopSync(child);
    for (const [dev, dir] of [
      [restoredDevice, restoredDevice.dir],
      [bDevice, bDevice.dir],
    ] as const) {
      const verify = await run(dev, ['verify', '--data', dir]);
      expect(verify.code, `${verify.stdout}${verify.stderr}`).toBe(0);
    }
  });
});
