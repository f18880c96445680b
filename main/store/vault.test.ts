import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKeyFile, Vault, VAULT_FILE, VaultError } from './vault.js';
import type { Unlock, VaultSecrets } from './vault.js';

const folder = () => mkdtempSync(join(tmpdir(), 'movelog-vault-'));
const secrets = (): VaultSecrets => ({
  dbKey: randomBytes(32),
  masterKey: randomBytes(32),
  deviceKey: randomBytes(48),
  witness: null,
  established: true,
});
const passphrase = (p: string): Unlock => ({ kind: 'passphrase', passphrase: p });

function keyFile(dir: string, mode = 0o600): string {
  const file = join(dir, 'box.key');
  writeFileSync(file, randomBytes(32), { mode });
  return file;
}

/** Expects a VaultError of this kind whose message matches. */
function refused(open: () => unknown, problem: VaultError['problem'], message: RegExp): void {
  let error: unknown = null;
  try {
    open();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(VaultError);
  expect((error as VaultError).problem).toBe(problem);
  expect((error as Error).message).toMatch(message);
}

describe('the vault (docs/architecture.md#the-vault)', () => {
  it('opens with the clinic passphrase it was locked with, and with no other', () => {
    const dir = folder();
    const made = secrets();
    Vault.create(dir, passphrase('harbour lantern cobble'), made);
    expect(statSync(join(dir, VAULT_FILE)).mode & 0o777).toBe(0o600);
    const opened = Vault.open(dir, passphrase('harbour lantern cobble'));
    expect(opened.secrets.dbKey).toEqual(made.dbKey);
    expect(opened.secrets.masterKey).toEqual(made.masterKey);
    expect(opened.secrets.deviceKey).toEqual(made.deviceKey);
    expect(opened.kind).toBe('passphrase');
    refused(() => Vault.open(dir, passphrase('harbour lantern cobbles')), 'wrong-secret', /not the one this data folder was locked with/);
    // No key material in clear in the file.
    const text = readFileSync(join(dir, VAULT_FILE), 'utf8');
    for (const secret of [made.dbKey, made.masterKey, made.deviceKey]) {
      expect(text).not.toContain(secret.toString('hex'));
      expect(text).not.toContain(secret.toString('base64'));
    }
  });

  it('fails closed when the header or the ciphertext was altered (the header is authenticated)', () => {
    const dir = folder();
    Vault.create(dir, passphrase('harbour lantern cobble'), secrets());
    const file = join(dir, VAULT_FILE);
    const original = JSON.parse(readFileSync(file, 'utf8')) as { wrap: { N: number; salt: string }; data: string };
    // A cheaper scrypt cost would make guessing faster: refused, not honoured.
    writeFileSync(file, JSON.stringify({ ...original, wrap: { ...original.wrap, N: 2 ** 10 } }));
    refused(() => Vault.open(dir, passphrase('harbour lantern cobble')), 'wrong-secret', /or its vault was altered/);
    const data = Buffer.from(original.data, 'base64');
    data[5] = (data[5] ?? 0) ^ 1;
    writeFileSync(file, JSON.stringify({ ...original, data: data.toString('base64') }));
    refused(() => Vault.open(dir, passphrase('harbour lantern cobble')), 'wrong-secret', /or its vault was altered/);
    writeFileSync(file, '{"format":"movelog-vault"');
    refused(() => Vault.open(dir, passphrase('harbour lantern cobble')), 'damaged', /is damaged[\s\S]*movelog restore/);
  });

  it('says what is missing, with the recovery path', () => {
    refused(() => Vault.open(folder(), passphrase('x')), 'missing', /is missing[\s\S]*will not start a new clinic[\s\S]*movelog restore/);
  });

  it('opens with a key file of 32 bytes or 64 hex digits readable by its owner only, and names the kind it needs', () => {
    const dir = folder();
    const file = keyFile(dir);
    Vault.create(dir, { kind: 'keyFile', file }, secrets());
    expect(Vault.open(dir, { kind: 'keyFile', file }).kind).toBe('keyFile');
    refused(() => Vault.open(dir, passphrase('harbour lantern cobble')), 'wrong-kind', /opens with a key file/);
    refused(() => Vault.open(dir, { kind: 'keyFile', file: keyFile(folder()) }), 'wrong-secret', /does not open with a key file/);
    const hex = join(dir, 'hex.key');
    writeFileSync(hex, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    expect(readKeyFile(hex)).toEqual(Buffer.alloc(32, 0xab));
    refused(() => readKeyFile(keyFile(folder(), 0o644)), 'no-secret', /readable by other users/);
    const short = join(dir, 'short.key');
    writeFileSync(short, 'abc', { mode: 0o600 });
    refused(() => readKeyFile(short), 'no-secret', /must hold 32 random bytes/);
  });

  it("wraps its key with the OS keychain through safeStorage (Electron's API, faked at that boundary)", () => {
    const keychain = randomBytes(32);
    const xor = (b: Buffer) => Buffer.from(b.map((v, i) => v ^ (keychain[i % 32] ?? 0)));
    const safeStorage: Unlock = { kind: 'safeStorage', encrypt: xor, decrypt: xor };
    const dir = folder();
    const made = secrets();
    Vault.create(dir, safeStorage, made);
    expect(Vault.open(dir, safeStorage).secrets.dbKey).toEqual(made.dbKey);
    const otherMachine: Unlock = {
      kind: 'safeStorage',
      encrypt: (b) => b,
      decrypt: () => {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      },
    };
    refused(() => Vault.open(dir, otherMachine), 'wrong-secret', /keychain cannot open the vault[\s\S]*movelog restore/);
  });

  it('keeps the newest witnessed checkpoint across opens, ignoring older ones, and can be locked anew', () => {
    const dir = folder();
    const vault = Vault.create(dir, passphrase('harbour lantern cobble'), secrets());
    expect(vault.recordWitness({ size: 10, chain: 'a'.repeat(64) })).toBe(true);
    expect(vault.recordWitness({ size: 8, chain: 'b'.repeat(64) })).toBe(false);
    expect(Vault.open(dir, passphrase('harbour lantern cobble')).secrets.witness).toEqual({ size: 10, chain: 'a'.repeat(64) });
    const file = keyFile(dir);
    vault.rewrap({ kind: 'keyFile', file });
    expect(Vault.open(dir, { kind: 'keyFile', file }).secrets.witness?.size).toBe(10);
    refused(() => Vault.open(dir, passphrase('harbour lantern cobble')), 'wrong-kind', /opens with a key file/);
  });
});
