import type { Db } from '../store/db.js';
import { enforceConsent } from '../ledger/consentLock.js';
import { consentGeneration } from '../ledger/consentState.js';
import type { Keystore } from '../ledger/keystore.js';
import { grantsTo } from '../views/consent.js';

/** What the rooms of a device must do after consent changed. */
export interface ConsentChange {
  /** Withdraw the window of every pair room and publish again under the new consent. */
  readonly republish: boolean;
  /** Rewind every pair room: a new grant to this clinic makes the others resend what they passed over. */
  readonly rewind: boolean;
}

/**
 * Follows consent for one device's sync (docs/architecture.md#consent-scoped-replication): asked
 * after every room step and on a timer, it notices when consent changed (an entry arrived, or a
 * grant started or ended with time), makes keys and views follow (`enforceConsent`), and says what
 * the rooms must do.
 */
export class ConsentFollower {
  private seen = '';
  private grants = -1;

  constructor(
    private readonly db: Db,
    private readonly keystore: Keystore,
  ) {}

  check(clinicId: string, now: number): ConsentChange | null {
    const generation = consentGeneration(this.db, now);
    if (generation === this.seen) return null;
    // Marked as seen only once enforced: if another process holds the database (SQLITE_BUSY), the
    // next step tries again.
    enforceConsent(this.db, this.keystore, now);
    this.seen = generation;
    const grants = grantsTo(this.db, clinicId, now);
    const rewind = this.grants !== -1 && grants > this.grants;
    this.grants = grants;
    return { republish: true, rewind };
  }
}
