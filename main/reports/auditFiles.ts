import type { AuditFilter } from '../../shared/api/calls/audit.js';
import type { Db } from '../store/db.js';
import { writeAtomic } from '../store/atomicFile.js';
import { auditReportPatients, renderAuditCsv, renderAuditPdf } from './audit.js';
import type { AuditPdfOptions, ReportOptions } from './audit.js';

/**
 * The audit report written to a file (docs/architecture.md#audit-report), the brief's report
 * signature `(db, input, out, opts) => Promise<{ rows }>`, written through writeAtomic
 * (main/reports/atomicFile.ts): a half-written report never has the final name.
 */
export async function writeAuditCsv(db: Db, filter: AuditFilter, out: string, opts: ReportOptions = {}): Promise<AuditFileResult> {
  const { rows } = await writeAtomic(out, (target) => renderAuditCsv(db, filter, target.stream, opts), opts.signal);
  return { rows, patients: auditReportPatients(db, filter) };
}

export async function writeAuditPdf(db: Db, filter: AuditFilter, out: string, opts: AuditPdfOptions): Promise<AuditFileResult> {
  const { rows } = await writeAtomic(out, (target) => renderAuditPdf(db, filter, target.stream, opts), opts.signal);
  return { rows, patients: auditReportPatients(db, filter) };
}

/**
 * What a written report says back: its rows, and the distinct patients it names, which its caller
 * records as read (docs/architecture.md#access-audit) — as writeAuditBundle does.
 */
export interface AuditFileResult {
  readonly rows: number;
  readonly patients: readonly string[];
}
