import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './support/host.js';
import { finished, movelogCli } from './support/cli.js';
import { lockDataFolder } from '../main/folderLock.js';

const PASSPHRASE = { MOVELOG_PASSPHRASE: 'manager passphrase 1' };

describe('one long-running Movelog process per data folder', () => {
  it('refuses serve, a second sync, init and join beside a running movelog sync, naming it; readers still run', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'movelog-lock-'));
    const init = await movelogCli(['init', '--data', dir, '--clinic', 'Harbour Rehab', '--manager', 'Lee Chen'], PASSPHRASE);
    expect(init.code, init.stderr).toBe(0);
    const sync = spawn(process.execPath, ['bin/movelog.js', 'sync', '--data', dir, '--quiet', '--signal', 'ws://127.0.0.1:9'], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const syncDone = finished(sync);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      sync.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('Syncing device')) resolve();
      });
      sync.once('exit', () => reject(new Error(`sync ended early: ${out}`)));
    });
    const serve = await movelogCli(['serve', '--data', dir, '--port', '0']);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain(`Another Movelog process is already running on ${dir}: "movelog sync" (process ${String(sync.pid)}`);
    const second = await movelogCli(['sync', '--data', dir]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('"movelog sync"');
    // Every command that writes the folder as its one writer is refused too (docs/architecture.md#runtime)…
    const init2 = await movelogCli(['init', '--data', dir, '--clinic', 'Other', '--manager', 'X'], PASSPHRASE);
    expect([init2.code, init2.stderr]).toEqual([2, expect.stringContaining('"movelog sync"') as unknown]);
    const joined = await movelogCli(['join', 'AAAA-AAAA-AAAA', '--data', dir, '--signal', 'ws://127.0.0.1:9']);
    expect([joined.code, joined.stderr]).toEqual([2, expect.stringContaining('"movelog sync"') as unknown]);
    // …while the readers run beside it: status (which reports on the running peer), export, verify.
    expect((await movelogCli(['status', '--data', dir])).code).toBe(0);
    expect((await movelogCli(['export', '--data', dir, '--format', 'ledger', '--out', join(dir, 'ledger.jsonl')])).code).toBe(0);
    expect((await movelogCli(['verify', '--data', dir])).code).toBe(0);
    sync.kill('SIGTERM');
    const exit = await syncDone;
    expect([exit.code, exit.signal]).toEqual([0, null]);
    // Once it has ended, the folder is free again.
    const again = spawn(process.execPath, ['bin/movelog.js', 'sync', '--data', dir, '--quiet'], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const againDone = finished(again);
    await new Promise<void>((resolve) => again.stdout.on('data', (chunk: Buffer) => chunk.toString('utf8').includes('Syncing device') && resolve()));
    again.kill('SIGTERM');
    const end = await againDone;
    expect([end.code, end.signal, end.stderr]).toEqual([0, null, '']);
  });

  it('refuses movelog demo and init on an empty folder another process holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'movelog-lock-'));
    const held = lockDataFolder(dir, 'Movelog app');
    try {
      const demo = await movelogCli(['demo', '--data', dir, '--patients', '1']);
      expect([demo.code, demo.stderr]).toEqual([
        2,
        expect.stringContaining(`already running on ${dir}: "Movelog app" (process ${process.pid}`) as unknown,
      ]);
      const init = await movelogCli(['init', '--data', dir, '--clinic', 'A', '--manager', 'B'], PASSPHRASE);
      expect([init.code, init.stderr]).toEqual([2, expect.stringContaining('"Movelog app"') as unknown]);
      expect(existsSync(join(dir, 'movelog.db'))).toBe(false);
    } finally {
      held.release();
    }
    expect((await movelogCli(['demo', '--data', dir, '--patients', '1'])).code).toBe(0);
  });
});
