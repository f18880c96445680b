import type Database from 'better-sqlite3';

/** A checkpoint this device signed that other devices witnessed (docs/architecture.md#witnessed-checkpoints). */
export interface WitnessedCheckpoint {
  readonly size: number;
  readonly chain: string;
  readonly witnesses: number;
  /** How many clinics those witnesses belong to (this clinic's own devices, trusted clinics'). */
  readonly clinics: number;
  /** Whether this device's local chain still has this head after `size` entries. */
  readonly matches: boolean;
}

/** This device's checkpoints that other devices witnessed, checked against its local chain. */
export function witnessedCheckpoints(db: Database.Database, device: string): WitnessedCheckpoint[] {
  const rows = db
    .prepare<[string], { size: number; chain: string; witnesses: number; clinics: number; local: string | null }>(
      `SELECT c.size, c.chain, count(DISTINCT w.witness) AS witnesses, count(DISTINCT d.clinic_id) AS clinics,
              (SELECT chain FROM entries WHERE local_seq = c.size) AS local
         FROM view_checkpoints c JOIN view_witnesses w ON w.checkpoint = c.hash LEFT JOIN view_devices d ON d.key = w.witness
        WHERE c.device = ? GROUP BY c.hash ORDER BY c.size`,
    )
    .all(device);
  return rows.map((r) => ({ size: r.size, chain: r.chain, witnesses: r.witnesses, clinics: r.clinics, matches: r.local === r.chain }));
}
