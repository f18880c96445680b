import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import { DATA_KEY_BYTES } from './seal.js';
import type { PatientKeys } from './seal.js';

/**
 * Patients' data keys. They are deliberately NOT in the ledger: entries can never be deleted,
 * and erasure (GDPR Art. 17) works by destroying the key. Keys live in the mutable table
 * `patient_keys`, each wrapped (AES-256-GCM, AAD = patient id) under this data directory's
 * keystore master key, a 0600 file `keystore.key` (the hardening issue moves it into the OS
 * keychain). Keys reach the clinic's other devices through sync (main/sync), wrapped for the room.
 * Whoever opens the data directory hands its Keystore to the Ledger, which passes it to the
 * reducers (docs/architecture.md#sealing).
 */
export class Keystore implements PatientKeys {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly db: Db,
    private readonly master: Buffer,
  ) {}

  /** The patient's data key, or null when this device does not hold it (or it was erased). */
  keyFor(patientId: string): Buffer | null {
    const cached = this.cache.get(patientId);
    if (cached) return cached;
    const row = this.db.prepare<[string], { wrapped: Buffer }>('SELECT wrapped FROM patient_keys WHERE patient_id = ?').get(patientId);
    if (!row) return null;
    const key = this.unwrap(patientId, row.wrapped);
    this.cache.set(patientId, key);
    return key;
  }

  /** Makes and stores a fresh data key for a new patient. */
  createKey(patientId: string, now: number): Buffer {
    return this.storeKey(patientId, randomBytes(DATA_KEY_BYTES), now);
  }

  /** Stores a patient's data key received from another device of the clinic (sync issue). */
  storeKey(patientId: string, key: Buffer, now: number): Buffer {
    if (key.length !== DATA_KEY_BYTES) throw new RangeError('data key must be 32 bytes');
    const wrapped = this.wrap(patientId, key);
    this.db.prepare('INSERT INTO patient_keys (patient_id, wrapped, created_at) VALUES (?, ?, ?)').run(patientId, wrapped, now);
    this.cache.set(patientId, key);
    return key;
  }

  /** Whether this device holds the patient's data key. */
  hasKey(patientId: string): boolean {
    return this.cache.has(patientId) || this.db.prepare('SELECT 1 FROM patient_keys WHERE patient_id = ?').get(patientId) !== undefined;
  }

  /** Encrypts a secret of this device under the master key (AES-256-GCM; `label` is the AAD). */
  wrap(label: string, secret: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.master, iv);
    cipher.setAAD(Buffer.from(label));
    return Buffer.concat([iv, cipher.update(secret), cipher.final(), cipher.getAuthTag()]);
  }

  /** Opens what `wrap` made with the same label; throws when it was altered. */
  unwrap(label: string, wrapped: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.master, wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from(label));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
    return Buffer.concat([decipher.update(wrapped.subarray(12, wrapped.length - 16)), decipher.final()]);
  }

  /** When this device stored the patient's newest key (the lead's consent lock asks; key versions extend it). */
  newestKeyAt(patientId: string): number | null {
    return this.db.prepare<[string], { at: number }>('SELECT created_at AS at FROM patient_keys WHERE patient_id = ?').get(patientId)?.at ?? null;
  }

  /** INTERIM (replaced when key versions merge, same commit series): rotation needs a second key per patient. */
  rotate(_patientId: string, _now: number): void {
    // Nothing yet: key versions are being built on their own branch.
  }

  /** Destroys the patient's key on this device (erasure); their entries stay, unreadable. */
  destroyKey(patientId: string): void {
    this.cache.get(patientId)?.fill(0);
    this.cache.delete(patientId);
    this.db.prepare('DELETE FROM patient_keys WHERE patient_id = ?').run(patientId);
  }
}

export const KEYSTORE_FILE = 'keystore.key';

/** Loads the data directory's keystore master key, creating it (0600) on first use. */
export function loadOrCreateMasterKey(dataDir: string): Buffer {
  const file = join(dataDir, KEYSTORE_FILE);
  try {
    const key = readFileSync(file);
    if (key.length !== 32) throw new Error(`${file} is damaged (expected 32 bytes).`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return key;
}
