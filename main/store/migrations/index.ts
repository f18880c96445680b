import type { Migration } from '../migration.js';
import { m0001Ledger } from './0001_ledger.js';
import { m0002Patients } from './0002_patients.js';
import { m0003Schedule } from './0003_schedule.js';
import { m0004Sync } from './0004_sync.js';
import { m0005Checkpoints } from './0005_checkpoints.js';
import { m0006Access } from './0006_access.js';
import { m0007Trust } from './0007_trust.js';
import { m0008Notes } from './0008_notes.js';
import { m0009TimeZone } from './0009_time_zone.js';
import { m0010KeyVersions } from './0010_key_versions.js';
import { m0011QuarantineHash } from './0011_quarantine_hash.js';
import { m0012Drafts } from './0012_drafts.js';

/**
 * Every migration, in order. Append only: a released migration is never edited, and its SQL is
 * literal text in its own file (migrations.test.ts pins a digest of each). The view tables they
 * create are the shapes of their day; the views module owns today's shapes and rebuilds the views
 * when its view-schema version changes (docs/architecture.md#migrations-and-view-schema).
 */
export const MIGRATIONS: readonly Migration[] = [
  m0001Ledger,
  m0002Patients,
  m0003Schedule,
  m0004Sync,
  m0005Checkpoints,
  m0006Access,
  m0007Trust,
  m0008Notes,
  m0009TimeZone,
  m0010KeyVersions,
  m0011QuarantineHash,
  m0012Drafts,
];
