import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { DATABASE_FILE } from './dataFolder.js';
import { isPlainDatabase, openExistingDatabase } from './db.js';
import { Vault, VAULT_FILE, writeFileAtomic, writeFlushed } from './vault.js';
import type { Unlock } from './vault.js';
import { recordRestore } from './restored.js';

/**
 * Backups (docs/architecture.md#backups): one file holding a consistent snapshot of the encrypted
 * database and the folder's vault locked under the clinic passphrase or key file, so that it
 * restores on another computer (a vault locked by one computer's keychain would not).
 *
 *   movelog-backup 1\n
 *   {header JSON}\n          what it holds, the SHA-256 of the database bytes, the vault (base64)
 *   <database bytes>         SQLCipher-encrypted, as in the folder
 */
const MAGIC = 'movelog-backup 1\n';

const Header = z.strictObject({
  createdAt: z.int(),
  entries: z.int().nonnegative(),
  chainHead: z.string(),
  clinic: z.string().nullable(),
  databaseBytes: z.int().positive(),
  databaseSha256: z.string().regex(/^[0-9a-f]{64}$/),
  vault: z.string(),
});
export type BackupHeader = Omit<z.infer<typeof Header>, 'vault'>;

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** A header without its sealed vault, for reporting. */
function described(header: z.infer<typeof Header>): BackupHeader {
  return {
    createdAt: header.createdAt,
    entries: header.entries,
    chainHead: header.chainHead,
    clinic: header.clinic,
    databaseBytes: header.databaseBytes,
    databaseSha256: header.databaseSha256,
  };
}

/** What a snapshot holds: its entries and local chain head, and the clinic's name. */
function describe(file: string, key: Buffer): { entries: number; chainHead: string; clinic: string | null } {
  const db = openExistingDatabase(file, key, { readonly: true });
  try {
    const last = db.prepare<[], { n: number; chain: string }>('SELECT local_seq AS n, chain FROM entries ORDER BY local_seq DESC LIMIT 1').get();
    const clinic = db.prepare<[], { name: string }>('SELECT name FROM view_clinic LIMIT 1').get();
    return { entries: last?.n ?? 0, chainHead: last?.chain ?? '0'.repeat(64), clinic: clinic?.name ?? null };
  } finally {
    db.close();
  }
}

/**
 * Writes a backup of the data folder `dir` to `out`. Consistent while Movelog runs on the folder:
 * the snapshot is one read transaction (`VACUUM INTO`, which SQLite3 Multiple Ciphers encrypts with
 * the same key), taken beside the running process without its folder lock. Nothing is left under
 * the final name until the whole file is written and flushed.
 */
export function writeBackup(dir: string, vault: Vault, unlock: Unlock, out: string, now: number): BackupHeader {
  const target = resolve(out);
  if (resolve(dirname(target)) === resolve(dir)) throw new BackupError('Write the backup outside the data folder it backs up.');
  const snapshot = `${target}.snapshot-${process.pid}`;
  const { dbKey } = vault.secrets;
  try {
    const live = openExistingDatabase(join(dir, DATABASE_FILE), dbKey);
    try {
      live.prepare('VACUUM INTO ?').run(snapshot);
    } finally {
      live.close();
    }
    if (isPlainDatabase(snapshot)) throw new BackupError('The snapshot was not encrypted; no backup was written.');
    const bytes = readFileSync(snapshot);
    const header: z.infer<typeof Header> = {
      createdAt: now,
      ...describe(snapshot, dbKey),
      databaseBytes: bytes.length,
      databaseSha256: createHash('sha256').update(bytes).digest('hex'),
      vault: vault.sealedFor(unlock).toString('base64'),
    };
    writeFileAtomic(target, MAGIC, JSON.stringify(header) + '\n', bytes);
    return described(header);
  } finally {
    rmSync(snapshot, { force: true });
  }
}

/** Reads a backup's header and the offset of its database bytes; BackupError when it is not one. */
export function readBackup(file: string): { header: z.infer<typeof Header>; offset: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new BackupError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  try {
    const head = Buffer.alloc(Math.min(statSync(file).size, 64 * 1024));
    readSync(fd, head, 0, head.length, 0);
    const magic = head.subarray(0, MAGIC.length).toString('latin1');
    const end = head.indexOf(0x0a, MAGIC.length);
    if (magic !== MAGIC || end < 0) throw new BackupError(`${file} is not a Movelog backup.`);
    let header: z.infer<typeof Header>;
    try {
      header = Header.parse(JSON.parse(head.subarray(MAGIC.length, end).toString('utf8')));
    } catch {
      throw new BackupError(`${file} is damaged: its header does not read.`);
    }
    return { header, offset: end + 1 };
  } finally {
    closeSync(fd);
  }
}

export interface RestoreOptions {
  /**
   * The clinic has no other computer: this device appends at once, and entries it wrote after the
   * backup that never reached another computer are lost. Otherwise its writes are held until it
   * has caught up with its clinic (docs/architecture.md#backups).
   */
  readonly noPeers?: boolean;
  readonly now?: number;
}

/**
 * Restores a backup into `dir`, which must hold no data folder (a restore never overwrites one).
 * The vault must open with `unlock` and the database bytes must match their digest before
 * anything is written. The restore is recorded in the database before it takes its final name,
 * so a restored folder never exists without its hold.
 */
export function restoreBackup(file: string, dir: string, unlock: Unlock, options: RestoreOptions = {}): BackupHeader {
  const target = resolve(dir);
  if (existsSync(join(target, DATABASE_FILE)) || existsSync(join(target, VAULT_FILE))) {
    throw new BackupError(`${target} already holds a data folder. Restore into a new, empty folder; nothing was changed.`);
  }
  const { header, offset } = readBackup(file);
  const all = readFileSync(file);
  const bytes = all.subarray(offset);
  if (bytes.length !== header.databaseBytes || createHash('sha256').update(bytes).digest('hex') !== header.databaseSha256) {
    throw new BackupError(`${file} is damaged or incomplete: its database does not match the digest it was written with. Nothing was restored.`);
  }
  const vaultBytes = Buffer.from(header.vault, 'base64');
  mkdirSync(target, { recursive: true, mode: 0o700 });
  // The vault is opened (so the secret is checked) before the database is written; a failure
  // takes both away again.
  const vault = Vault.restore(target, vaultBytes, unlock);
  const partial = join(target, `${DATABASE_FILE}.partial`);
  try {
    writeFlushed(partial, bytes);
    const db = openExistingDatabase(partial, vault.secrets.dbKey);
    try {
      recordRestore(db, {
        at: options.now ?? Date.now(),
        backupAt: header.createdAt,
        size: header.entries,
        chain: header.chainHead,
        noPeers: options.noPeers ?? false,
      });
      // One file again (the snapshot may be in WAL mode), flushed before it takes its name.
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
    renameSync(partial, join(target, DATABASE_FILE));
  } catch (error) {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(leftover, { force: true });
    rmSync(join(target, VAULT_FILE), { force: true });
    throw error;
  }
  return described(header);
}
