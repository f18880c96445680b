import type { Db } from '../store/db.js';
import { witnessedCheckpointRows } from '../views/checkpoints.js';
import { receivedBackAfterRestore, restoreRecords } from '../store/restored.js';

/** A checkpoint this device signed that other devices witnessed (docs/architecture.md#witnessed-checkpoints). */
export interface WitnessedCheckpoint {
  readonly size: number;
  readonly chain: string;
  readonly witnesses: number;
  /** How many clinics those witnesses belong to (this clinic's own devices, trusted clinics'). */
  readonly clinics: number;
  /** Whether this device's local chain still has this head after `size` entries. */
  readonly matches: boolean;
  /**
   * It does not match, and it names the log a restore of this folder replaced: the checkpoint
   * entry came back from other computers after `movelog restore`, signed by this device key
   * after the backup, before the restore (docs/architecture.md#backups). Not tampering.
   */
  readonly replaced: boolean;
}

/** This device's checkpoints that other devices witnessed (those of more than `after` entries), checked against its local chain. */
export function witnessedCheckpoints(db: Db, device: string, after = 0): WitnessedCheckpoint[] {
  const restores = restoreRecords(db);
  return witnessedCheckpointRows(db, device, after).map((r) => ({
    size: r.size,
    chain: r.chain,
    witnesses: r.witnesses,
    clinics: r.clinics,
    matches: r.local === r.chain,
    replaced: r.local !== r.chain && receivedBackAfterRestore(restores, r.position),
  }));
}

/** A checkpoint of this device's local chain that other devices witnessed: after `size` entries, `chain`. */
export interface Witness {
  readonly size: number;
  readonly chain: string;
}

/**
 * The witness to keep outside the database (docs/architecture.md#rollback-and-truncation): the
 * newest of this device's witnessed checkpoints that its local chain still holds, or `kept` when
 * that is as new or newer, so a database rolled back to before a checkpoint can never lower it.
 * Pure: the caller reads `witnessedCheckpoints(db, device)` and stores the result when it changed.
 */
export function newestWitness(checkpoints: readonly WitnessedCheckpoint[], kept: Witness | null): Witness | null {
  let newest = kept;
  for (const c of checkpoints)
    if (c.matches && c.witnesses > 0 && (newest === null || c.size > newest.size)) newest = { size: c.size, chain: c.chain };
  return newest === kept ? kept : newest;
}

/** The witnessed checkpoints the local chain no longer matches and no restore explains: tampering or a rollback. */
export function brokenCheckpoints(checkpoints: readonly WitnessedCheckpoint[]): WitnessedCheckpoint[] {
  return checkpoints.filter((c) => !c.matches && !c.replaced);
}
