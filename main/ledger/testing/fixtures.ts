import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { openDatabase } from '../../store/db.js';
import { Keystore } from '../keystore.js';
import { generateDeviceKeyPair } from '../crypto/index.js';
import { Ledger } from '../ledger.js';
import { openViews } from '../rebuild.js';
import type { DeviceKey } from '../ledger.js';
import { clinicIdFor, clinicStream } from '../streams.js';

/** A ledger whose keystore is a full Keystore (tests create and share patients' keys through it). */
export type TestLedger = Ledger & { readonly keystore: Keystore };

/** A ledger on a fresh SQLite file in a temp dir, with its own keystore and current views, for tests. */
export function tempLedger(device: DeviceKey = generateDeviceKeyPair(), now: () => number = () => 1_700_000_000_000): TestLedger {
  const dir = mkdtempSync(join(tmpdir(), 'movelog-ledger-'));
  const db = openDatabase(join(dir, 'movelog.db'));
  const keystore = new Keystore(db, randomBytes(32));
  openViews(db, keystore);
  return new Ledger(db, device, { now, keystore }) as TestLedger;
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
export function openRaw(file: string): Database.Database {
  return new Database(file);
}
