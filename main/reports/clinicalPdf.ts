import { ApiFailure } from '../../shared/api/index.js';
import type { StoredMeasure } from '../../shared/ledger/kinds/notes.js';
import { measureLine } from '../../shared/charting/measureWords.js';
import { clinicLocale, clinicTimeZone } from '../clinic/staffQueries.js';
import type { Db } from '../store/db.js';
import { clinicName } from '../views/clinic.js';
import { findPatient } from '../views/patients.js';
import { patientErasure } from '../ledger/erasure.js';
import { erasedOn } from '../services/erased.js';
import { requireClinicId } from '../services/guards.js';
import type { ReportPdf } from './pdf.js';

/**
 * What the printed note and the progress report share (docs/architecture.md#printed-notes): the
 * clinic and the patient as this computer holds them, the clinic's locale and time zone for
 * dates, and the measures table. Read in a job's worker on its own read-only connection.
 */

export interface PrintedPatient {
  readonly patientId: string;
  readonly name: string;
  readonly dateOfBirth: string | null;
}

export interface PrintContext {
  readonly clinicName: string;
  readonly locale: string;
  readonly timeZone: string;
  readonly patient: PrintedPatient;
  /** When the file was made (the job's start). */
  readonly madeAt: number;
}

/**
 * The clinic and the patient for a print, refusing what cannot be printed with the words the
 * screen shows: an unknown patient, an erased record, a record this computer cannot open. The
 * job's start checked the same with the caller's session (JobHost.openRecord); the worker checks
 * again on its own snapshot.
 */
export function printContext(db: Db, patientId: string, madeAt: number, what: string): PrintContext {
  const clinicId = requireClinicId(db);
  const row = findPatient(db, patientId);
  if (!row) throw new ApiFailure('not_found', 'There is no such patient.');
  const erasure = patientErasure(db, patientId);
  if (erasure)
    throw new ApiFailure(
      'forbidden',
      `This patient's record was erased on ${erasedOn(db, erasure.at)} at the patient's request: nothing readable is left of it, so no ${what} can be printed.`,
    );
  if (!row.readable)
    throw new ApiFailure('forbidden', `This computer does not hold the key to this patient's record, so it cannot print the ${what}.`);
  const name = [row.givenName, row.familyName].filter((p) => p !== null && p !== '').join(' ');
  return {
    clinicName: clinicName(db, clinicId) ?? 'This clinic',
    locale: clinicLocale(db),
    timeZone: clinicTimeZone(db),
    patient: { patientId, name: name === '' ? 'a patient whose name is not known here' : name, dateOfBirth: row.dateOfBirth },
    madeAt,
  };
}

export interface PrintFormat {
  /** A clinic-local day (YYYY-MM-DD) as written in the clinic's locale. */
  day(day: string): string;
  /** An instant as day and time in the clinic's zone. */
  time(ms: number): string;
}

export function printFormat(c: Pick<PrintContext, 'locale' | 'timeZone'>): PrintFormat {
  const time = new Intl.DateTimeFormat(c.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: c.timeZone });
  // A clinic-local day is written as that day, whatever the zone.
  const day = new Intl.DateTimeFormat(c.locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return { day: (d) => day.format(Date.parse(`${d}T00:00:00Z`)), time: (ms) => time.format(ms) };
}

/** The patient's lines of the facts at the top of every clinical print. */
export function patientFacts(c: PrintContext, f: PrintFormat): [string, string][] {
  return [
    ['Clinic', c.clinicName],
    ['Patient', c.patient.name],
    ['Date of birth', c.patient.dateOfBirth ? f.day(c.patient.dateOfBirth) : 'not recorded'],
    ['Patient id', c.patient.patientId],
  ];
}

/** The measures of one note as a table: date, what, side, value, and against the normal range or how it was scored. */
export function measuresTable(pdf: ReportPdf, measures: readonly StoredMeasure[], f: PrintFormat): void {
  const table = pdf.table([
    { header: 'Date', share: 1.5 },
    { header: 'Measure', share: 3.2 },
    { header: 'Side', share: 1.2 },
    { header: 'Value', share: 1.3, align: 'right' },
    { header: 'Against normal, scoring', share: 3.4 },
  ]);
  for (const m of measures) {
    const line = measureLine(m);
    table.row([f.day(m.date), line.what, line.side, line.value, line.comment]);
  }
}
