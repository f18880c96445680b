import { join } from 'node:path';
import type { Db } from '../../main/store/db.js';
import { isPlainDatabase, openExistingDatabase, rollBackInterruptedEncryption } from '../../main/store/db.js';
import { unlockFromEnvironment, Vault } from '../../main/store/vault.js';

/** The database key of a data folder, from its vault unlocked as the test run unlocks every folder (test/setup/vaultKey.ts). */
export function folderKey(dir: string): Buffer {
  const unlock = unlockFromEnvironment();
  if (!unlock) throw new Error('no MOVELOG_KEY_FILE or MOVELOG_CLINIC_PASSPHRASE in this test run');
  return Vault.open(dir, unlock).secrets.dbKey;
}

/**
 * Opens a data folder's encrypted movelog.db directly, as an insider with the folder and its
 * secret could (tests that tamper, or read what a view holds). No migrations, no pragmas of ours.
 */
export function openRawDatabase(dir: string, options: { readonly readonly?: boolean } = {}): Db {
  const file = join(dir, 'movelog.db');
  // As the next open would: an encryption in place that a kill interrupted is rolled back first.
  if (!options.readonly) rollBackInterruptedEncryption(file);
  // A folder of a build before encryption (an upgrade fixture not opened yet) reads as it is.
  return openExistingDatabase(file, isPlainDatabase(file) ? null : folderKey(dir), options);
}
