import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openMovelog } from '../../main/core.js';
import { clinicIdentity } from '../../main/clinic/queries.js';
import type { Movelog } from '../../main/core.js';
import type { Draft } from '../../main/ledger/ledger.js';
import { viewDigest } from '../../main/ledger/rebuild.js';
import { clinicStream } from '../../main/ledger/streams.js';
import { applyKey } from '../../main/store/db.js';
import type { Db } from '../../main/store/db.js';
import { folderKey } from '../support/rawDb.js';
import type { Net } from './harness.js';
import { finished } from '../support/cli.js';

export { finished };

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(PACKAGE_ROOT, 'bin', 'movelog.js');
export const PASSPHRASE = 'manager passphrase 1';
export const MANAGER = 'Lee Chen';
const SIGNAL_PORT = '4444';

/** Resolves once the child prints something matching `pattern`; rejects if it exits first. */
export function printed(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = pattern.exec(output);
      if (match) resolve(match[0]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`exited ${String(code)} before printing ${String(pattern)}:\n${output}`)));
  });
}

/** Polls `check` until it returns true; throws with `describe()` after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs `movelog ARGS` in a namespace (manager passphrase in the environment, never argv). */
export function movelog(net: Net, peer: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return net.spawn(peer, process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT, env: { ...process.env, MOVELOG_PASSPHRASE: PASSPHRASE } });
}

/** Starts `movelog signal` in the hub namespace; returns its URL. */
export async function startSignal(net: Net): Promise<string> {
  return (await startSignalServer(net)).url;
}

/** Starts `movelog signal` in the hub namespace on `port`; returns its URL and process (to stop it). */
export async function startSignalServer(net: Net, port = SIGNAL_PORT): Promise<{ url: string; child: ChildProcessWithoutNullStreams }> {
  const child = movelog(net, 'hub', ['signal', '--port', port]);
  await printed(child, /Signaling server running/);
  return { url: `ws://${net.hubAddress}:${port}`, child };
}

export interface Device {
  readonly name: string;
  readonly dir: string;
}

/**
 * Sets up a clinic on the first peer and pairs every other peer with it through the CLI
 * (`init`, `pair` / `join CODE`), each process in its own namespace.
 */
export async function clinic(
  net: Net,
  names: readonly string[],
  signal: string,
  who: { clinic: string; manager: string } = { clinic: 'Harbour Rehab', manager: MANAGER },
): Promise<Device[]> {
  const devices = names.map((name) => ({ name, dir: mkdtempSync(join(tmpdir(), `movelog-net-${name}-`)) }));
  const [first, ...others] = devices;
  if (!first) throw new Error('no devices');
  const init = await finished(movelog(net, first.name, ['init', '--data', first.dir, '--clinic', who.clinic, '--manager', who.manager]));
  if (init.code !== 0) throw new Error(`init failed (exit ${String(init.code)}, signal ${String(init.signal)}): ${init.stderr}`);
  for (const device of others) {
    const pair = movelog(net, first.name, ['pair', '--data', first.dir, '--manager', who.manager, '--signal', signal]);
    const pairDone = finished(pair);
    const code = (await printed(pair, /Pairing code: [0-9A-Z-]{14}/)).slice('Pairing code: '.length);
    const join = await finished(
      movelog(net, device.name, ['join', code, '--data', device.dir, '--signal', signal, '--label', `Device ${device.name}`]),
    );
    if (join.code !== 0) throw new Error(`join failed (exit ${String(join.code)}, signal ${String(join.signal)}): ${join.stdout}${join.stderr}`);
    const paired = await pairDone;
    if (paired.code !== 0)
      throw new Error(`pair failed (exit ${String(paired.code)}, signal ${String(paired.signal)}): ${paired.stdout}${paired.stderr}`);
  }
  return devices;
}

/**
 * Trust between two clinics through an invitation code, as README's "Trusting another clinic":
 * `invite` on the inviting clinic's device, `trust CODE` on the other's, each manager confirming
 * the same safety number (each process in its own namespace). Throws if either side fails.
 */
export async function trustClinics(
  net: Net,
  inviter: { device: Device; manager: string },
  answerer: { device: Device; manager: string },
  signal: string,
): Promise<void> {
  const invite = movelog(net, inviter.device.name, ['invite', '--data', inviter.device.dir, '--manager', inviter.manager]);
  const inviteDone = finished(invite);
  const code = (await printed(invite, /Invitation code: [0-9A-Z-]{14}/)).slice('Invitation code: '.length);
  const trust = movelog(net, answerer.device.name, ['trust', code, '--data', answerer.device.dir, '--signal', signal, '--manager', answerer.manager]);
  const trustDone = finished(trust);
  const numbers = await Promise.all([printed(invite, /Safety number: [\d ]{47}/), printed(trust, /Safety number: [\d ]{47}/)]);
  if (numbers[0] !== numbers[1]) throw new Error(`safety numbers differ: ${numbers[0]} / ${numbers[1]}`);
  invite.stdin.write('yes\n');
  trust.stdin.write('yes\n');
  const [invited, trusted] = await Promise.all([inviteDone, trustDone]);
  if (invited.code !== 0) throw new Error(`invite failed (exit ${String(invited.code)}): ${invited.stdout}${invited.stderr}`);
  if (trusted.code !== 0) throw new Error(`trust failed (exit ${String(trusted.code)}): ${trusted.stdout}${trusted.stderr}`);
}

/** Starts `movelog sync` for a device in its namespace. */
export async function sync(net: Net, device: Device, extra: readonly string[] = []): Promise<ChildProcessWithoutNullStreams> {
  const child = movelog(net, device.name, ['sync', '--data', device.dir, '--quiet', ...extra]);
  await printed(child, /Syncing device/);
  return child;
}

/** Stops a sync process with SIGTERM and waits for a clean exit (code 0). */
export async function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

/** Opens a device's data directory in the test process (SQLite WAL: safe beside its sync process). */
export function open(device: Device): Movelog {
  return openMovelog(device.dir, Date.now, { warn: () => undefined, error: () => undefined });
}

export function entryCount(m: Movelog): number {
  return m.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM entries').get()?.n ?? 0;
}

/** The manager's staff id (for writing as the manager from the test process). */
export function managerId(m: Movelog): string {
  const row = m.db
    .prepare<[string], { id: string }>("SELECT id FROM view_staff WHERE role = 'manager' AND clinic_id = ? ORDER BY created_at LIMIT 1")
    .get(clinicId(m));
  if (!row) throw new Error('no manager');
  return row.id;
}

export function clinicId(m: Movelog): string {
  const id = clinicIdentity(m.db)?.id;
  if (!id) throw new Error('no clinic');
  return id;
}

/** `n` signed settings changes by the manager, written on this device as one transaction. */
export function writeMany(m: Movelog, n: number, offset = 0): void {
  const by = managerId(m);
  const stream = clinicStream(clinicId(m), 'public');
  const drafts: Draft[] = [];
  for (let i = 0; i < n; i++) drafts.push({ stream, kind: 'clinic.settings.set', by, body: { autoLockMinutes: 1 + ((offset + i) % 240) } });
  for (let i = 0; i < drafts.length; i += 2_000) m.ledger.appendMany(drafts.slice(i, i + 2_000));
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Where any of `needles` (compared without case) appears in a SQLite database: every table in
 * its schema (views, keys, sync state, pending and quarantined entries, the ledger itself),
 * every column, every text or blob value (blobs read as UTF-8). Returns "table.column: needle"
 * for each hit, sorted; an empty list means the file's tables hold none of them.
 */
export function plaintextHits(db: Db, needles: readonly string[]): string[] {
  const lower = needles.map((n) => n.toLowerCase());
  const hits = new Set<string>();
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
  for (const { name: table } of tables) {
    const columns = db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(table);
    for (const { name: column } of columns) {
      const values = db
        .prepare(`SELECT ${quoted(column)} FROM ${quoted(table)}`)
        .pluck()
        .iterate();
      for (const value of values) {
        const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : null;
        if (text === null) continue;
        const folded = text.toLowerCase();
        lower.forEach((needle, i) => {
          if (folded.includes(needle)) hits.add(`${table}.${column}: ${needles[i] ?? needle}`);
        });
      }
    }
  }
  return [...hits].sort();
}

/**
 * Where any of `needles` (compared without case) appears in the bytes of a data folder's database
 * files, `movelog.db` and its write-ahead log: what a table scan cannot see (deleted rows left in
 * pages, older versions of pages in the WAL). Returns "file: needle" for each hit.
 */
/**
 * Where the needles appear in the bytes of the folder's database, read as someone holding the
 * folder's key would (docs/architecture.md#encryption-at-rest): a copy of `movelog.db` and its WAL
 * is checkpointed and decrypted in place, free pages included (re-keying rewrites every page as
 * it is), and its bytes scanned.
 */
export function fileHits(dir: string, needles: readonly string[]): string[] {
  const copy = mkdtempSync(join(tmpdir(), 'movelog-hits-'));
  try {
    for (const file of ['movelog.db', 'movelog.db-wal']) if (existsSync(join(dir, file))) copyFileSync(join(dir, file), join(copy, file));
    const file = join(copy, 'movelog.db');
    const db = new Database(file);
    applyKey(db, folderKey(dir), file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.pragma("rekey = ''");
    db.close();
    const text = readFileSync(file).toString('latin1').toLowerCase();
    return needles.filter((needle) => text.includes(needle.toLowerCase())).map((needle) => `movelog.db: ${needle}`);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

export const same = (ms: readonly Movelog[]) => new Set(ms.map(entryCount)).size === 1 && new Set(ms.map((m) => viewDigest(m.db))).size === 1;
export const describeCounts = (ms: readonly Movelog[]) => () =>
  ms
    .map((m) => `${entryCount(m)} entries, pending ${String((m.db.prepare('SELECT count(*) AS n FROM pending').get() as { n: number }).n)}`)
    .join(' / ');
