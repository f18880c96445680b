import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../main/store/vault.js';
import { desktopUnlock } from './unlock.js';
import type { SafeStorageLike } from './unlock.js';

const keychain = (backend: string, available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => backend,
  encryptString: (plain) => Buffer.from(plain).reverse(),
  decryptString: (sealed) => Buffer.from(sealed).reverse().toString(),
});
const folder = () => mkdtempSync(join(tmpdir(), 'movelog-desktop-'));
const env = { MOVELOG_CLINIC_PASSPHRASE: 'harbour lantern cobble' };

describe('how the desktop app unlocks its folder (docs/architecture.md#the-vault)', () => {
  it('uses a real OS keychain for a new folder, on every platform', () => {
    expect(desktopUnlock(folder(), keychain('gnome_libsecret'), env, 'linux')?.kind).toBe('safeStorage');
    expect(desktopUnlock(folder(), keychain('unknown'), env, 'darwin')?.kind).toBe('safeStorage');
  });

  it("never Linux's basic_text, which protects nothing: then the clinic passphrase, or nothing", () => {
    expect(desktopUnlock(folder(), keychain('basic_text'), env, 'linux')?.kind).toBe('passphrase');
    expect(desktopUnlock(folder(), keychain('gnome_libsecret', false), env, 'linux')?.kind).toBe('passphrase');
    expect(desktopUnlock(folder(), keychain('basic_text'), {}, 'linux')).toBeNull();
  });

  it('keeps the kind a folder was locked with', () => {
    const dir = folder();
    const secrets = { dbKey: randomBytes(32), masterKey: randomBytes(32), deviceKey: randomBytes(48), witness: null, established: true };
    Vault.create(dir, { kind: 'passphrase', passphrase: 'harbour lantern cobble' }, secrets);
    expect(desktopUnlock(dir, keychain('gnome_libsecret'), env, 'linux')?.kind).toBe('passphrase');
    const boxed = folder();
    const file = join(boxed, 'box.key');
    writeFileSync(file, randomBytes(32), { mode: 0o600 });
    Vault.create(boxed, { kind: 'safeStorage', ...keychain('gnome_libsecret'), encrypt: (b) => b, decrypt: (b) => b }, secrets);
    expect(desktopUnlock(boxed, keychain('basic_text'), { MOVELOG_KEY_FILE: file }, 'linux')?.kind).toBe('safeStorage');
  });
});
