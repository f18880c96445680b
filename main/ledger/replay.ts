import Database from 'better-sqlite3-multiple-ciphers';
import { createViews } from '../views/index.js';
import type { Entry } from './entry.js';
import { ownDeviceRefusal, refusalReason } from './policy.js';
import { applyEntry } from './reduce.js';
import type { OrderKey } from './reduce.js';
import type { PatientKeys } from './seal.js';

/** When this data folder's device was frozen (a row of `frozen_authors`). */
export interface Freeze {
  readonly reason: string;
  /** The ledger clock when the freeze was recorded; entries this device stored later break the rule. */
  readonly since: number;
}

/**
 * The admission policy replayed over a whole history (docs/architecture.md#policy-replay): entries
 * are fed in local order; each is judged by `refusalReason` against views built in a scratch
 * in-memory database from the entries before it alone (roles and staff state as of that entry),
 * plus, for entries this data folder's own device wrote, the rules of `ownDeviceRefusal` (not
 * frozen, acting staff member active). An allowed entry is then applied to the scratch views, which
 * at the end are the rebuild `movelog verify` compares the stored views with. Local order is a
 * causal order, and reducers give the same views in any causal order, so that rebuild equals the
 * canonical-order one.
 */
export class PolicyReplay {
  /** The rebuilt views (current DDL), complete once every entry has been applied. */
  readonly views: Database.Database;
  private readonly keystore: PatientKeys | null;
  private readonly device: string | null;
  private readonly freeze: Freeze | null;
  private readonly genesis: Database.Statement;

  constructor(keystore: PatientKeys | null, device: string | null, freeze: Freeze | null) {
    this.keystore = keystore;
    this.device = device;
    this.freeze = freeze;
    this.views = new Database(':memory:');
    // The rebuilt views hold opened patient data: sorts and temporary tables stay in memory too.
    this.views.pragma('temp_store = MEMORY');
    createViews(this.views);
    // The policy finds the home clinic as the first genesis stored (home.ts): the scratch keeps
    // only the geneses, in local order, for it to read.
    this.views.exec('CREATE TABLE entries (local_seq INTEGER PRIMARY KEY, stream TEXT NOT NULL, kind TEXT NOT NULL)');
    this.genesis = this.views.prepare("INSERT INTO entries (local_seq, stream, kind) VALUES (?, ?, 'clinic.created')");
    this.views.exec('BEGIN');
  }

  /**
   * Judges the entry stored at local position `n`, then applies it. Returns why it should not have
   * been admitted, or null. `receivedAt` is when this database stored it.
   */
  apply(entry: Entry, at: OrderKey, n: number, receivedAt: number): string | null {
    if (entry.author === this.device) {
      const frozen = this.freeze !== null && receivedAt > this.freeze.since ? this.freeze.reason : null;
      const own = ownDeviceRefusal(this.views, entry, frozen);
      if (own) return `this computer should not have written it: ${own}`;
    }
    const refusal = refusalReason(this.views, entry);
    if (refusal) return `the admission policy refuses it: ${refusal}`;
    if (entry.kind === 'clinic.created') this.genesis.run(n, entry.stream);
    applyEntry({ db: this.views, keystore: this.keystore }, entry, at);
    return null;
  }

  /** Ends the replay: the scratch views hold every entry applied. */
  finish(): Database.Database {
    if (this.views.inTransaction) this.views.exec('COMMIT');
    return this.views;
  }

  close(): void {
    this.views.close();
  }
}
