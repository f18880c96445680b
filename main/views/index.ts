import type { Db } from '../store/db.js';
import { AUDIT_VIEWS } from './audit.js';
import { CLINIC_HOURS_VIEWS, CLINIC_VIEWS, LOCALE_VIEWS, SIGN_IN_VIEWS, TIME_ZONE_VIEWS } from './clinic.js';
import { CARE_VIEWS } from './care.js';
import { CHECKPOINT_VIEWS } from './checkpoints.js';
import { CONSENT_VIEWS } from './consent.js';
import { ERASURE_VIEWS } from './erasure.js';
import { LINK_VIEWS } from './links.js';
import { NOTE_VIEWS } from './notes.js';
import { ACCESS_VIEWS, PATIENT_VIEWS } from './patients.js';
import { SCHEDULE_VIEWS } from './schedule.js';
import type { ViewSet } from './support.js';
import { TRUST_VIEWS } from './trust.js';

/**
 * The read layer (docs/architecture.md#views): every `view_*` table is declared and queried in
 * this folder only, one module per domain. Views are derived data: when the view schema changes,
 * bump VIEW_SCHEMA_VERSION; a database whose stored version differs has every view table dropped,
 * recreated from this DDL and rebuilt from its entries when it is opened (`openViews` in
 * main/ledger/rebuild.ts). No migration ever touches a view table.
 */
export const VIEW_SCHEMA_VERSION = 12;

/** Every view set. The order fixes the order in which `viewDigest` reads the tables. */
export const ALL_VIEWS: readonly ViewSet[] = [
  CLINIC_VIEWS,
  PATIENT_VIEWS,
  SCHEDULE_VIEWS,
  CHECKPOINT_VIEWS,
  ACCESS_VIEWS,
  TRUST_VIEWS,
  NOTE_VIEWS,
  TIME_ZONE_VIEWS,
  LOCALE_VIEWS,
  CLINIC_HOURS_VIEWS,
  CONSENT_VIEWS,
  LINK_VIEWS,
  SIGN_IN_VIEWS,
  CARE_VIEWS,
  ERASURE_VIEWS,
  AUDIT_VIEWS,
];

/** The full current DDL of the views. */
export const VIEW_SCHEMA = ALL_VIEWS.map((v) => v.sql).join('\n');
/** Every view table with its primary key, in digest order. */
export const VIEW_TABLES = ALL_VIEWS.flatMap((v) => v.tables);

/**
 * The stored view-schema version lives in its own one-row table, outside the `view_` namespace,
 * so dropping the views never drops it; it is created here (not by a migration) because it belongs
 * to the views, whose shape the migrations no longer own.
 */
const VERSION_TABLE = 'CREATE TABLE IF NOT EXISTS derived_schema (part TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT';

/** The view-schema version the database's views were built with, or null (never recorded, or no such table). */
export function storedViewSchemaVersion(db: Db): number | null {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'derived_schema'").get();
  if (table === undefined) return null;
  return db.prepare<[], { version: number }>("SELECT version FROM derived_schema WHERE part = 'views'").get()?.version ?? null;
}

/** Creates the current view tables in a database that has none (a scratch database for a rebuild). */
export function createViews(db: Db): void {
  db.exec(VIEW_SCHEMA);
}

/**
 * Drops every view table (whatever schema made it), recreates them empty from the current DDL and
 * records VIEW_SCHEMA_VERSION. The caller rebuilds them from the entries in the same transaction.
 */
export function recreateViews(db: Db): void {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'view\\_%' ESCAPE '\\'")
    .all()
    .map((t) => t.name);
  for (const name of tables) db.exec(`DROP TABLE "${name}"`);
  createViews(db);
  db.exec(VERSION_TABLE);
  db.prepare("INSERT INTO derived_schema (part, version) VALUES ('views', ?) ON CONFLICT (part) DO UPDATE SET version = excluded.version").run(
    VIEW_SCHEMA_VERSION,
  );
}
