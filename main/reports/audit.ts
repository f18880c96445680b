import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { actionWords, REVIEW_ACTIONS } from '../../shared/api/calls/audit.js';
import type { AuditFilter, AuditRow, AuditSummary } from '../../shared/api/calls/audit.js';
import { VerifyOutcome } from '../../shared/api/calls/clinic.js';
import { LAST_VERIFY_FILE } from '../ledger/lastVerify.js';
import { clockTime, instantAt, wallClock } from '../../shared/time.js';
import { clinicTimeZone, findStaff } from '../clinic/staffQueries.js';
import { readClinic } from '../clinic/queries.js';
import type { Db } from '../store/db.js';
import {
  auditCount,
  auditCountsByAction,
  auditCountsByStaff,
  auditPage,
  auditPatients,
  auditRows,
  auditRowsOfKinds,
  auditEmergencies,
  auditEmergencyCount,
} from '../views/audit.js';
import type { AuditCursor, AuditSelection } from '../views/audit.js';
import { witnessedCheckpointsBetween } from '../views/checkpoints.js';
import { ReportPdf } from './pdf.js';

/**
 * The manager's audit report (docs/architecture.md#audit-report): the screen's pages, the summary,
 * and the CSV and PDF, all plain functions over a database connection, so the app, a worker
 * thread on its own read-only connection and `movelog report audit` run the same code.
 */

/** What a report function is told while it runs: progress (rows done of the total) and cancellation. */
export interface ReportOptions {
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * The outcome of the last `verify` kept in a data folder (main/ledger/lastVerify.ts), read from
 * the file so a report in a worker thread, which has a connection but no app, states it too; null
 * when never verified or unreadable.
 */
export function readLastVerify(dataDir: string): VerifyOutcome | null {
  try {
    const parsed = VerifyOutcome.safeParse(JSON.parse(readFileSync(join(dataDir, LAST_VERIFY_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The filter's clinic-local days as instants: `from` 00:00 up to (excluded) the day after `to`, 00:00, in the clinic's zone. */
export function auditSelection(db: Db, filter: AuditFilter, zone = clinicTimeZone(db)): AuditSelection {
  return {
    from: instantAt(filter.from, '00:00', zone),
    until: instantAt(nextDay(filter.to), '00:00', zone),
    staffId: filter.staffId,
    patientId: filter.patientId,
    action: filter.action,
    clinicId: filter.clinicId,
  };
}

/** The calendar day after `day` (YYYY-MM-DD): calendar arithmetic, no time zone. */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** One page for the screen, newest first; `next` is where the following page starts (null: no more). */
export function auditRowsPage(db: Db, filter: AuditFilter, after: AuditCursor | null, limit: number): { rows: AuditRow[]; next: AuditCursor | null } {
  // One row more than asked tells whether another page follows without a count.
  const rows = auditPage(db, auditSelection(db, filter), after, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? { at: last.at, hash: last.hash } : null };
}

/** The summary: totals by action and staff, emergencies and their reviews, refusals, integrity and witnessed checkpoints. */
export function auditSummary(db: Db, filter: AuditFilter, integrity: VerifyOutcome | null): AuditSummary {
  const timeZone = clinicTimeZone(db);
  const s = auditSelection(db, filter, timeZone);
  const byAction = auditCountsByAction(db, s);
  const count = (kinds: readonly string[]) => byAction.filter((a) => kinds.includes(a.action)).reduce((n, a) => n + a.count, 0);
  return {
    from: s.from,
    until: s.until,
    timeZone,
    total: byAction.reduce((n, a) => n + a.count, 0),
    byAction,
    byStaff: auditCountsByStaff(db, s),
    emergencies: auditEmergencyCount(db, s),
    reviews: count(REVIEW_ACTIONS),
    refused: count(['access.refused']),
    integrity,
    checkpoints: witnessedCheckpointsBetween(db, s.from, s.until),
  };
}

/** The distinct patients whose records the selected rows are in: what an export of them shows, to be recorded first. */
export function auditReportPatients(db: Db, filter: AuditFilter): string[] {
  return auditPatients(db, auditSelection(db, filter));
}

// ------------------------------------------------------------------ CSV

/** The CSV's columns, in order (docs/architecture.md#audit-report). */
export const AUDIT_CSV_COLUMNS = [
  'at',
  'entry',
  'action',
  'staff_id',
  'staff_name',
  'role',
  'device',
  'device_label',
  'clinic_id',
  'clinic_name',
  'patient_id',
  'patient_name',
  'patients_listed',
  'mode',
  'via',
  'request',
  'what',
  'purpose',
  'stream',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma, CR or LF, quotes doubled. A text
 * that a spreadsheet would run as a formula (first character = + - @, tab or CR; OWASP "CSV
 * Injection") is prefixed with a single quote, so it shows as text and never runs.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== value ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(r: AuditRow): string {
  return [
    new Date(r.at).toISOString(),
    r.hash,
    r.action,
    r.staffId,
    r.staffName,
    r.role,
    r.device,
    r.deviceLabel,
    r.clinicId,
    r.clinicName,
    r.patientId,
    r.patientName,
    r.patients,
    r.mode,
    r.via,
    r.call,
    r.what,
    r.purpose,
    r.stream,
  ]
    .map(csvField)
    .join(',');
}

/** Writes `text` and waits for the stream to drain when its buffer is full (memory stays one page). */
function write(sink: Writable, text: string): Promise<void> {
  if (sink.write(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      sink.off('drain', done);
      sink.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    sink.once('drain', done);
    sink.once('error', done);
  });
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('The report was cancelled.', 'AbortError');
}

const PAGE = 2000;

/**
 * The selected rows as CSV (RFC 4180, CRLF line ends, a header line; instants as ISO 8601 UTC),
 * newest first, read and written one keyset page at a time so memory stays flat however many rows.
 * Does not end `sink`.
 */
export async function renderAuditCsv(db: Db, filter: AuditFilter, sink: Writable, opts: ReportOptions = {}): Promise<{ rows: number }> {
  checkAborted(opts.signal);
  const s = auditSelection(db, filter);
  const total = auditCount(db, s);
  await write(sink, `${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
  let rows = 0;
  let chunk: string[] = [];
  for (const row of auditRows(db, s, PAGE)) {
    chunk.push(csvLine(row));
    rows++;
    if (chunk.length === PAGE) {
      checkAborted(opts.signal);
      await write(sink, `${chunk.join('\r\n')}\r\n`);
      chunk = [];
      opts.onProgress?.(rows, total);
    }
  }
  if (chunk.length > 0) await write(sink, `${chunk.join('\r\n')}\r\n`);
  opts.onProgress?.(rows, total);
  return { rows };
}

// ------------------------------------------------------------------ PDF

/** An instant as the clinic's clocks showed it: "2026-03-03 14:05". */
export function clinicTime(ms: number, zone: string): string {
  const w = wallClock(ms, zone);
  return `${w.date} ${clockTime(w.minutes)}`;
}

export interface AuditPdfOptions extends ReportOptions {
  /** The outcome of the last `verify` on this computer (main/ledger/lastVerify.ts), or null. */
  readonly integrity: VerifyOutcome | null;
  /** Who made the report (the footer names them); null when not known (a job's worker knows no session). */
  readonly madeBy: string | null;
  readonly now: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** Who, in words: "Lee Chen (manager)", or the computer when no one signed. */
function who(r: AuditRow): string {
  if (r.staffId === null) return r.deviceLabel ? `computer ${r.deviceLabel}` : 'a computer';
  return `${r.staffName ?? r.staffId.slice(0, 8)}${r.role ? ` (${r.role.replace('_', ' ')})` : ''}`;
}

/** What, in words: the action, the patient and, for readings, what and how. */
function what(r: AuditRow): string {
  const parts = [actionWords(r.action)];
  if (r.patientId !== null) parts.push(r.patientName ?? `patient ${r.patientId.slice(0, 8)}`);
  if (r.patients !== null) parts.push(plural(r.patients, 'patient'));
  if (r.what !== null) parts.push(r.what);
  if (r.mode === 'emergency') parts.push('EMERGENCY');
  if (r.call !== null) parts.push(`request ${r.call}`);
  return parts.join(' · ');
}

/**
 * The audit report as a PDF (docs/architecture.md#audit-report): a summary page (period, counts by
 * action and staff, emergency accesses and their reviews, refused requests, integrity from the last
 * `verify`, witnessed checkpoints and the clinics that witnessed them), then every row, newest first,
 * in clinic-local time. Pages stream into `sink` as they are finished (main/reports/pdf.ts).
 */
export async function renderAuditPdf(db: Db, filter: AuditFilter, sink: Writable, opts: AuditPdfOptions): Promise<{ rows: number }> {
  checkAborted(opts.signal);
  const zone = clinicTimeZone(db);
  const clinic = readClinic(db);
  const summary = auditSummary(db, filter, opts.integrity);
  const s = auditSelection(db, filter, zone);
  const pdf = new ReportPdf(sink, {
    title: 'Audit report',
    subtitle: `${clinic?.name ?? 'Movelog'} · ${filter.from} to ${filter.to} (${zone})`,
    footer: `${clinic?.name ?? 'Movelog'} · made${opts.madeBy === null ? '' : ` by ${opts.madeBy}`} on ${clinicTime(opts.now, zone)}`,
    orientation: 'landscape',
  });
  const selected: [string, string][] = [['Period', `${filter.from} to ${filter.to}, days in ${zone}`]];
  if (filter.staffId) selected.push(['Staff member', findStaff(db, filter.staffId)?.name ?? filter.staffId]);
  if (filter.patientId) selected.push(['Patient', filter.patientId]);
  if (filter.action) selected.push(['Action', `${actionWords(filter.action)} (${filter.action})`]);
  if (filter.clinicId) selected.push(['Clinic', filter.clinicId]);
  pdf.facts([
    ...selected,
    ['Entries', summary.total.toLocaleString('en')],
    ['Emergency accesses', summary.emergencies.toLocaleString('en')],
    ['Reviews of emergency access', summary.reviews.toLocaleString('en')],
    ['Refused requests', summary.refused.toLocaleString('en')],
    ['Integrity', integrityWords(summary.integrity, zone)],
    ['Witnessed checkpoints', checkpointWords(summary, zone)],
  ]);
  pdf.heading('By action');
  const byAction = pdf.table([
    { header: 'Action', share: 3 },
    { header: 'Kind', share: 2 },
    { header: 'Entries', share: 1, align: 'right' },
  ]);
  for (const a of summary.byAction) byAction.row([actionWords(a.action), a.action, a.count.toLocaleString('en')]);
  pdf.heading('By staff member');
  const byStaff = pdf.table([
    { header: 'Staff member', share: 3 },
    { header: 'Role', share: 2 },
    { header: 'Entries', share: 1, align: 'right' },
  ]);
  for (const st of summary.byStaff)
    byStaff.row([
      st.name ?? (st.staffId === null ? 'No one (a computer)' : st.staffId),
      st.role?.replace('_', ' ') ?? '',
      st.count.toLocaleString('en'),
    ]);
  if (summary.checkpoints.byClinic.length > 0) {
    pdf.heading('Clinics that witnessed checkpoints');
    const witnesses = pdf.table([
      { header: 'Clinic', share: 3 },
      { header: 'Checkpoints witnessed', share: 2, align: 'right' },
      { header: 'Last', share: 2 },
    ]);
    for (const c of summary.checkpoints.byClinic)
      witnesses.row([c.clinicName ?? 'a clinic this computer does not know', c.checkpoints.toLocaleString('en'), clinicTime(c.lastAt, zone)]);
  }
  pdf.heading('Emergency accesses and their reviews');
  const emergencies = auditEmergencies(db, s, 500);
  const reviews = auditRowsOfKinds(db, s, REVIEW_ACTIONS, 500);
  if (emergencies.length === 0 && reviews.length === 0) pdf.paragraph('None in this period.');
  else {
    const t = pdf.table([
      { header: 'When', share: 2 },
      { header: 'Who', share: 3 },
      { header: 'What', share: 6 },
    ]);
    for (const r of [...emergencies, ...reviews].sort((a, b) => b.at - a.at)) t.row([clinicTime(r.at, zone), who(r), what(r)]);
  }
  pdf.heading(`Entries (${plural(summary.total, 'entry', 'entries')}, newest first)`);
  const table = pdf.table([
    { header: 'When', share: 2 },
    { header: 'Who', share: 3 },
    { header: 'What', share: 6 },
    { header: 'Computer', share: 2 },
    { header: 'Clinic', share: 2 },
    { header: 'Entry', share: 1.2 },
  ]);
  let rows = 0;
  for (const r of auditRows(db, s, PAGE)) {
    table.row([clinicTime(r.at, zone), who(r), what(r), r.deviceLabel ?? r.device.slice(0, 8), r.clinicName ?? '', r.hash.slice(0, 10)]);
    rows++;
    if (rows % 200 === 0) {
      checkAborted(opts.signal);
      opts.onProgress?.(rows, summary.total);
      // Let the stream take the pages drawn so far before drawing more.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  if (rows === 0) pdf.paragraph('No entries match.');
  opts.onProgress?.(rows, summary.total);
  await pdf.end();
  return { rows };
}

function integrityWords(outcome: VerifyOutcome | null, zone: string): string {
  if (outcome === null) return 'Not verified on this computer yet (run "movelog verify" or Verify now on the Clinic page).';
  const when = `verified ${clinicTime(outcome.at, zone)}, ${plural(outcome.entries, 'entry', 'entries')}`;
  if (!outcome.intact) return `ALTERED: ${outcome.problem ?? 'a problem was found'} (${when})`;
  const notChecked = outcome.notChecked.length > 0 ? `; not checked: ${outcome.notChecked.join('; ')}` : '';
  return `Intact (${when})${notChecked}`;
}

function checkpointWords(summary: AuditSummary, zone: string): string {
  const c = summary.checkpoints;
  if (c.total === 0) return 'None in this period.';
  const latest = c.latest
    ? `; latest ${clinicTime(c.latest.at, zone)} at ${plural(c.latest.size, 'entry', 'entries')}, ${plural(c.latest.witnesses, 'witness', 'witnesses')}`
    : '';
  const clinics = c.byClinic.map((b) => b.clinicName ?? 'unknown clinic').join(', ');
  return `${c.total.toLocaleString('en')} witnessed${latest}; witnessed by ${clinics}`;
}
