import type { Migration } from '../migration.js';

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
    db.exec(`
      CREATE TABLE view_clinic (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        founder       TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        genesis_hash  TEXT NOT NULL
      ) STRICT;
      CREATE TABLE view_devices (
        key           TEXT PRIMARY KEY,
        clinic_id     TEXT NOT NULL,
        label         TEXT NOT NULL,
        enrolled_at   INTEGER NOT NULL,
        revoked       INTEGER NOT NULL DEFAULT 0,
        revoked_at_height INTEGER
      ) STRICT;
      CREATE TABLE view_staff (
        id            TEXT PRIMARY KEY,
        clinic_id     TEXT NOT NULL,
        name          TEXT NOT NULL,
        role          TEXT NOT NULL,
        licence       TEXT,
        created_at    INTEGER NOT NULL,
        v_height      INTEGER NOT NULL,
        v_hash        TEXT NOT NULL,
        active        INTEGER NOT NULL DEFAULT 1,
        a_height      INTEGER NOT NULL DEFAULT 0,
        a_hash        TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE TABLE view_settings (
        clinic_id     TEXT PRIMARY KEY,
        auto_lock_minutes INTEGER NOT NULL,
        v_height      INTEGER NOT NULL,
        v_hash        TEXT NOT NULL
      ) STRICT;
      CREATE TABLE view_refusals (
        hash          TEXT PRIMARY KEY,
        clinic_id     TEXT NOT NULL,
        staff_id      TEXT,
        call          TEXT NOT NULL,
        reason        TEXT NOT NULL,
        at            INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX view_refusals_by_time ON view_refusals (at);
      CREATE TABLE view_credentials (
        staff_id      TEXT PRIMARY KEY,
        clinic_id     TEXT NOT NULL,
        verifier      TEXT NOT NULL,
        v_height      INTEGER NOT NULL,
        v_hash        TEXT NOT NULL
      ) STRICT;
    `);
  },
};
