import { dirname } from 'node:path';
import type { AuditFilter } from '../../shared/api/calls/audit.js';
import type { JobRun } from '../jobs/kind.js';
import { readLastVerify } from './audit.js';
import { writeAuditCsv, writeAuditPdf } from './auditFiles.js';
import { writeAuditBundle } from './bundle.js';
import type { AuditFileResult } from './auditFiles.js';

/**
 * The audit report's exports as jobs (docs/architecture.md#audit-report): run in a worker on its
 * own read-only connection (docs/architecture.md#long-work-off-the-main-thread). The kind's
 * `patients` hook records the patients the file names as the reading of whoever started it.
 */
export const runCsv: JobRun<AuditFilter, AuditFileResult> = (db, filter, out, { onProgress, signal }) => {
  if (out === null) throw new Error('the audit CSV is written to a file');
  return writeAuditCsv(db, filter, out, { onProgress, signal });
};

export const runPdf: JobRun<AuditFilter, AuditFileResult> = (db, filter, out, { onProgress, signal, folder }) => {
  if (out === null) throw new Error('the audit PDF is written to a file');
  // The last verification's outcome is kept beside the database (main/ledger/lastVerify.ts).
  const integrity = readLastVerify(dirname(db.name));
  return writeAuditPdf(db, filter, out, { onProgress, signal, integrity, madeBy: null, now: folder.startedAt });
};

/** The self-verifying bundle of the same selection (docs/architecture.md#audit-bundle; ledger-format.md §16). */
export const runBundle: JobRun<AuditFilter, AuditFileResult> = (db, filter, out, { onProgress, signal }) => {
  if (out === null) throw new Error('the audit bundle is written to a file');
  return writeAuditBundle(db, filter, out, { onProgress, signal });
};
