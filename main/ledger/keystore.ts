import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { isErased } from './erasure.js';
import { DATA_KEY_BYTES, kidOf, sealingKeyOf } from './seal.js';
import type { PatientKeys, SealingKey } from './seal.js';

/**
 * Patients' data keys. They are deliberately NOT in the ledger: entries can never be deleted,
 * and erasure (GDPR Art. 17) works by destroying the key. Keys live in mutable tables, each
 * wrapped (AES-256-GCM, AAD = patient id, or patient id and key id) under this data directory's
 * keystore master key, which the vault holds (docs/architecture.md#the-vault). Keys reach the clinic's other devices through sync (main/sync), wrapped for the room.
 * Whoever opens the data directory hands its Keystore to the Ledger, which passes it to the
 * reducers (docs/architecture.md#sealing).
 *
 * A patient may have several keys (docs/architecture.md#key-rotation): `patient_keys` holds the original one
 * (it opens bodies written before key ids), `patient_key_versions` every key stored since key ids
 * exist, by id, in the order this device stored them; the newest seals new entries.
 */
export class Keystore implements PatientKeys {
  /** Patient → original key. */
  private readonly originals = new Map<string, Buffer>();
  /** Patient → kid → key, for keys read from `patient_key_versions`. */
  private readonly versions = new Map<string, Map<string, Buffer>>();
  private readonly stmt;
  private writes: ReturnType<Keystore['prepareWrites']> | null = null;

  constructor(
    private readonly db: Db,
    private readonly master: Buffer,
  ) {
    // A database of an older schema opened read-only (movelog verify) has no patient_key_versions:
    // it then reads as holding original keys only.
    const versioned = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'patient_key_versions'").get() !== undefined;
    const versions = versioned ? 'patient_key_versions' : "(SELECT 0 AS n, '' AS patient_id, '' AS kid, x'' AS wrapped, 0 AS created_at WHERE 0)";
    this.stmt = {
      original: db.prepare<[string], { wrapped: Buffer }>('SELECT wrapped FROM patient_keys WHERE patient_id = ?'),
      version: db.prepare<[string, string], { wrapped: Buffer }>(`SELECT wrapped FROM ${versions} WHERE patient_id = ? AND kid = ?`),
      newest: db.prepare<[string], { kid: string }>(`SELECT kid FROM ${versions} WHERE patient_id = ? ORDER BY n DESC LIMIT 1`),
      all: db.prepare<[string], { kid: string }>(`SELECT kid FROM ${versions} WHERE patient_id = ? ORDER BY n`),
      newestAt: db.prepare<[string, string], { at: number | null }>(
        `SELECT max(at) AS at FROM (SELECT created_at AS at FROM patient_keys WHERE patient_id = ? UNION ALL SELECT created_at FROM ${versions} WHERE patient_id = ?)`,
      ),
      patients: db.prepare<[], { patient_id: string }>(
        `SELECT patient_id FROM patient_keys UNION SELECT patient_id FROM ${versions} ORDER BY patient_id`,
      ),
    };
  }

  private prepareWrites() {
    const db = this.db;
    return {
      insertOriginal: db.prepare('INSERT INTO patient_keys (patient_id, wrapped, created_at) VALUES (?, ?, ?)'),
      replaceOriginal: db.prepare('UPDATE patient_keys SET wrapped = ?, created_at = ? WHERE patient_id = ?'),
      insertVersion: db.prepare(
        'INSERT INTO patient_key_versions (patient_id, kid, wrapped, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (patient_id, kid) DO NOTHING',
      ),
      deleteOriginal: db.prepare('DELETE FROM patient_keys WHERE patient_id = ?'),
      deleteVersions: db.prepare('DELETE FROM patient_key_versions WHERE patient_id = ?'),
    };
  }

  private get write(): ReturnType<Keystore['prepareWrites']> {
    return (this.writes ??= this.prepareWrites());
  }

  /** The patient's original data key (it opens bodies without a kid), or null when this device does not hold it. */
  keyFor(patientId: string): Buffer | null {
    const cached = this.originals.get(patientId);
    if (cached) return cached;
    const row = this.stmt.original.get(patientId);
    if (!row) return null;
    const key = this.unwrap(patientId, row.wrapped);
    this.originals.set(patientId, key);
    return key;
  }

  /** The patient's key with id `kid` (undefined: the original key), or null when this device does not hold it. */
  keyById(patientId: string, kid: string | undefined): Buffer | null {
    if (kid === undefined) return this.keyFor(patientId);
    const cached = this.versions.get(patientId)?.get(kid);
    if (cached) return cached;
    const row = this.stmt.version.get(patientId, kid);
    if (row) return this.remember(patientId, kid, this.unwrap(versionLabel(patientId, kid), row.wrapped));
    // A key stored before key ids existed is only in patient_keys.
    const original = this.keyFor(patientId);
    return original && kidOf(original) === kid ? original : null;
  }

  /** The key new entries of the patient are sealed with: the one this device stored last (null: it holds none). */
  sealingKey(patientId: string): SealingKey | null {
    const row = this.stmt.newest.get(patientId);
    const newest = row ? this.keyById(patientId, row.kid) : null;
    if (row && newest) return { key: newest, kid: row.kid };
    const original = this.keyFor(patientId);
    return original ? sealingKeyOf(original) : null;
  }

  /** Every key of the patient this device holds, oldest first (the original key first). */
  keysOf(patientId: string): { kid: string; key: Buffer }[] {
    const result: { kid: string; key: Buffer }[] = [];
    const original = this.keyFor(patientId);
    if (original) result.push({ kid: kidOf(original), key: original });
    for (const row of this.stmt.all.all(patientId)) {
      if (result.some((k) => k.kid === row.kid)) continue;
      const key = this.keyById(patientId, row.kid);
      if (key) result.push({ kid: row.kid, key });
    }
    return result;
  }

  /** Makes and stores a fresh data key for a new patient (its original key). */
  createKey(patientId: string, now: number): Buffer {
    return this.storeKey(patientId, randomBytes(DATA_KEY_BYTES), now);
  }

  /**
   * Stores one of a patient's data keys (made here, or received from another device): the
   * original key when the patient has none yet on this device, else another key; a key already
   * held is left as it is. The key stored last becomes the sealing key.
   */
  // Writes take the write lock first (`.immediate()`): a deferred transaction that reads and then
  // writes fails at once with SQLITE_BUSY when another process wrote in between (busy_timeout does
  // not apply to that upgrade); the consent bench ended `movelog sync` that way.
  storeKey(patientId: string, key: Buffer, now: number): Buffer {
    if (key.length !== DATA_KEY_BYTES) throw new RangeError('data key must be 32 bytes');
    this.refuseErased(patientId);
    const kid = kidOf(key);
    this.db
      .transaction(() => {
        if (!this.hasKey(patientId)) {
          this.write.insertOriginal.run(patientId, this.wrap(patientId, key), now);
          this.originals.set(patientId, key);
        }
        if (this.stmt.version.get(patientId, kid)) return;
        this.write.insertVersion.run(patientId, kid, this.wrap(versionLabel(patientId, kid), key), now);
        this.remember(patientId, kid, key);
      })
      .immediate();
    return this.keyById(patientId, kid) ?? key;
  }

  /**
   * Stores the key another device sent as the patient's original one (the key of bodies without a
   * kid). If this device had taken another key for the original (a rotated key arrived first), that
   * one stays among the patient's keys and this one becomes the original.
   */
  storeOriginalKey(patientId: string, key: Buffer, now: number): void {
    if (key.length !== DATA_KEY_BYTES) throw new RangeError('data key must be 32 bytes');
    this.refuseErased(patientId);
    const current = this.keyFor(patientId);
    if (current?.equals(key)) return;
    this.db
      .transaction(() => {
        if (current) {
          const kid = kidOf(current);
          this.write.insertVersion.run(patientId, kid, this.wrap(versionLabel(patientId, kid), current), now);
          this.write.replaceOriginal.run(this.wrap(patientId, key), now, patientId);
          this.originals.set(patientId, key);
        }
        this.storeKey(patientId, key, now);
      })
      .immediate();
  }

  /** Makes a new data key for the patient; it seals the patient's entries from now on (docs/architecture.md#key-rotation). */
  rotate(patientId: string, now: number): SealingKey {
    const key = this.storeKey(patientId, randomBytes(DATA_KEY_BYTES), now);
    return sealingKeyOf(key);
  }

  /** Whether this device holds any key of the patient. */
  hasKey(patientId: string): boolean {
    return this.originals.has(patientId) || this.stmt.original.get(patientId) !== undefined || this.stmt.newest.get(patientId) !== undefined;
  }

  /** Patients of whom this device holds any key. */
  patientsWithKeys(): string[] {
    return this.stmt.patients.all().map((r) => r.patient_id);
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

  /** When this device stored the patient's newest key (null: it holds none); consentLock rotates when a grant ended after it. */
  newestKeyAt(patientId: string): number | null {
    return this.stmt.newestAt.get(patientId, patientId)?.at ?? null;
  }

  /** Destroys every key of the patient on this device (erasure, or a share that ended); their entries stay, unreadable. */
  destroyKey(patientId: string): void {
    this.originals.get(patientId)?.fill(0);
    this.originals.delete(patientId);
    for (const key of this.versions.get(patientId)?.values() ?? []) key.fill(0);
    this.versions.delete(patientId);
    this.db
      .transaction(() => {
        this.write.deleteOriginal.run(patientId);
        this.write.deleteVersions.run(patientId);
      })
      .immediate();
  }

  /**
   * Whether the patient's record is erased here (docs/architecture.md#erasure): no key of theirs
   * is ever stored or made again, whether it comes with a late entry from a device that had not yet
   * heard of the erasure, or from a rotation. False while the views are not built yet (a database
   * being opened: nothing stores keys before `openViews`).
   */
  isErased(patientId: string): boolean {
    this.erasureView ||= this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'view_erasures'").get() !== undefined;
    return this.erasureView && isErased(this.db, patientId);
  }

  private erasureView = false;

  private refuseErased(patientId: string): void {
    if (this.isErased(patientId)) throw new ErasedPatientError(patientId);
  }

  private remember(patientId: string, kid: string, key: Buffer): Buffer {
    let keys = this.versions.get(patientId);
    if (!keys) this.versions.set(patientId, (keys = new Map<string, Buffer>()));
    keys.set(kid, key);
    return key;
  }
}

/** A key of a patient whose record was erased was to be stored or made (docs/architecture.md#erasure). */
export class ErasedPatientError extends Error {
  constructor(readonly patientId: string) {
    super(`the record of patient ${patientId} was erased: no key of it is stored or made again`);
    this.name = 'ErasedPatientError';
  }
}

/** The wrapping label (AAD) of a key in `patient_key_versions`. */
const versionLabel = (patientId: string, kid: string) => `${patientId}/${kid}`;
