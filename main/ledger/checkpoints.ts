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

/** This device's checkpoints that other devices witnessed, checked against its local chain. */
export function witnessedCheckpoints(db: Db, device: string): WitnessedCheckpoint[] {
  const restores = restoreRecords(db);
  return witnessedCheckpointRows(db, device).map((r) => ({
    size: r.size,
    chain: r.chain,
    witnesses: r.witnesses,
    clinics: r.clinics,
    matches: r.local === r.chain,
    replaced: r.local !== r.chain && receivedBackAfterRestore(restores, r.position),
  }));
}

/** The witnessed checkpoints the local chain no longer matches and no restore explains: tampering or a rollback. */
export function brokenCheckpoints(checkpoints: readonly WitnessedCheckpoint[]): WitnessedCheckpoint[] {
  return checkpoints.filter((c) => !c.matches && !c.replaced);
}
