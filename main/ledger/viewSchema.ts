/**
 * The derived views. They are created by the migrations and, identically, in a scratch database
 * when `movelog verify` rebuilds them to compare. Every table lists its primary key first in
 * VIEW_TABLES so a digest can read rows in one fixed order.
 *
 * Rows written by last-writer-wins reducers keep the (height, hash) of the entry that wrote them:
 * an entry replaces a row only when its (height, hash) is greater, so concurrent entries give the
 * same result in any delivery order.
 */
export const VIEW_SCHEMA = `
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
    v_hash        TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_credentials (
    staff_id      TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    verifier      TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
`;

export const VIEW_TABLES: readonly { readonly name: string; readonly key: string }[] = [
  { name: 'view_clinic', key: 'id' },
  { name: 'view_devices', key: 'key' },
  { name: 'view_staff', key: 'id' },
  { name: 'view_credentials', key: 'staff_id' },
];
