import type { Db } from '../store/db.js';
import { witnessedCheckpointRows } from '../views/checkpoints.js';

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
export function witnessedCheckpoints(db: Db, device: string): WitnessedCheckpoint[] {
  return witnessedCheckpointRows(db, device).map((r) => ({
    size: r.size,
    chain: r.chain,
    witnesses: r.witnesses,
    clinics: r.clinics,
    matches: r.local === r.chain,
  }));
}
