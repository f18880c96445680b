import { unlockFromEnvironment, Vault } from '../../main/store/vault.js';
import type { Unlock } from '../../main/store/vault.js';

/** The part of Electron's safeStorage the vault uses (docs/architecture.md#the-vault). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/**
 * How the desktop app unlocks its data folder: with the OS keychain through safeStorage where
 * there is a real one (Keychain, DPAPI, libsecret/kwallet — not Linux's `basic_text`, which
 * protects nothing), else with the clinic passphrase or key file from the environment. A folder
 * keeps the kind its vault was made with. Null: nothing can unlock it here (the caller says how).
 */
export function desktopUnlock(
  dataDir: string,
  safeStorage: SafeStorageLike,
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): Unlock | null {
  const keychain: Unlock = {
    kind: 'safeStorage',
    encrypt: (key) => safeStorage.encryptString(key.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
  const realKeychain =
    safeStorage.isEncryptionAvailable() && !(platform === 'linux' && (safeStorage.getSelectedStorageBackend?.() ?? 'basic_text') === 'basic_text');
  const kind = Vault.kindOf(dataDir);
  if (kind === 'safeStorage') return keychain;
  if (kind === null && realKeychain) return keychain;
  return unlockFromEnvironment(env);
}

/** What the desktop app says when nothing unlocks the folder. */
export const NO_KEYCHAIN =
  'This computer has no keychain Movelog can use to protect the clinic data (on Linux: no Secret Service or KWallet is running). Start Movelog with the clinic passphrase in MOVELOG_CLINIC_PASSPHRASE, or use the browser host ("movelog serve"), which asks for it.';
