import type { Migration } from '../migrate.js';
import { CLINIC_VIEWS } from '../../ledger/viewSchema.js';

/**
 * The ledger (docs/architecture.md#ledger). `entries` holds every accepted entry exactly as signed, in the order
 * this device stored it (`local_seq`, with the local chain in `chain`); triggers make it
 * append-only. `height` is derived (1 + the highest parent's height) and gives the canonical order
 * (height, hash). The view tables are derived from entries and rebuildable.
 */
export const m0001Ledger: Migration = {
  version: 1,
  name: '0001_ledger',
  up(db) {
    db.exec(`
      CREATE TABLE entries (
        local_seq    INTEGER PRIMARY KEY,
        hash         TEXT NOT NULL UNIQUE,
        stream       TEXT NOT NULL,
        author       TEXT NOT NULL,
        seq          INTEGER NOT NULL,
        kind         TEXT NOT NULL,
        height       INTEGER NOT NULL,
        bytes        BLOB NOT NULL,
        sig          TEXT NOT NULL,
        received_at  INTEGER NOT NULL,
        chain        TEXT NOT NULL,
        UNIQUE (stream, author, seq)
      ) STRICT;
      CREATE INDEX entries_canonical_order ON entries (height, hash);
      CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries
        BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;
      CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries
        BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;

      -- Each author's latest entry per stream: derived from entries, kept in the same transaction,
      -- so a local append finds its prev and deps without scanning the stream.
      CREATE TABLE heads (
        stream   TEXT NOT NULL,
        author   TEXT NOT NULL,
        seq      INTEGER NOT NULL,
        hash     TEXT NOT NULL,
        height   INTEGER NOT NULL,
        PRIMARY KEY (stream, author)
      ) STRICT, WITHOUT ROWID;

      -- Two different signed entries at one (stream, author, seq): both kept as proof.
      CREATE TABLE forks (
        id            INTEGER PRIMARY KEY,
        stream        TEXT NOT NULL,
        author        TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        stored_hash   TEXT NOT NULL,
        other_hash    TEXT NOT NULL,
        other_bytes   BLOB NOT NULL,
        other_sig     TEXT NOT NULL,
        detected_at   INTEGER NOT NULL,
        UNIQUE (stored_hash, other_hash)
      ) STRICT;
      CREATE TRIGGER forks_append_only_update BEFORE UPDATE ON forks
        BEGIN SELECT RAISE(ABORT, 'fork proofs are append-only'); END;
      CREATE TRIGGER forks_append_only_delete BEFORE DELETE ON forks
        BEGIN SELECT RAISE(ABORT, 'fork proofs are append-only'); END;
      CREATE TABLE frozen_authors (
        author   TEXT PRIMARY KEY,
        reason   TEXT NOT NULL,
        since    INTEGER NOT NULL
      ) STRICT;

      -- Entries waiting for a parent (prev/deps) or for their author's enrolment; bounded.
      CREATE TABLE pending (
        hash         TEXT PRIMARY KEY,
        bytes        BLOB NOT NULL,
        sig          TEXT NOT NULL,
        waiting_for  TEXT NOT NULL,
        received_at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX pending_by_age ON pending (received_at);

      -- Entries refused on ingest, with the reason; never applied, kept for review.
      CREATE TABLE quarantine (
        id           INTEGER PRIMARY KEY,
        hash         TEXT,
        bytes        BLOB NOT NULL,
        sig          TEXT NOT NULL,
        reason       TEXT NOT NULL,
        source       TEXT NOT NULL,
        received_at  INTEGER NOT NULL
      ) STRICT;
    `);
    db.exec(CLINIC_VIEWS.sql);
  },
};
