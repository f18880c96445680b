import type { Migration } from '../migration.js';

/**
 * An index on the hash of quarantined entries: sync asks, for every entry a peer offers, whether it
 * is already held — in `entries`, `pending` or `quarantine` — and without it each question read the
 * whole quarantine, which a large share (or a hostile peer) can fill with tens of thousands of rows
 * (docs/architecture.md#pending-quarantine-and-forks).
 */
export const m0011QuarantineHash: Migration = {
  version: 11,
  name: '0011_quarantine_hash',
  up(db) {
    db.exec(`
      CREATE INDEX quarantine_hash ON quarantine (hash);
    `);
  },
};
