import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { movelogCli } from './support/cli.js';
import { PACKAGE_ROOT, tempDataDir } from './support/host.js';
import { openRawDatabase } from './support/rawDb.js';

/** Starts the crash writer (one fsync'd append after another) and resolves once it has acknowledged `count`. */
async function writerAt(data: string, count: number) {
  const child = spawn(process.execPath, ['test/support/crash-writer.mjs', data], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let acked = 0;
  let buffer = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the writer ended (${String(code)}) before ${count} entries`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      acked += lines.filter((l) => l.startsWith('ack ')).length;
      if (acked >= count) resolve();
    });
  });
  return {
    acked: () => acked,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

const count = (dir: string, sql: string) => {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('backups (docs/architecture.md#backups)', () => {
  it('are taken while another process writes, hold no clear text, and restore into a folder that verifies', async () => {
    const data = tempDataDir('movelog-backup-src-');
    const writer = await writerAt(data, 200);
    const out = join(tempDataDir('movelog-backup-out-'), 'clinic.movelog-backup');
    const before = writer.acked();
    const backup = await movelogCli(['backup', '--data', data, '--out', out]);
    await writer.stop();
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const entries = Number(/Backed up (\d+) entries/.exec(backup.stdout)?.[1]);
    // Everything acknowledged before the backup started is in it; more may be.
    expect(entries).toBeGreaterThanOrEqual(before);
    const bytes = readFileSync(out);
    expect(bytes.includes(Buffer.from('Entry 1.'))).toBe(false);
    // Only the finished file is left beside it.
    expect(readdirSync(join(out, '..'))).toEqual(['clinic.movelog-backup']);

    const target = join(tempDataDir('movelog-backup-dst-'), 'restored');
    const restore = await movelogCli(['restore', '--from', out, '--data', target]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(new RegExp(`Restored ${entries} entries`));
    expect(restore.stdout).toMatch(/Intact/);
    expect(count(target, 'SELECT count(*) AS n FROM entries')).toBe(entries);
    expect((await movelogCli(['verify', '--data', target])).code).toBe(0);
    // Its writes are held until it has caught up with the clinic (docs/architecture.md#backups).
    expect(restore.stdout).toMatch(/Writing is held until this computer has caught up/);
    expect((await movelogCli(['status', '--data', target])).stdout).toMatch(/from a backup of .*: WAITING TO CATCH UP/);

    // Never over an existing folder.
    const again = await movelogCli(['restore', '--from', out, '--data', target]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a data folder[\s\S]*nothing was changed/);
    expect(count(target, 'SELECT count(*) AS n FROM entries')).toBe(entries);
  });

  it('restore with --no-peers for a clinic with no other computer: writing resumes at once', async () => {
    const data = tempDataDir('movelog-backup-src-');
    const init = await movelogCli(['init', '--data', data, '--clinic', 'Harbour Rehab', '--manager', 'Lee Chen'], {
      MOVELOG_PASSPHRASE: 'tide pool lantern 42',
    });
    expect(init.code).toBe(0);
    const out = join(tempDataDir('movelog-backup-out-'), 'b');
    expect((await movelogCli(['backup', '--data', data, '--out', out])).code).toBe(0);
    const target = join(tempDataDir('movelog-backup-dst-'), 'alone');
    const restore = await movelogCli(['restore', '--from', out, '--data', target, '--no-peers']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(
      /Writing resumes now \(--no-peers\): entries this device wrote after the backup that never reached another computer are lost/,
    );
    const status = await movelogCli(['status', '--data', target, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({
      restored: { noPeers: true, waiting: false, size: count(target, 'SELECT count(*) AS n FROM entries') },
    });
  });

  it('refuse a damaged file or the wrong secret, and write nothing', async () => {
    const data = tempDataDir('movelog-backup-src-');
    const init = await movelogCli(['init', '--data', data, '--clinic', 'Harbour Rehab', '--manager', 'Lee Chen'], {
      MOVELOG_PASSPHRASE: 'tide pool lantern 42',
    });
    expect(init.code).toBe(0);
    const out = join(tempDataDir('movelog-backup-out-'), 'b');
    expect((await movelogCli(['backup', '--data', data, '--out', out])).code).toBe(0);

    const damaged = join(tempDataDir('movelog-backup-bad-'), 'b');
    const bytes = readFileSync(out);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 1;
    writeFileSync(damaged, bytes);
    const target = join(tempDataDir('movelog-backup-dst-'), 'x');
    const bad = await movelogCli(['restore', '--from', damaged, '--data', target]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is damaged or incomplete/);
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);

    const otherKey = join(tempDataDir('movelog-backup-key-'), 'k');
    writeFileSync(otherKey, Buffer.alloc(32, 7), { mode: 0o600 });
    const wrong = await movelogCli(['restore', '--from', out, '--data', target], { MOVELOG_KEY_FILE: otherKey });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/does not open with a key file/);
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
  });
});
