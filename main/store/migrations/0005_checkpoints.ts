import type { Migration } from '../migration.js';

/** Signed checkpoints of devices' local chains and their witnesses (derived views). */
export const m0005Checkpoints: Migration = {
  version: 5,
  name: '0005_checkpoints',
  up(db) {
    db.exec(`
      CREATE TABLE view_checkpoints (
        hash          TEXT PRIMARY KEY,
        clinic_id     TEXT NOT NULL,
        device        TEXT NOT NULL,
        size          INTEGER NOT NULL,
        chain         TEXT NOT NULL,
        at            INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX view_checkpoints_by_device ON view_checkpoints (device, size);
      CREATE TABLE view_witnesses (
        checkpoint    TEXT NOT NULL,
        witness       TEXT NOT NULL,
        device        TEXT NOT NULL,
        size          INTEGER NOT NULL,
        chain         TEXT NOT NULL,
        at            INTEGER NOT NULL,
        PRIMARY KEY (checkpoint, witness)
      ) STRICT;
    `);
  },
};
