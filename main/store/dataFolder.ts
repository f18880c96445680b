import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkPages, isPlainDatabase, openDatabase, rollBackInterruptedEncryption, StoreError } from './db.js';
import type { Db } from './db.js';
import { RECOVERY, shredFile, Vault, VaultError } from './vault.js';
import type { Unlock, VaultSecrets } from './vault.js';

export const DATABASE_FILE = 'movelog.db';
/** Where builds before encryption at rest kept the keystore master key and the device key, in clear. */
export const LEGACY_KEYSTORE_FILE = 'keystore.key';
export const LEGACY_DEVICE_KEY_FILE = 'device.key';

export interface DataFolder {
  readonly dir: string;
  readonly db: Db;
  readonly vault: Vault;
}

const NO_SECRET =
  'This data folder is locked. Give the clinic passphrase in MOVELOG_CLINIC_PASSPHRASE (or run the command in a terminal to be asked for it), or the key file of an unattended computer in MOVELOG_KEY_FILE.';

/**
 * Folder 0700 and every file in it 0600, whatever a copy, an older build or a umask left
 * (docs/architecture.md#encryption-at-rest). Not on Windows, whose ACLs these modes do not describe.
 */
export function enforcePermissions(dir: string): void {
  if (process.platform === 'win32') return;
  if ((statSync(dir).mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat?.isFile() && (stat.mode & 0o777) !== 0o600) chmodSync(file, 0o600);
  }
}

function newDeviceKey(): Buffer {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' });
}

/** A secret an older build kept in clear beside the database, or null. */
function legacySecret(dir: string, name: string): Buffer | null {
  const file = join(dir, name);
  return existsSync(file) ? readFileSync(file) : null;
}

/**
 * Encrypts an unencrypted database in place (a folder of a build before encryption at rest, or
 * an upgrade that was interrupted). SQLite re-keys only outside WAL mode, inside one transaction
 * with a rollback journal, so a crash leaves either the plain or the encrypted file, never a mix;
 * the next open finishes the job. Every page is rewritten, free pages included.
 */
function encryptInPlace(file: string, key: Buffer): void {
  const db = openDatabase(file, null);
  try {
    db.pragma('journal_mode = DELETE');
    // SQLCipher 4 pages are 4,096 bytes; a file with other pages is rewritten with them first.
    if (db.pragma('page_size', { simple: true }) !== 4096) {
      db.pragma('page_size = 4096');
      db.exec('VACUUM');
    }
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`rekey = "x'${key.toString('hex')}'"`);
  } finally {
    db.close();
  }
  if (isPlainDatabase(file)) throw new StoreError(`Could not encrypt ${file}; it was left as it was.`);
}

/**
 * Opens a data folder (creating it when it is new): its vault with `unlock`, then the encrypted
 * database with the vault's key (docs/architecture.md#the-vault). Fails closed: a missing or
 * altered vault, a wrong passphrase, or a vault of another folder throws VaultError/StoreError with
 * the recovery path, and never starts a new clinic over existing data.
 */
export function openDataFolder(dataDir: string, unlock: Unlock | null, options: { readonly checkPages?: boolean } = {}): DataFolder {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  enforcePermissions(dir);
  const dbFile = join(dir, DATABASE_FILE);
  rollBackInterruptedEncryption(dbFile);
  const hasDb = existsSync(dbFile) && statSync(dbFile).size > 0;
  const plain = hasDb && isPlainDatabase(dbFile);
  let vault: Vault;
  if (Vault.exists(dir)) {
    if (!unlock) throw new VaultError('no-secret', NO_SECRET);
    vault = Vault.open(dir, unlock);
    if (!hasDb && vault.secrets.established) {
      throw new VaultError(
        'missing',
        `The database ${dbFile} is missing, though this folder's vault says it held a clinic. Movelog will not start a new clinic over it. ${RECOVERY}`,
      );
    }
  } else if (hasDb && !plain) {
    throw new VaultError(
      'missing',
      `The vault of this data folder (movelog.vault) is missing, so its encrypted database cannot be opened. Movelog will not start a new clinic over it. ${RECOVERY}`,
    );
  } else {
    // A new folder, or one of a build before encryption at rest: its secrets move into a new vault.
    if (!unlock) {
      throw new VaultError(
        'no-secret',
        plain
          ? `This data folder was written by an older Movelog and is not encrypted yet. Choose a clinic passphrase and give it in MOVELOG_CLINIC_PASSPHRASE (or run the command in a terminal) to encrypt it.`
          : NO_SECRET,
      );
    }
    // A database this build cannot take (written by a newer one) is refused before anything is written.
    if (plain) openDatabase(dbFile, null).close();
    const masterKey = legacySecret(dir, LEGACY_KEYSTORE_FILE);
    if (masterKey && masterKey.length !== 32) throw new StoreError(`${join(dir, LEGACY_KEYSTORE_FILE)} is damaged (expected 32 bytes).`);
    const secrets: VaultSecrets = {
      dbKey: randomBytes(32),
      masterKey: masterKey ?? randomBytes(32),
      deviceKey: legacySecret(dir, LEGACY_DEVICE_KEY_FILE) ?? newDeviceKey(),
      witness: null,
      established: hasDb,
    };
    vault = Vault.create(dir, unlock, secrets);
  }
  // An upgrade interrupted after the vault was written finishes here.
  if (hasDb && isPlainDatabase(dbFile)) encryptInPlace(dbFile, vault.secrets.dbKey);
  // The one writer of a folder reads every page before it writes anything (docs/architecture.md#faults).
  if (hasDb && options.checkPages) checkPages(dbFile, vault.secrets.dbKey);
  const db = openDatabase(dbFile, vault.secrets.dbKey);
  try {
    if (!vault.secrets.established) vault = vault.established();
    // The secrets are in the vault (written and flushed before the database was encrypted): the
    // clear copies an older build left go, overwritten first.
    shredFile(join(dir, LEGACY_KEYSTORE_FILE));
    shredFile(join(dir, LEGACY_DEVICE_KEY_FILE));
  } catch (error) {
    db.close();
    throw error;
  }
  return { dir, db, vault };
}
