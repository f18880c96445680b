import type { Migration } from '../migration.js';

/**
 * Trust between clinics (docs/architecture.md#trust-between-clinics): the trust views, and `purpose` on one-time codes so an
 * invitation code and a pairing code can never be taken for each other.
 */
export const m0007Trust: Migration = {
  version: 7,
  name: '0007_trust',
  up(db) {
    db.exec(`
      CREATE TABLE view_trust (
        clinic_id     TEXT NOT NULL,
        peer          TEXT NOT NULL,
        name          TEXT NOT NULL,
        fingerprint   TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('trusted', 'withdrawn')),
        since         INTEGER NOT NULL,
        v_height      INTEGER NOT NULL,
        v_hash        TEXT NOT NULL,
        PRIMARY KEY (clinic_id, peer)
      ) STRICT;
      CREATE TABLE view_trust_secrets (
        clinic_id     TEXT NOT NULL,
        peer          TEXT NOT NULL,
        sealed        TEXT NOT NULL,
        v_height      INTEGER NOT NULL,
        v_hash        TEXT NOT NULL,
        PRIMARY KEY (clinic_id, peer)
      ) STRICT;
    `);
    db.exec("ALTER TABLE pairing_codes ADD COLUMN purpose TEXT NOT NULL DEFAULT 'device' CHECK (purpose IN ('device', 'clinic'))");
  },
};
