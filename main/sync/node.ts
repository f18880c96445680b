import type { Keystore } from '../ledger/keystore.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Db } from '../store/db.js';

/**
 * What sync needs of one opened data folder: its database, its ledger (admission and this
 * device's key) and its keystore (patient keys and wrapped secrets). Sync depends on this narrow
 * interface, never on the whole app (`main/core.ts`), so the dependency points one way:
 * core → services → sync → ledger → store (docs/architecture.md#layers-inside-main).
 */
export interface SyncNode {
  readonly db: Db;
  readonly ledger: Ledger;
  readonly keystore: Keystore;
}
