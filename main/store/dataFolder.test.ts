import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { isPlainDatabase, StoreError } from './db.js';
import { DATABASE_FILE, openDataFolder } from './dataFolder.js';
import { unlockFromEnvironment, Vault, VAULT_FILE, VaultError } from './vault.js';
import type { Unlock } from './vault.js';

const folder = () => join(mkdtempSync(join(tmpdir(), 'movelog-folder-')), 'data');
const unlock = (): Unlock => {
  const fromEnv = unlockFromEnvironment();
  if (!fromEnv) throw new Error('no unlock source in this test run');
  return fromEnv;
};

/** Opens, writes one row into a table of ours (so the file holds data) and closes. */
function makeFolder(dir: string): void {
  const { db } = openDataFolder(dir, unlock());
  db.prepare("INSERT INTO sync_settings (key, value) VALUES ('probe', 'Ada Moreno')").run();
  db.close();
}

function thrown(open: () => unknown): Error {
  try {
    open();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the open to fail');
}

describe('a data folder at rest (docs/architecture.md#encryption-at-rest)', () => {
  it('is created 0700 with every file 0600, an encrypted database and no key in clear beside it', () => {
    const dir = folder();
    makeFolder(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual([DATABASE_FILE, VAULT_FILE]);
    expect(isPlainDatabase(join(dir, DATABASE_FILE))).toBe(false);
    // A copy of the folder without its secret reads as no database at all.
    const copy = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(() => copy.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/file is not a database/);
    copy.close();
  });

  it('puts the modes back at open when a copy or an umask loosened them', () => {
    const dir = folder();
    makeFolder(dir);
    chmodSync(dir, 0o755);
    for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
    openDataFolder(dir, unlock()).db.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
  });

  it('refuses without a secret, with a missing vault, or with the vault of another folder, and starts no new clinic', () => {
    const dir = folder();
    makeFolder(dir);
    expect(thrown(() => openDataFolder(dir, null))).toMatchObject({ problem: 'no-secret' });
    const other = folder();
    makeFolder(other);

    rmSync(join(dir, VAULT_FILE));
    const missing = thrown(() => openDataFolder(dir, unlock()));
    expect(missing).toBeInstanceOf(VaultError);
    expect(missing.message).toMatch(/vault of this data folder \(movelog.vault\) is missing[\s\S]*will not start a new clinic[\s\S]*movelog restore/);
    expect(Vault.exists(dir)).toBe(false);

    cpSync(join(other, VAULT_FILE), join(dir, VAULT_FILE));
    const foreign = thrown(() => openDataFolder(dir, unlock()));
    expect(foreign).toBeInstanceOf(StoreError);
    expect(foreign.message).toMatch(/does not open with the key in this folder's vault[\s\S]*Nothing was changed/);
  });

  it('refuses a vault whose database went missing, instead of a new empty clinic under the same device key', () => {
    const dir = folder();
    makeFolder(dir);
    rmSync(join(dir, DATABASE_FILE));
    expect(thrown(() => openDataFolder(dir, unlock())).message).toMatch(
      /The database .* is missing, though this folder's vault says it held a clinic/,
    );
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(false);
  });

  it('finishes a new folder whose database was not created yet (a crash right after its vault was written)', () => {
    const dir = folder();
    makeFolder(dir);
    const vault = Vault.open(dir, unlock());
    rmSync(dir, { recursive: true });
    const fresh = folder();
    mkdirSync(fresh, { mode: 0o700 });
    Vault.create(fresh, unlock(), { ...vault.secrets, established: false });
    const { db } = openDataFolder(fresh, unlock());
    db.close();
    expect(Vault.open(fresh, unlock()).secrets.established).toBe(true);
  });

  it('refuses a vault file damaged on disk with the recovery path', () => {
    const dir = folder();
    makeFolder(dir);
    writeFileSync(join(dir, VAULT_FILE), 'not json');
    expect(thrown(() => openDataFolder(dir, unlock())).message).toMatch(/is damaged[\s\S]*movelog restore/);
  });
});
