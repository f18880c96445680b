import { z } from 'zod';
import { AuditFilter, PatientReportInput } from '../../shared/api/index.js';
import type { CallParsedInput, VerifyOutcome } from '../../shared/api/index.js';
import type { AuditFileResult } from '../reports/auditFiles.js';
import { keepOutcome } from '../ledger/lastVerify.js';
import { NotePdfInput, ProgressReportInput } from '../reports/printInputs.js';
import { defineJobKind } from './kind.js';
import type { AnyJobKind } from './kind.js';

/**
 * Every kind of job Movelog runs off the main thread; adding one is one entry here
 * (docs/architecture.md#how-to-add-a-job-kind). The module it names exports `run`.
 */
export const JOB_KINDS = {
  verify: defineJobKind<Record<string, never>, VerifyOutcome>({
    title: 'Verifying the record',
    input: z.strictObject({}),
    access: ['manager'],
    module: new URL('./verifyJob.js', import.meta.url),
    file: null,
    // The newest witnessed checkpoint goes into the vault first, as `ledger.verify` always did.
    before(host) {
      host.refreshWitness();
    },
    // Kept as the last verification, whether started from a job or from `ledger.verify`.
    finished(outcome, host) {
      keepOutcome(host.dataDir, outcome);
    },
  }),
  // The audit report's exports (docs/architecture.md#audit-report): the filter of the screen.
  'audit.csv': defineJobKind<AuditFilter, AuditFileResult>({
    title: 'Exporting the audit report (CSV)',
    input: AuditFilter,
    access: ['manager'],
    module: new URL('../reports/auditCsvJob.js', import.meta.url),
    file: { name: (f) => `audit-${f.from}-to-${f.to}.csv`, mime: 'text/csv; charset=utf-8' },
    patients: (result) => result.patients,
    shown: (result) => ({ rows: result.rows }),
  }),
  'audit.pdf': defineJobKind<AuditFilter, AuditFileResult>({
    title: 'Printing the audit report (PDF)',
    input: AuditFilter,
    access: ['manager'],
    module: new URL('../reports/auditPdfJob.js', import.meta.url),
    file: { name: (f) => `audit-${f.from}-to-${f.to}.pdf`, mime: 'application/pdf' },
    patients: (result) => result.patients,
    shown: (result) => ({ rows: result.rows }),
  }),
  'audit.bundle': defineJobKind<AuditFilter, AuditFileResult>({
    title: 'Exporting the audit bundle',
    input: AuditFilter,
    access: ['manager'],
    module: new URL('../reports/auditBundleJob.js', import.meta.url),
    // JSON Lines (docs/ledger-format.md §16); `movelog verify --bundle FILE` checks it offline.
    file: { name: (f) => `audit-${f.from}-to-${f.to}.bundle.jsonl`, mime: 'application/jsonl' },
    patients: (result) => result.patients,
    shown: (result) => ({ rows: result.rows }),
  }),
  // The patient's access report as a PDF (docs/architecture.md#the-patients-accounting): the
  // `patient.accessReport` call's input and roles; the file shows the patient, so it is recorded.
  'patient.accessReport': defineJobKind<CallParsedInput<'patient.accessReport'>, { rows: number; patientId: string }>({
    title: 'Printing the access report',
    input: PatientReportInput,
    access: ['front_desk', 'manager'],
    module: new URL('../reports/patientReportJob.js', import.meta.url),
    file: { name: (input) => `access-report-${input.patientId}.pdf`, mime: 'application/pdf' },
    patients: (result) => [result.patientId],
    recordedAs: 'patient.accessReport',
    shown: (result) => ({ rows: result.rows }),
  }),
  // Printed clinical notes (docs/architecture.md#printed-notes): who may read the record may print
  // it, within the care rule as `chart.get` (`allowed`); the file shows the patient's notes, so it is recorded.
  'note.pdf': defineJobKind<NotePdfInput, { patientId: string }>({
    title: 'Printing the note',
    input: NotePdfInput,
    access: ['therapist', 'assistant', 'manager'],
    module: new URL('../reports/notePdfJob.js', import.meta.url),
    file: { name: (input) => `note-${input.note.slice(0, 12)}.pdf`, mime: 'application/pdf' },
    allowed: (input, ctx, host) => host.openRecord(input.patientId, ctx),
    patients: (result) => [result.patientId],
    recordedAs: 'notes.list',
  }),
  'progress.pdf': defineJobKind<ProgressReportInput, { patientId: string }>({
    title: 'Printing the progress report',
    input: ProgressReportInput,
    access: ['therapist', 'assistant', 'manager'],
    module: new URL('../reports/progressReportJob.js', import.meta.url),
    file: { name: (input) => `progress-report-${input.episodeId.slice(0, 12)}.pdf`, mime: 'application/pdf' },
    allowed: (input, ctx, host) => host.openRecord(input.patientId, ctx),
    patients: (result) => [result.patientId],
    recordedAs: 'notes.list',
  }),
} satisfies Record<string, AnyJobKind>;
