import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isPlainDatabase, openDatabase, openExistingDatabase } from '../../store/db.js';
import type { Db } from '../../store/db.js';
import { unlockFromEnvironment, Vault } from '../../store/vault.js';
import { Keystore } from '../keystore.js';
import { generateDeviceKeyPair } from '../crypto/index.js';
import { Ledger } from '../ledger.js';
import { openViews } from '../rebuild.js';
import type { DeviceKey } from '../ledger.js';
import { clinicIdFor, clinicStream } from '../streams.js';

/** A ledger whose keystore is a full Keystore (tests create and share patients' keys through it). */
export type TestLedger = Ledger & { readonly keystore: Keystore; readonly dbKey: Buffer };

/** A ledger on a fresh SQLite file in a temp dir, with its own keystore and current views, for tests. */
export function tempLedger(device: DeviceKey = generateDeviceKeyPair(), now: () => number = () => 1_700_000_000_000): TestLedger {
  const dir = mkdtempSync(join(tmpdir(), 'movelog-ledger-'));
  // Encrypted like every real data folder (docs/architecture.md#encryption-at-rest).
  const dbKey = randomBytes(32);
  knownKeys.set(join(dir, 'movelog.db'), dbKey);
  const db = openDatabase(join(dir, 'movelog.db'), dbKey);
  const keystore = new Keystore(db, randomBytes(32));
  openViews(db, keystore);
  return Object.assign(new Ledger(db, device, { now, keystore }), { dbKey }) as TestLedger;
}

export interface TestClinic {
  readonly clinicId: string;
  readonly publicStream: string;
  readonly privateStream: string;
  readonly managerId: string;
}

/** Writes a clinic genesis and its first manager, as setup does (without the slow scrypt). */
export function foundClinic(ledger: Ledger, name = 'Riverside Physio'): TestClinic {
  const nonce = '0123456789abcdef0123456789abcdef';
  const clinicId = clinicIdFor(ledger.device.publicKey, nonce);
  const managerId = 'a'.repeat(32);
  const publicStream = clinicStream(clinicId, 'public');
  ledger.appendMany([
    { stream: publicStream, kind: 'clinic.created', by: managerId, body: { name, nonce } },
    { stream: publicStream, kind: 'staff.added', by: managerId, body: { staffId: managerId, name: 'Ada Moreno', role: 'manager', licence: null } },
  ]);
  return { clinicId, publicStream, privateStream: clinicStream(clinicId, 'private'), managerId };
}

/** Every stored entry as (bytes, sig), in local order: what a peer would send. */
export function storedEntries(ledger: Ledger): { bytes: Uint8Array; sig: string; hash: string }[] {
  return ledger.db
    .prepare<[], { bytes: Buffer; sig: string; hash: string }>('SELECT bytes, sig, hash FROM entries ORDER BY local_seq')
    .all()
    .map((r) => ({ bytes: new Uint8Array(r.bytes), sig: r.sig, hash: r.hash }));
}

/**
 * Opens a database file directly, read-write, as an attacker with a copy of the data folder would
 * (tests that tamper with it). The one place such tests open a file, so the keyed open lives here.
 */
export function openRaw(file: string): Db {
  return openExistingDatabase(file, dbKeyOf(file));
}

/** The keys of the databases tempLedger made in this process (each test database is encrypted). */
const knownKeys = new Map<string, Buffer>();

/**
 * The key of a test database: none for a plain file; its folder's vault (unlocked as the test run
 * unlocks folders) for a data folder; else the key tempLedger made it with, or that a copy of it
 * opens with.
 */
export function dbKeyOf(file: string): Buffer | null {
  if (!existsSync(file) || isPlainDatabase(file)) return null;
  const unlock = unlockFromEnvironment();
  if (Vault.exists(dirname(file)) && unlock) return Vault.open(dirname(file), unlock).secrets.dbKey;
  const exact = knownKeys.get(file);
  if (exact) return exact;
  for (const key of knownKeys.values()) if (opensWith(file, key)) return key;
  return null;
}

function opensWith(file: string, key: Buffer): boolean {
  try {
    openExistingDatabase(file, key, { readonly: true }).close();
    return true;
  } catch {
    return false;
  }
}
