import type { Migration } from '../migration.js';

/**
 * Sync state (docs/architecture.md#sync). None of it is ledger data: it is this device's replication
 * bookkeeping, kept beside the ledger so a restart resumes where it stopped.
 *
 * - `sync_secrets`: the secret of each room this device belongs to, wrapped (AES-256-GCM) under
 *   the keystore master key; room names and y-webrtc passwords are derived from it.
 * - `sync_cursors`: per room and per other device, how far into that device's log this device
 *   holds everything (the device's entry in the room's `frontiers`). Updated in the same
 *   transaction as the entries it covers.
 * - `sync_settings`: signalling URLs and ICE servers (JSON), per device.
 * - `sync_peers`: what the running sync peer last saw of each other device, for `status` and the
 *   Network page (another process reads it).
 * - `pairing_codes`: one-time pairing codes this device issued (only a hash of the code).
 */
export const m0004Sync: Migration = {
  version: 4,
  name: '0004_sync',
  up(db) {
    db.exec(`
      CREATE TABLE sync_secrets (
        room        TEXT PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('clinic', 'pair')),
        peer_clinic TEXT,
        wrapped     BLOB NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE sync_cursors (
        room      TEXT NOT NULL,
        origin    TEXT NOT NULL,
        position  INTEGER NOT NULL,
        PRIMARY KEY (room, origin)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE sync_settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      ) STRICT;
      CREATE TABLE sync_peers (
        room          TEXT NOT NULL,
        device        TEXT NOT NULL,
        connected     INTEGER NOT NULL,
        last_seen     INTEGER NOT NULL,
        their_cursor  INTEGER NOT NULL,
        our_cursor    INTEGER NOT NULL,
        their_log     INTEGER NOT NULL,
        PRIMARY KEY (room, device)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE pairing_codes (
        code_hash   TEXT PRIMARY KEY,
        issued_by   TEXT NOT NULL,
        expires_at  INTEGER NOT NULL,
        used_at     INTEGER,
        used_by     TEXT
      ) STRICT;
    `);
  },
};
