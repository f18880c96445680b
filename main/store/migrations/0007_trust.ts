import type { Migration } from '../migrate.js';
import { TRUST_VIEWS } from '../../ledger/viewSchema.js';

/**
 * Trust between clinics (docs/architecture.md#trust-between-clinics): the trust views, and `purpose` on one-time codes so an
 * invitation code and a pairing code can never be taken for each other.
 */
export const m0007Trust: Migration = {
  version: 7,
  name: '0007_trust',
  up(db) {
    db.exec(TRUST_VIEWS.sql);
    db.exec("ALTER TABLE pairing_codes ADD COLUMN purpose TEXT NOT NULL DEFAULT 'device' CHECK (purpose IN ('device', 'clinic'))");
  },
};
