import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { ViewSet } from './support.js';

/** Devices' signed checkpoints of their local chains, and who witnessed them (main/ledger/domains/clinic.ts). */
export const CHECKPOINT_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_checkpoints (
    hash          TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    device        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    chain         TEXT NOT NULL,
    at            INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_checkpoints_by_device ON view_checkpoints (device, size);
  CREATE TABLE view_witnesses (
    checkpoint    TEXT NOT NULL,
    witness       TEXT NOT NULL,
    device        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    chain         TEXT NOT NULL,
    at            INTEGER NOT NULL,
    PRIMARY KEY (checkpoint, witness)
  ) STRICT;
`,
  tables: [
    { name: 'view_checkpoints', key: 'hash' },
    { name: 'view_witnesses', key: 'checkpoint, witness' },
  ],
};

export function insertCheckpoint(
  db: Db,
  c: { hash: string; clinicId: string | null; device: string; size: number; chain: string; at: number },
): void {
  statement(db, 'INSERT OR IGNORE INTO view_checkpoints (hash, clinic_id, device, size, chain, at) VALUES (?, ?, ?, ?, ?, ?)').run(
    c.hash,
    c.clinicId,
    c.device,
    c.size,
    c.chain,
    c.at,
  );
}

export function insertWitness(db: Db, w: { checkpoint: string; witness: string; device: string; size: number; chain: string; at: number }): void {
  statement(db, 'INSERT OR IGNORE INTO view_witnesses (checkpoint, witness, device, size, chain, at) VALUES (?, ?, ?, ?, ?, ?)').run(
    w.checkpoint,
    w.witness,
    w.device,
    w.size,
    w.chain,
    w.at,
  );
}

/** The device's latest checkpoint, or null. */
export function lastCheckpoint(db: Db, device: string): { size: number; chain: string; hash: string } | null {
  return (
    statement<[string], { size: number; chain: string; hash: string }>(
      db,
      'SELECT size, chain, hash FROM view_checkpoints WHERE device = ? ORDER BY size DESC LIMIT 1',
    ).get(device) ?? null
  );
}

/** The latest checkpoint of every other device that `witness` has not witnessed yet. */
export function unwitnessedCheckpoints(db: Db, witness: string): { hash: string; device: string; size: number; chain: string }[] {
  return statement<[string, string], { hash: string; device: string; size: number; chain: string }>(
    db,
    `SELECT c.hash, c.device, c.size, c.chain FROM view_checkpoints c
      WHERE c.device != ? AND c.size = (SELECT max(size) FROM view_checkpoints WHERE device = c.device)
        AND NOT EXISTS (SELECT 1 FROM view_witnesses w WHERE w.checkpoint = c.hash AND w.witness = ?)`,
  ).all(witness, witness);
}

/**
 * The device's latest witnessed checkpoints, newest first: when it was signed, how many witnessing
 * devices of its own clinic and how many other clinics, and this database's chain after `size`
 * entries (null when it holds fewer).
 */
export function latestWitnessedCheckpoints(
  db: Db,
  device: string,
  limit: number,
): { hash: string; at: number; size: number; chain: string; devices: number; otherClinics: number; local: string | null; position: number }[] {
  return statement<
    [string, number],
    { hash: string; at: number; size: number; chain: string; devices: number; otherClinics: number; local: string | null; position: number }
  >(
    db,
    `SELECT c.hash, c.at, c.size, c.chain,
            count(DISTINCT CASE WHEN d.clinic_id = c.clinic_id THEN w.witness END) AS devices,
            count(DISTINCT CASE WHEN d.clinic_id IS NOT c.clinic_id THEN d.clinic_id END) AS otherClinics,
            (SELECT chain FROM entries WHERE local_seq = c.size) AS local,
            (SELECT local_seq FROM entries WHERE hash = c.hash) AS position
       FROM view_checkpoints c JOIN view_witnesses w ON w.checkpoint = c.hash LEFT JOIN view_devices d ON d.key = w.witness
      WHERE c.device = ? GROUP BY c.hash ORDER BY c.size DESC LIMIT ?`,
  ).all(device, limit);
}

/**
 * The device's checkpoints that other devices witnessed: how many witnesses of how many clinics,
 * this database's local chain after `size` entries (null when it holds fewer), and where the
 * checkpoint entry itself stands in local order.
 */
export function witnessedCheckpointRows(
  db: Db,
  device: string,
  after = 0,
): { size: number; chain: string; witnesses: number; clinics: number; local: string | null; position: number }[] {
  return statement<[string, number], { size: number; chain: string; witnesses: number; clinics: number; local: string | null; position: number }>(
    db,
    `SELECT c.size, c.chain, count(DISTINCT w.witness) AS witnesses, count(DISTINCT d.clinic_id) AS clinics,
            (SELECT chain FROM entries WHERE local_seq = c.size) AS local,
            (SELECT local_seq FROM entries WHERE hash = c.hash) AS position
       FROM view_checkpoints c JOIN view_witnesses w ON w.checkpoint = c.hash LEFT JOIN view_devices d ON d.key = w.witness
      WHERE c.device = ? AND c.size > ? GROUP BY c.hash ORDER BY c.size`,
  ).all(device, after);
}

/**
 * Witnessed checkpoints signed in [from, until) (the audit report's summary,
 * docs/architecture.md#audit-report): how many, the latest, and per witnessing clinic how many it
 * witnessed and when the last of them was signed. `clinicId` null: witnesses whose device this
 * computer does not know.
 */
export function witnessedCheckpointsBetween(
  db: Db,
  from: number,
  until: number,
): {
  total: number;
  latest: { at: number; size: number; witnesses: number } | null;
  byClinic: { clinicId: string | null; clinicName: string | null; checkpoints: number; lastAt: number }[];
} {
  const total =
    statement<[number, number], { n: number }>(
      db,
      'SELECT count(*) AS n FROM view_checkpoints c WHERE c.at >= ? AND c.at < ? AND EXISTS (SELECT 1 FROM view_witnesses w WHERE w.checkpoint = c.hash)',
    ).get(from, until)?.n ?? 0;
  const latest =
    statement<[number, number], { at: number; size: number; witnesses: number }>(
      db,
      `SELECT c.at, c.size, count(*) AS witnesses FROM view_checkpoints c JOIN view_witnesses w ON w.checkpoint = c.hash
        WHERE c.at >= ? AND c.at < ? GROUP BY c.hash ORDER BY c.at DESC, c.hash DESC LIMIT 1`,
    ).get(from, until) ?? null;
  const byClinic = statement<[number, number], { clinicId: string | null; clinicName: string | null; checkpoints: number; lastAt: number }>(
    db,
    `SELECT d.clinic_id AS clinicId, cl.name AS clinicName, count(DISTINCT c.hash) AS checkpoints, max(c.at) AS lastAt
       FROM view_checkpoints c JOIN view_witnesses w ON w.checkpoint = c.hash
       LEFT JOIN view_devices d ON d.key = w.witness LEFT JOIN view_clinic cl ON cl.id = d.clinic_id
      WHERE c.at >= ? AND c.at < ? GROUP BY d.clinic_id ORDER BY checkpoints DESC, clinicName`,
  ).all(from, until);
  return { total, latest, byClinic };
}
