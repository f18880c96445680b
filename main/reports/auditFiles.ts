import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { AuditFilter } from '../../shared/api/calls/audit.js';
import type { Db } from '../store/db.js';
import { auditReportPatients, renderAuditCsv, renderAuditPdf } from './audit.js';
import type { AuditPdfOptions, ReportOptions } from './audit.js';

/**
 * The audit report written to a file (docs/architecture.md#audit-report), the brief's report
 * signature `(db, input, out, opts) => Promise<{ rows }>`: the bytes go to a `.partial-*` file
 * beside `out`, which is fsynced and renamed onto `out` only when whole; on an error or a
 * cancellation it is removed, so a half-written report never has the final name.
 */
export async function writeAuditCsv(db: Db, filter: AuditFilter, out: string, opts: ReportOptions = {}): Promise<AuditFileResult> {
  const { rows } = await writeWhole(out, (sink) => renderAuditCsv(db, filter, sink, opts));
  return { rows, patients: auditReportPatients(db, filter) };
}

export async function writeAuditPdf(db: Db, filter: AuditFilter, out: string, opts: AuditPdfOptions): Promise<AuditFileResult> {
  const { rows } = await writeWhole(out, (sink) => renderAuditPdf(db, filter, sink, opts));
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

async function writeWhole<T>(out: string, write: (sink: Writable) => Promise<T>): Promise<T> {
  const partial = join(dirname(out), `${basename(out)}.partial-${process.pid}-${randomBytes(6).toString('hex')}`);
  const stream = createWriteStream(partial, { fd: openSync(partial, 'wx', 0o600) });
  try {
    const value = await write(stream);
    if (!stream.writableEnded) stream.end();
    await finished(stream);
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, out);
    return value;
  } catch (error) {
    stream.destroy();
    await finished(stream).catch(() => undefined);
    rmSync(partial, { force: true });
    throw error;
  }
}
