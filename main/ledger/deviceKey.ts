import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { exportPrivateKey, generateDeviceKeyPair, importPrivateKey, rawPublicKey } from './crypto/index.js';
import type { DeviceKey } from './ledger.js';
import { createPublicKey } from 'node:crypto';

export const DEVICE_KEY_FILE = 'device.key';

/**
 * Loads this data directory's Ed25519 device key, creating it on first use. The key is a PKCS#8
 * file readable only by this user (0600), written atomically. It is never copied to another
 * machine: one key on two machines would fork its streams. (The hardening issue moves it into
 * the OS keychain via Electron safeStorage.)
 */
export function loadOrCreateDeviceKey(dataDir: string): DeviceKey {
  const file = join(dataDir, DEVICE_KEY_FILE);
  let der: Uint8Array;
  try {
    der = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const fresh = generateDeviceKeyPair();
    const tmp = `${file}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, exportPrivateKey(fresh.privateKey));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return fresh;
  }
  if ((statSync(file).mode & 0o077) !== 0 && process.platform !== 'win32') {
    throw new Error(`The device key ${file} is readable by other users. Run "chmod 600 ${file}" and start again.`);
  }
  const privateKey = importPrivateKey(der);
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

/** The public key of the data directory's device, without creating one (null when there is none). */
export function readDevicePublicKey(dataDir: string): string | null {
  try {
    return rawPublicKey(createPublicKey(importPrivateKey(readFileSync(join(dataDir, DEVICE_KEY_FILE)))));
  } catch {
    return null;
  }
}
