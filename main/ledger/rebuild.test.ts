import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openMovelog } from '../core.js';
import { registerPatients } from '../services/patients.js';
import { storedViewSchemaVersion, VIEW_SCHEMA_VERSION } from '../views/index.js';
import { findPatient } from '../views/patients.js';
import { openViews, viewDigest } from './rebuild.js';
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
function ageViews(file: string, version: number | null): void {
  const db = new Database(file);
  db.exec(`
    ALTER TABLE view_staff ADD COLUMN nickname TEXT;
    CREATE TABLE view_retired (x INTEGER) STRICT;
    DELETE FROM view_patients;
  `);
  if (version === null) db.exec('DROP TABLE derived_schema');
  else db.prepare("UPDATE derived_schema SET version = ? WHERE part = 'views'").run(version);
  db.close();
}

const tables = (file: string) => {
  const db = new Database(file, { readonly: true });
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
    const file = join(dir, 'movelog.db');
    ageViews(file, version);
    expect(tables(file)).toContain('view_retired');

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
    expect(tables(file)).not.toContain('view_retired');
  });

  it('verify does not compare views of another view schema (they are rebuilt on the next open) and says so', async () => {
    const { dir } = dataDirWithPatient();
    const file = join(dir, 'movelog.db');
    ageViews(file, VIEW_SCHEMA_VERSION + 1);
    const report = await verifyDatabase(file, { workers: 0 });
    expect(report.problem).toBeNull();
    expect(report.viewsMatch).toBeNull();
    expect(report.viewsNotChecked).toBe('other view schema');
  });
});
