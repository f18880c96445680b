import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db.js';
import { Keystore } from './keystore.js';
import { kidOf, openBody, openEntryBody, sealBody, SealError } from './seal.js';
import { patientStream } from './streams.js';
import type { Entry } from './entry.js';

const ana = 'a'.repeat(32);
const ben = 'b'.repeat(32);

/** A keystore on a real SQLite file; `reopen` opens the same file and master key again (a restart). */
function keystoreOnDisk() {
  const file = join(mkdtempSync(join(tmpdir(), 'movelog-keys-')), 'movelog.db');
  const master = randomBytes(32);
  const dbKey = randomBytes(32);
  const open = () => {
    const db = openDatabase(file, dbKey);
    return { db, keystore: new Keystore(db, master) };
  };
  return { ...open(), reopen: open };
}

describe('kidOf', () => {
  it('is the first 8 bytes of SHA-256("movelog/kid/v1" ‖ 0x00 ‖ key), as lowercase hex', () => {
    // Computed independently: python3 -c "import hashlib; print(hashlib.sha256(b'movelog/kid/v1\x00' + bytes(range(32))).hexdigest()[:16])"
    expect(kidOf(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe('06047b6739483a09');
    expect(kidOf(Buffer.alloc(32, 7))).toBe('71853cdcdd90d4e4');
    expect(kidOf(randomBytes(32))).toMatch(/^[0-9a-f]{16}$/);
    expect(() => kidOf(randomBytes(16))).toThrow(RangeError);
  });
});

describe('sealed bodies with a kid', () => {
  const stream = patientStream(ana, 'profile');
  const key = randomBytes(32);

  it('carry the kid outside the AAD: a body opens with or without it, and sealBody refuses a kid of another key', () => {
    const sealed = sealBody(key, stream, 'patient.registered', { givenName: 'Zoë' }, kidOf(key));
    expect(sealed.kid).toBe(kidOf(key));
    const withoutKid = { ...sealed };
    delete withoutKid.kid;
    expect(openBody(key, stream, 'patient.registered', sealed)).toEqual({ givenName: 'Zoë' });
    expect(openBody(key, stream, 'patient.registered', withoutKid)).toEqual({ givenName: 'Zoë' });
    expect(sealBody(key, stream, 'patient.registered', { givenName: 'Zoë' })).not.toHaveProperty('kid');
    expect(() => sealBody(key, stream, 'patient.registered', {}, kidOf(randomBytes(32)))).toThrow(RangeError);
    expect(() => openBody(randomBytes(32), stream, 'patient.registered', sealed)).toThrow(SealError);
  });

  it('open in reducers with the key of their kid only; a body without kid with the original key', () => {
    const { keystore } = keystoreOnDisk();
    const original = keystore.createKey(ana, 1);
    const rotated = keystore.rotate(ana, 2);
    const plain = { what: 'profile', purpose: 'care' } as const;
    const entry = (body: ReturnType<typeof sealBody>) => ({ stream: patientStream(ana, 'access'), kind: 'access.read', body }) as unknown as Entry;
    const s = patientStream(ana, 'access');
    const legacy = sealBody(original, s, 'access.read', plain);
    const underOriginal = sealBody(original, s, 'access.read', plain, kidOf(original));
    const underRotated = sealBody(rotated.key, s, 'access.read', plain, rotated.kid);
    for (const body of [legacy, underOriginal, underRotated]) expect(openEntryBody(keystore, 'access.read', entry(body), body)).toEqual(plain);
    // A kid names one key: the rotated body relabelled with the original's kid (or none) does not open.
    const mislabelled = { ...underRotated, kid: kidOf(original) };
    expect(openEntryBody(keystore, 'access.read', entry(mislabelled), mislabelled)).toBeNull();
    const unlabelled = { ...underRotated };
    delete unlabelled.kid;
    expect(openEntryBody(keystore, 'access.read', entry(unlabelled), unlabelled)).toBeNull();
  });
});

describe('Keystore with several keys per patient', () => {
  it('keeps the original key, adds rotated ones, seals with the newest, and finds each by kid', () => {
    const { keystore } = keystoreOnDisk();
    expect(keystore.sealingKey(ana)).toBeNull();
    expect(keystore.keyById(ana, undefined)).toBeNull();
    const original = keystore.createKey(ana, 1);
    expect(keystore.sealingKey(ana)).toEqual({ key: original, kid: kidOf(original) });
    const second = keystore.rotate(ana, 2);
    const third = keystore.rotate(ana, 3);
    expect(second.kid).toBe(kidOf(Buffer.from(second.key)));
    expect(new Set([kidOf(original), second.kid, third.kid]).size).toBe(3);
    expect(keystore.sealingKey(ana)).toEqual(third);
    expect(keystore.keyFor(ana)).toEqual(original);
    expect(keystore.keyById(ana, undefined)).toEqual(original);
    expect(keystore.keyById(ana, kidOf(original))).toEqual(original);
    expect(keystore.keyById(ana, second.kid)).toEqual(second.key);
    expect(keystore.keyById(ana, '0123456789abcdef')).toBeNull();
    expect(keystore.keysOf(ana)).toEqual([
      { kid: kidOf(original), key: original },
      { kid: second.kid, key: second.key },
      { kid: third.kid, key: third.key },
    ]);
    expect(keystore.keyById(ben, second.kid)).toBeNull();
  });

  it('stores a key it already holds without complaint, and a received key as the newest', () => {
    const { keystore } = keystoreOnDisk();
    const original = keystore.createKey(ana, 1);
    const other = randomBytes(32);
    keystore.storeKey(ana, other, 2);
    expect(keystore.sealingKey(ana)?.kid).toBe(kidOf(other));
    expect(() => keystore.storeKey(ana, Buffer.from(other), 3)).not.toThrow();
    expect(() => keystore.storeKey(ana, Buffer.from(original), 3)).not.toThrow();
    expect(keystore.keysOf(ana).map((k) => k.kid)).toEqual([kidOf(original), kidOf(other)]);
    expect(keystore.sealingKey(ana)?.kid).toBe(kidOf(other));
    expect(keystore.keyFor(ana)).toEqual(original);
  });

  it('takes an explicit original key over one it had taken for the original, keeping both', () => {
    const { keystore } = keystoreOnDisk();
    const rotated = randomBytes(32);
    const original = randomBytes(32);
    keystore.storeKey(ana, rotated, 1); // a rotated key arrived first: provisionally the original
    keystore.storeOriginalKey(ana, original, 2);
    expect(keystore.keyFor(ana)).toEqual(original);
    expect(keystore.keyById(ana, kidOf(rotated))).toEqual(rotated);
    expect(keystore.keyById(ana, kidOf(original))).toEqual(original);
    keystore.storeOriginalKey(ana, Buffer.from(original), 3);
    expect(keystore.keysOf(ana)).toHaveLength(2);
  });

  it('keeps every key across a restart, on the same file', () => {
    const first = keystoreOnDisk();
    const original = first.keystore.createKey(ana, 1);
    const rotated = first.keystore.rotate(ana, 2);
    first.keystore.createKey(ben, 3);
    first.db.close();
    const { db, keystore } = first.reopen();
    expect(keystore.keyFor(ana)).toEqual(original);
    expect(keystore.keyById(ana, rotated.kid)).toEqual(rotated.key);
    expect(keystore.sealingKey(ana)).toEqual({ key: Buffer.from(rotated.key), kid: rotated.kid });
    expect(keystore.patientsWithKeys()).toEqual([ana, ben]);
    db.close();
  });

  it('destroys every key of a patient, in every table and in memory, and leaves other patients alone', () => {
    const { db, keystore, reopen } = keystoreOnDisk();
    const original = keystore.createKey(ana, 1);
    const rotated = keystore.rotate(ana, 2);
    const cachedRotated = keystore.keyById(ana, rotated.kid)!;
    keystore.createKey(ben, 3);
    keystore.destroyKey(ana);
    expect(original.equals(Buffer.alloc(32))).toBe(true); // the cached buffers are zeroed
    expect(cachedRotated.equals(Buffer.alloc(32))).toBe(true);
    expect(keystore.keyFor(ana)).toBeNull();
    expect(keystore.keyById(ana, rotated.kid)).toBeNull();
    expect(keystore.sealingKey(ana)).toBeNull();
    expect(keystore.keysOf(ana)).toEqual([]);
    expect(keystore.hasKey(ana)).toBe(false);
    expect(keystore.patientsWithKeys()).toEqual([ben]);
    const rows = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE patient_id = ?`).get(ana) as { n: number }).n;
    expect([rows('patient_keys'), rows('patient_key_versions')]).toEqual([0, 0]);
    db.close();
    expect(reopen().keystore.keysOf(ana)).toEqual([]);
  });

  it('reads a patient whose key predates key ids (only in patient_keys) by its kid too', () => {
    const { db, keystore } = keystoreOnDisk();
    const key = randomBytes(32);
    db.prepare('INSERT INTO patient_keys (patient_id, wrapped, created_at) VALUES (?, ?, ?)').run(ana, keystore.wrap(ana, key), 0);
    expect(keystore.keyById(ana, kidOf(key))).toEqual(key);
    expect(keystore.sealingKey(ana)).toEqual({ key, kid: kidOf(key) });
    expect(keystore.keysOf(ana)).toEqual([{ kid: kidOf(key), key }]);
    const rotated = keystore.rotate(ana, 1);
    expect(keystore.sealingKey(ana)?.kid).toBe(rotated.kid);
    expect(keystore.keyFor(ana)).toEqual(key);
  });
});
