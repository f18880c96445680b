import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type Database from 'better-sqlite3-multiple-ciphers';
import { openRawDatabase } from '../support/rawDb.js';
import { PACKAGE_ROOT } from '../support/host.js';
import { movelogCli } from '../support/cli.js';

/**
 * The one place the fault tests open a data folder's `movelog.db` directly (to look at it as it
 * lies on disk, or to damage it), so that opening an encrypted database needs changing only here.
 */
export function openRaw(dir: string, options: { readonly readonly?: boolean } = {}): Database.Database {
  return openRawDatabase(dir, options);
}

/** Runs `node <script> <args>` from the package root, inheriting the environment, its stdout piped. */
export function spawnNode(args: readonly string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...args], { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Calls `onLine` for each line the child prints on stdout; resolves with its stderr when it has exited. */
export function lines(child: ChildProcessWithoutNullStreams, onLine: (line: string) => void): Promise<string> {
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) onLine(line);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', () => resolve(stderr)));
}

/** What a clean folder looks like after a fault: it opens (`movelog status`) and verifies (`movelog verify`, exit 0). */
export async function opensAndVerifies(dir: string): Promise<{ entries: number; status: string; verify: string }> {
  const status = await movelogCli(['status', '--data', dir, '--json']);
  if (status.code !== 0) throw new Error(`movelog status exited ${String(status.code)}: ${status.stderr}`);
  const verify = await movelogCli(['verify', '--data', dir]);
  if (verify.code !== 0 || !verify.stdout.startsWith('Intact'))
    throw new Error(`movelog verify exited ${String(verify.code)}: ${verify.stdout}${verify.stderr}`);
  return { entries: (JSON.parse(status.stdout) as { entries: number }).entries, status: status.stdout, verify: verify.stdout };
}

/** Every entry hash held, by local sequence number. */
export function storedHashes(dir: string): Map<number, string> {
  const db = openRaw(dir, { readonly: true });
  try {
    return new Map(
      db
        .prepare<[], { local_seq: number; hash: string }>('SELECT local_seq, hash FROM entries')
        .all()
        .map((r) => [r.local_seq, r.hash]),
    );
  } finally {
    db.close();
  }
}
