import { describe, expect, it } from 'vitest';
import { WritesHeldError } from '../ledger/ledger.js';
import { foundClinic, tempLedger } from '../ledger/testing/fixtures.js';
import { receivedBackAfterRestore, recordRestore, restoreHold, restoreRecords, resumeAfterRestore } from './restored.js';

const restore = { at: 2_000, backupAt: 1_000, size: 2, chain: 'c'.repeat(64) };

describe('the record of a restore (docs/architecture.md#backups)', () => {
  it('holds this device’s own appends until it resumes, and keeps every restore', () => {
    const ledger = tempLedger();
    const clinic = foundClinic(ledger);
    const draft = { stream: clinic.publicStream, kind: 'clinic.settings.set' as const, by: clinic.managerId, body: { autoLockMinutes: 5 } };
    recordRestore(ledger.db, { ...restore, noPeers: false });
    expect(restoreHold(ledger.db)).toMatchObject({ size: 2, resumed: null });
    expect(() => ledger.append(draft)).toThrow(WritesHeldError);
    expect(() => ledger.appendMany([draft, draft])).toThrow(/restored from a backup and first takes back/);
    expect(ledger.db.prepare('SELECT count(*) AS n FROM entries').get()).toEqual({ n: 2 });

    resumeAfterRestore(ledger.db, 2);
    expect(restoreHold(ledger.db)).toBeNull();
    expect(ledger.append(draft).localSeq).toBe(3);

    // A backup of this folder restored again: both restores are kept, the newest holds.
    recordRestore(ledger.db, { ...restore, at: 3_000, size: 3, noPeers: false });
    expect(restoreRecords(ledger.db).map((r) => r.resumed)).toEqual([2, null]);
    expect(() => ledger.append(draft)).toThrow(WritesHeldError);
  });

  it('--no-peers resumes at once', () => {
    const ledger = tempLedger();
    foundClinic(ledger);
    expect(recordRestore(ledger.db, { ...restore, noPeers: true }).resumed).toBe(2);
    expect(restoreHold(ledger.db)).toBeNull();
  });

  it('says which local positions were received back after a restore', () => {
    const records = [
      { ...restore, size: 10, resumed: 15, noPeers: false },
      { ...restore, size: 30, resumed: null, noPeers: false },
    ];
    expect([10, 11, 15, 16, 30, 31, 1_000].map((p) => receivedBackAfterRestore(records, p))).toEqual([false, true, true, false, false, true, true]);
    expect(receivedBackAfterRestore([{ ...restore, size: 10, resumed: 10, noPeers: true }], 11)).toBe(false);
  });
});
