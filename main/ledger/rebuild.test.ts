import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderKey, openRawDatabase } from '../../test/support/rawDb.js';
import { describe, expect, it } from 'vitest';
import { openMovelog } from '../core.js';
import { registerPatients } from '../services/patients.js';
import { storedViewSchemaVersion, VIEW_SCHEMA_VERSION } from '../views/index.js';
import { findPatient } from '../views/patients.js';
import { openViews, rebuildPatient, rebuildViews, viewDigest } from './rebuild.js';
import { foundClinic, tempLedger } from './testing/fixtures.js';
import { verifyDatabase } from './verify.js';

const quiet = { warn: () => undefined, error: (m: string, e: unknown) => console.error(m, e) };

const details = {
  givenName: 'Ines',
  familyName: 'Moreau',
  preferredName: null,
  dateOfBirth: '1990-02-03',
  sex: 'female',
  phone: null,
  email: null,
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
} as const;

/** A data directory with a clinic and one sealed patient, closed; returns its directory, the patient and the views' digest. */
function dataDirWithPatient(): { dir: string; patientId: string; digest: string } {
  const dir = mkdtempSync(join(tmpdir(), 'movelog-views-'));
  const m = openMovelog(dir, () => 1_700_000_000_000, quiet);
  try {
    const clinic = foundClinic(m.ledger);
    const [patientId] = registerPatients({ ledger: m.ledger, keystore: m.keystore }, [details], clinic.managerId) as [string];
    return { dir, patientId, digest: viewDigest(m.db) };
  } finally {
    m.close();
  }
}

/** Makes the views look like an older build's: another shape, a retired table, stale rows, another version. */
function ageViews(dir: string, version: number | null): void {
  const db = openRawDatabase(dir);
  db.exec(`
    ALTER TABLE view_staff ADD COLUMN nickname TEXT;
    CREATE TABLE view_retired (x INTEGER) STRICT;
    DELETE FROM view_patients;
  `);
  if (version === null) db.exec('DROP TABLE derived_schema');
  else db.prepare("UPDATE derived_schema SET version = ? WHERE part = 'views'").run(version);
  db.close();
}

const tables = (dir: string) => {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((t) => t.name);
  } finally {
    db.close();
  }
};

describe('views are derived data with a view-schema version', () => {
  it('a database opened for use holds views of the current version, and is not rebuilt again', () => {
    const ledger = tempLedger();
    expect(storedViewSchemaVersion(ledger.db)).toBe(VIEW_SCHEMA_VERSION);
    foundClinic(ledger);
    expect(openViews(ledger.db, ledger.keystore)).toBe(false);
  });

  it.each([
    ['another version', VIEW_SCHEMA_VERSION + 1],
    ['no recorded version', null],
  ])('views of %s are dropped, recreated from the current DDL and rebuilt from the entries on open', (_what, version) => {
    const { dir, patientId, digest } = dataDirWithPatient();
    ageViews(dir, version);
    expect(tables(dir)).toContain('view_retired');

    const m = openMovelog(dir, () => 1_700_000_000_000, quiet);
    try {
      expect(storedViewSchemaVersion(m.db)).toBe(VIEW_SCHEMA_VERSION);
      expect(viewDigest(m.db)).toBe(digest);
      // Rebuilt with the data directory's keystore: the sealed patient opens again.
      expect(findPatient(m.db, patientId)).toMatchObject({ readable: true, familyName: 'Moreau' });
      const staffColumns = m.db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all('view_staff');
      expect(staffColumns.map((c) => c.name)).not.toContain('nickname');
    } finally {
      m.close();
    }
    expect(tables(dir)).not.toContain('view_retired');
  });

  it('verify does not compare views of another view schema (they are rebuilt on the next open) and says so', async () => {
    const { dir } = dataDirWithPatient();
    ageViews(dir, VIEW_SCHEMA_VERSION + 1);
    const report = await verifyDatabase(join(dir, 'movelog.db'), { workers: 0, dbKey: folderKey(dir) });
    expect(report.problem).toBeNull();
    expect(report.viewsMatch).toBeNull();
    expect(report.views?.compared).toEqual([]);
    expect(report.views?.notCompared.length).toBeGreaterThan(0);
    for (const n of report.views?.notCompared ?? []) expect(n.why).toMatch(/another version of Movelog built the views/);
  });
});

describe('one patient re-derived alone', () => {
  it('gives the rows a full rebuild gives, in every table the patient’s entries write: without the key, no plaintext is left', async () => {
    const clock = Date.UTC(2026, 10, 23, 8);
    const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-rebuild-patient-')), () => clock, quiet);
    try {
      const ok = async <T>(p: Promise<unknown>): Promise<T> => {
        const r = (await p) as { ok: boolean; value: T; error?: { message: string } };
        if (!r.ok) throw new Error(r.error?.message);
        return r.value;
      };
      await ok(
        m.invoke('mgr', 'ws', 'clinic.setup', {
          clinicName: 'Harbour Rehab',
          managerName: 'Lee Chen',
          passphrase: 'manager passphrase 1',
          timeZone: 'UTC',
        }),
      );
      const priya = (
        await ok<{ id: string }>(
          m.invoke('mgr', 'ws', 'staff.add', { name: 'Priya', role: 'therapist', licence: null, passphrase: 'Priya passphrase' }),
        )
      ).id;
      await ok(m.invoke('pt', 'ws', 'session.signIn', { staffId: priya, passphrase: 'Priya passphrase' }));
      const type = (
        await ok<{ typeId: string }>(
          m.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
        )
      ).typeId;
      const register = async (givenName: string, familyName: string) =>
        (
          await ok<{ patientId: string }>(
            m.invoke('mgr', 'ws', 'patient.register', {
              confirmDuplicate: true,
              details: { ...details, givenName, familyName, address: `${familyName} House` },
            }),
          )
        ).patientId;
      const ines = await register('Ines', 'Moreau');
      const other = await register('Olu', 'Bakare');
      for (const patientId of [ines, other]) {
        await ok(
          m.invoke('mgr', 'ws', 'schedule.book', {
            patientId,
            therapistId: priya,
            roomId: null,
            typeId: type,
            start: Date.UTC(2026, 10, 30, 9),
            weeks: 1,
            allowConflict: true,
          }),
        );
        const note = await ok<{ hash: string }>(
          m.invoke('pt', 'ws', 'notes.sign', {
            patientId,
            note: {
              type: 'daily',
              appointmentId: null,
              subjective: `${familyName(patientId)} says stairs hurt`,
              objective: '',
              assessment: '',
              plan: '',
              pain: 3,
            },
          }),
        );
        await ok(m.invoke('pt', 'ws', 'notes.addendum', { patientId, note: note.hash, text: `${familyName(patientId)} addendum` }));
        await ok(m.invoke('pt', 'ws', 'patient.get', { patientId }));
      }
      function familyName(id: string) {
        return id === ines ? 'Moreau' : 'Bakare';
      }
      const hits = (needle: string) =>
        m.db
          .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'view_%'")
          .all()
          .filter(({ name }) =>
            m.db
              .prepare<[], { name: string }>(`PRAGMA table_info(${name})`)
              .all()
              .some((c) => m.db.prepare(`SELECT 1 FROM ${name} WHERE instr(CAST(${c.name} AS TEXT), ?) > 0`).get(needle) !== undefined),
          )
          .map((t) => t.name);
      expect(hits('Moreau').length).toBeGreaterThanOrEqual(3);

      m.keystore.destroyKey(ines);
      rebuildPatient(m.db, m.keystore, ines);
      const alone = viewDigest(m.db);
      expect(hits('Moreau')).toEqual([]);
      expect(hits('Bakare').length).toBeGreaterThanOrEqual(3);
      rebuildViews(m.db, m.keystore);
      expect(viewDigest(m.db)).toBe(alone);
    } finally {
      m.close();
    }
  });
});
