import type { Writable } from 'node:stream';
import { accessEmergency, disclosureConsent, disclosureDates, disclosureEnd } from '../../shared/api/accounting.js';
import type { CallParsedInput, PatientAccessReport } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';
import { patientAccessReport } from '../services/patientReport.js';
import { writeAtomic } from '../store/atomicFile.js';
import { ReportPdf } from './pdf.js';

/**
 * The patient's access report and accounting of disclosures as a PDF the front desk prints or
 * hands over (docs/architecture.md#the-patients-accounting). Drawn from the same answer as the
 * `patient.accessReport` call, so the paper, the screen and `movelog report patient` agree.
 */

export interface PatientReportOptions {
  /** Rows drawn so far, of the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborted: stop at the next row and reject. */
  readonly signal?: AbortSignal;
}

const ROLE_WORDS: Readonly<Record<string, string>> = {
  manager: 'Manager',
  therapist: 'Therapist',
  assistant: 'Assistant',
  front_desk: 'Front desk',
};

function formatters(report: PatientAccessReport): { day: (ms: number) => string; time: (ms: number) => string; isoDay: (day: string) => string } {
  const { locale, timeZone } = report;
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  // A clinic-local day (YYYY-MM-DD) is written as that day, whatever the zone.
  const isoDay = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    day: (ms) => day.format(ms),
    time: (ms) => time.format(ms),
    isoDay: (d) => isoDay.format(Date.parse(`${d}T00:00:00Z`)),
  };
}

const patientName = (report: PatientAccessReport): string => `${report.patient.givenName} ${report.patient.familyName}`.trim();

/** Draws the report from its data into `sink`; resolves when the last byte is written. */
export async function drawPatientReport(report: PatientAccessReport, sink: Writable, opts: PatientReportOptions = {}): Promise<{ rows: number }> {
  const f = formatters(report);
  const clinic = report.clinicName ?? 'This clinic';
  const name = patientName(report);
  const period = `${f.isoDay(report.from)} to ${f.isoDay(report.to)}`;
  const pdf = new ReportPdf(sink, {
    title: 'Who accessed your record, and what was shared',
    subtitle: `${clinic} · ${name} · ${period}`,
    footer: `${clinic} · access report for ${name} · made ${f.time(report.madeAt)}`,
  });
  const total = report.accesses.length + report.disclosures.length;
  let done = 0;
  const step = (): void => {
    opts.signal?.throwIfAborted();
    done++;
    if (done % 50 === 0 || done === total) opts.onProgress?.(done, total);
  };
  try {
    opts.signal?.throwIfAborted();
    pdf.facts([
      ['Patient', name],
      ['Date of birth', report.patient.dateOfBirth ? f.isoDay(report.patient.dateOfBirth) : 'not recorded'],
      ['Patient id', report.patient.patientId],
      ['Period', `${period} (days as the clinic's clocks show them, ${report.timeZone})`],
      ['Made by', `${clinic}, ${f.time(report.madeAt)}`],
      ...(report.shared ? [['Home clinic', `${report.homeClinicName ?? 'another clinic'} (it shares this record with ${clinic})`] as const] : []),
    ]);
    pdf.paragraph(
      `This report lists everyone who opened your record, or saw your name in a list, in the period above, and every time ${
        report.shared ? (report.homeClinicName ?? 'your home clinic') : clinic
      } shared your record with another clinic because you agreed to it. Movelog records each of these as it happens, signed by the computer it happened on; the records cannot be changed or removed afterwards. If anything here surprises you, ask the front desk or the clinic manager.`,
    );

    pdf.heading('1. Who accessed your record');
    pdf.paragraph(
      `Each line is one opening of your record (your details or your clinical notes), at ${clinic} or at a clinic you agreed to share it with, or one time your name appeared in a list at ${clinic} (a search, the calendar, the day's visits). ` +
        'An emergency access is one where a staff member who was not treating you opened your record and had to give a reason; the reason is shown. ' +
        `Lists seen at other clinics are recorded by those clinics and are not shared with ${clinic}, so they are not on this report: ask those clinics for them.`,
    );
    if (report.accesses.length === 0) pdf.paragraph('No one accessed your record in this period.');
    else {
      const table = pdf.table([
        { header: 'When', share: 2.2 },
        { header: 'Who', share: 2.4 },
        { header: 'Role', share: 1.3 },
        { header: 'Clinic', share: 2.2 },
        { header: 'What', share: 3 },
        { header: 'Emergency', share: 2.2 },
      ]);
      for (const a of report.accesses) {
        table.row([
          f.time(a.at),
          a.staffName ?? 'a staff member not known here',
          a.role ? (ROLE_WORDS[a.role] ?? a.role) : '',
          a.clinicName ?? 'another clinic',
          a.action,
          accessEmergency(a),
        ]);
        step();
      }
    }

    pdf.heading('2. Disclosures to other clinics (accounting of disclosures)');
    pdf.paragraph(
      'Your record is shared with another clinic only with your consent, only the parts you chose, and only for the period you chose. ' +
        'Each line is one such consent: the clinic that received your record, what it could see, why, the consent it rests on (when it was recorded, how you gave it, and its reference in the signed record), when sharing started and when it ended or was withdrawn, and how many times staff of that clinic opened your record in this period. ' +
        'This follows the accounting of disclosures of the HIPAA Privacy Rule (45 CFR 164.528), which covers six years before the request.',
    );
    if (report.disclosures.length === 0) pdf.paragraph('Your record was not shared with any other clinic in this period.');
    else {
      const table = pdf.table([
        { header: 'Dates', share: 2.2 },
        { header: 'Clinic', share: 1.8 },
        { header: 'What', share: 2 },
        { header: 'Purpose', share: 1.8 },
        { header: 'Consent it rests on', share: 3.2 },
        { header: 'Ended', share: 2.4 },
        { header: 'Opened there', share: 1.2, align: 'right' },
      ]);
      for (const d of report.disclosures) {
        table.row([
          disclosureDates(d, f.day),
          d.clinicName ?? 'a clinic not known here',
          d.what,
          d.purpose ?? 'not readable on this computer',
          disclosureConsent(d, f.time),
          disclosureEnd(d, f.day),
          String(d.openings),
        ]);
        step();
      }
    }
  } catch (error) {
    // Finish the document so its stream closes; the caller discards the file.
    await pdf.end().catch(() => undefined);
    throw error;
  }
  await pdf.end();
  opts.onProgress?.(total, total);
  return { rows: total };
}

/**
 * The report of `input` from the database, drawn into `sink` (the report functions' shape of
 * docs/architecture.md#reports, before the file is written atomically by the caller).
 */
export async function renderPatientReport(
  db: Db,
  input: CallParsedInput<'patient.accessReport'>,
  sink: Writable,
  opts: PatientReportOptions & { readonly now: number },
): Promise<{ rows: number }> {
  return drawPatientReport(patientAccessReport(db, input, opts.now), sink, opts);
}

/**
 * The report of `input` written to the file `out` (the report functions' signature,
 * docs/architecture.md#the-patients-accounting): through a `.partial-*` file renamed once complete,
 * removed on an error or an abort, so a half-written report never has the name asked for.
 */
export async function writePatientReport(
  db: Db,
  input: CallParsedInput<'patient.accessReport'>,
  out: string,
  opts: PatientReportOptions & { readonly now: number },
): Promise<{ rows: number }> {
  return writeAtomic(out, (target) => renderPatientReport(db, input, target.stream, opts), opts.signal);
}
