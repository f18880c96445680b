// The patient's access report and accounting of disclosures on the record
// (docs/architecture.md#the-patients-accounting): the front desk or a manager shows it on screen
// or prints it as a PDF to hand over. Asked for with a button, never on opening the record: each
// report is recorded as a reading of the patient.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { PatientAccessReport, ReportAccess, ReportDisclosure } from '../../../../shared/api/index.js';
import { accessEmergency, disclosureConsent, disclosureDates, disclosureEnd } from '../../../../shared/api/accounting.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { DataTable } from '../../kit/DataTable.js';
import type { Column } from '../../kit/DataTable.js';
import { Field } from '../../kit/Field.js';
import { JobProgress } from '../../kit/JobProgress.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { dateInputHint, dateOnly, formatIsoDate, isoFromDateInput, when } from '../../format.js';
import { roleName } from '../../roles.js';
import { useJob } from '../../useJob.js';

const day = (ms: number) => dateOnly.format(new Date(ms));
const time = (ms: number) => when.format(new Date(ms));

const ACCESS_COLUMNS: readonly Column<ReportAccess>[] = [
  { header: 'When', cell: (a) => time(a.at) },
  { header: 'Who', cell: (a) => a.staffName ?? 'a staff member not known here' },
  { header: 'Role', cell: (a) => (a.role ? roleName(a.role) : '') },
  { header: 'Clinic', cell: (a) => a.clinicName ?? 'another clinic' },
  { header: 'What', cell: (a) => a.action },
  { header: 'Emergency', cell: accessEmergency },
];

const DISCLOSURE_COLUMNS: readonly Column<ReportDisclosure>[] = [
  { header: 'Dates', cell: (d) => disclosureDates(d, day) },
  { header: 'Clinic', cell: (d) => d.clinicName ?? 'a clinic not known here' },
  { header: 'What', cell: (d) => d.what },
  { header: 'Purpose', cell: (d) => d.purpose ?? 'not readable on this computer' },
  { header: 'Consent it rests on', cell: (d) => disclosureConsent(d, time) },
  { header: 'Ended', cell: (d) => disclosureEnd(d, day) },
  { header: 'Opened there', cell: (d) => String(d.openings) },
];

/** The period typed, as the call takes it: clinic-local days, empty for the default. */
const periodInput = (text: string): string | null => (text.trim() === '' ? null : isoFromDateInput(text));

export function AccessReport({ patientId }: { readonly patientId: string }) {
  const bridge = useBridge();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<PatientAccessReport | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);
  const input = { patientId, from: periodInput(from), to: periodInput(to) };
  // Printing is a job off the main thread (docs/architecture.md#long-work-off-the-main-thread); the browser downloads the PDF.
  const print = useJob('patient.accessReport', input, (end) =>
    setPrinted(
      end.status !== 'done'
        ? null
        : end.download
          ? `The access report was printed to a PDF (${end.download.name}): print it or hand it over to the patient.`
          : 'The access report was made, but this window cannot download files.',
    ),
  );
  const printError = print.error ?? (print.state?.status === 'failed' ? print.state.message : null);

  const show = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setPrinted(null);
    const result = await bridge.invoke('patient.accessReport', input);
    setBusy(false);
    if (result.ok) setReport(result.value);
    else {
      setReport(null);
      setError(result.error.message);
    }
  };

  return (
    <section className="panel" aria-labelledby="access-report-title">
      <h2 id="access-report-title">Access report for the patient</h2>
      <p>
        Who accessed this record, and what was shared with other clinics under the patient's consent (the accounting of disclosures a patient may ask
        for). Six years back to today unless you choose a period.
      </p>
      <form onSubmit={(e) => void show(e)} noValidate>
        <div className="row">
          <Field id="access-report-from" label="From" hint={dateInputHint()} className="field">
            {(control) => <input {...control} value={from} onChange={(e) => setFrom(e.target.value)} />}
          </Field>
          <Field id="access-report-to" label="To" hint={dateInputHint()} className="field">
            {(control) => <input {...control} value={to} onChange={(e) => setTo(e.target.value)} />}
          </Field>
        </div>
        <SubmitBlock error={error ?? printError} status={printed} label="Show access report" busy={busy} busyLabel="Loading…" row>
          <button
            type="button"
            disabled={print.running}
            onClick={() => {
              setError(null);
              setPrinted(null);
              void print.start();
            }}
          >
            {print.running ? 'Printing…' : 'Print access report'}
          </button>
        </SubmitBlock>
        {print.running && print.state && (
          <JobProgress label="Printing the access report" state={print.state} unit="lines" onCancel={() => void print.cancel()} />
        )}
      </form>
      {report && (
        <div data-testid="access-report">
          <p>
            {report.patient.givenName} {report.patient.familyName}, born {formatIsoDate(report.patient.dateOfBirth)}: {formatIsoDate(report.from)} to{' '}
            {formatIsoDate(report.to)}.
          </p>
          <h3 id="access-report-accesses">Who accessed the record</h3>
          <p className="hint">Lists seen at other clinics are recorded there and not shared with this clinic, so they are not listed.</p>
          <DataTable
            rows={report.accesses}
            columns={ACCESS_COLUMNS}
            rowKey={(a, i) => `${String(a.at)}-${String(i)}`}
            labelledBy="access-report-accesses"
            empty="No one accessed the record in this period."
          />
          <h3 id="access-report-disclosures">Disclosures to other clinics</h3>
          <DataTable
            rows={report.disclosures}
            columns={DISCLOSURE_COLUMNS}
            rowKey={(d) => d.hash}
            labelledBy="access-report-disclosures"
            empty="The record was not shared with any other clinic in this period."
          />
        </div>
      )}
    </section>
  );
}
