import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyKey } from '../store/db.js';
import { exportLedger } from './export.js';
import { foundClinic, tempLedger } from './testing/fixtures.js';
import { CannotVerifyError, verifyDatabase, verifyLedgerFile } from './verify.js';

let pristine = '';
let dbKey: Buffer | null = null;
let pristineExport = '';

beforeAll(() => {
  const ledger = tempLedger();
  const clinic = foundClinic(ledger);
  for (let i = 0; i < 30; i++) {
    ledger.append({
      stream: clinic.publicStream,
      kind: 'staff.added',
      by: clinic.managerId,
      body: { staffId: String(i % 7).repeat(32), name: `Staff ${i}`, role: 'therapist', licence: null },
    });
  }
  pristine = ledger.db.name;
  dbKey = ledger.dbKey;
  pristineExport = join(mkdtempSync(join(tmpdir(), 'movelog-export-')), 'ledger.jsonl');
  exportLedger(ledger.db, pristineExport);
  ledger.db.close();
});

/** A copy of the pristine database with `sql` run as an attacker with file access would. */
function tampered(sql: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'movelog-tamper-')), 'movelog.db');
  copyFileSync(pristine, file);
  const db = new Database(file);
  if (dbKey) applyKey(db, dbKey, file);
  db.exec(`DROP TRIGGER entries_append_only_update; DROP TRIGGER entries_append_only_delete; ${sql}`);
  db.close();
  return file;
}

describe('verifyDatabase', () => {
  it('passes an intact ledger and reports its chain head', async () => {
    const report = await verifyDatabase(pristine, { workers: 0, dbKey });
    expect(report.problem).toBeNull();
    expect(report.entries).toBe(32);
    expect(report.viewsMatch).toBe(true);
    expect(report.chainHead).toMatch(/^[0-9a-f]{64}$/);
  });

  const attacks: [string, string, number | null, RegExp][] = [
    [
      'a byte of an entry edited',
      "UPDATE entries SET bytes = CAST(replace(CAST(bytes AS TEXT), 'Staff 9', 'Staff 8') AS BLOB) WHERE local_seq = 12",
      12,
      /hash does not match/,
    ],
    ['a row deleted', 'DELETE FROM entries WHERE local_seq = 7', 7, /entry #7 is missing/],
    [
      'two rows reordered',
      'UPDATE entries SET local_seq = -1 WHERE local_seq = 5; UPDATE entries SET local_seq = 5 WHERE local_seq = 6; UPDATE entries SET local_seq = 6 WHERE local_seq = -1',
      5,
      /chain breaks|seq|prev/,
    ],
    [
      'two entries swapped with their hashes',
      'UPDATE entries SET local_seq = -1 WHERE local_seq = 20; UPDATE entries SET local_seq = 20 WHERE local_seq = 21; UPDATE entries SET local_seq = 21 WHERE local_seq = -1; UPDATE entries SET chain = (SELECT chain FROM entries e2 WHERE e2.local_seq = 21) WHERE local_seq = 20',
      20,
      /chain breaks|seq|prev/,
    ],
    [
      'a signature replaced',
      'UPDATE entries SET sig = (SELECT sig FROM entries WHERE local_seq = 3) WHERE local_seq = 9',
      9,
      /signature does not verify/,
    ],
    ['the local chain rewritten', "UPDATE entries SET chain = '" + '0'.repeat(64) + "' WHERE local_seq = 15", 15, /chain breaks/],
    ['a stored column changed', "UPDATE entries SET kind = 'clinic.created' WHERE local_seq = 4", 4, /columns/],
    ['the last row deleted', 'DELETE FROM entries WHERE local_seq = 32', null, /views differ/],
    ['a view edited', "UPDATE view_staff SET role = 'manager' WHERE name = 'Staff 29'", null, /views differ/],
  ];

  it.each(attacks)('finds tampering: %s', async (_what, sql, n, reason) => {
    const report = await verifyDatabase(tampered(sql), { workers: 0, dbKey });
    expect(report.problem).not.toBeNull();
    expect(report.problem?.n ?? null).toBe(n);
    expect(report.problem?.reason).toMatch(reason);
  });

  it('says it cannot check a file that is not a Movelog database', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'movelog-junk-')), 'movelog.db');
    writeFileSync(file, 'not sqlite');
    await expect(verifyDatabase(file, { workers: 0 })).rejects.toThrow(CannotVerifyError);
  });
});

describe('verifyLedgerFile', () => {
  it('passes the export of an intact ledger with the same chain head', async () => {
    const [fromFile, fromDb] = await Promise.all([verifyLedgerFile(pristineExport, { workers: 0 }), verifyDatabase(pristine, { workers: 0, dbKey })]);
    expect(fromFile.problem).toBeNull();
    expect(fromFile.entries).toBe(32);
    expect(fromFile.chainHead).toBe(fromDb.chainHead);
  });
});
