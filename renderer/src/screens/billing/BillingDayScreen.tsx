// The front desk's billing day (docs/architecture.md#billing-day): one day's visits with what each
// visit's signed note bills (CPT codes with their units, the rule that counted them) and whether
// the note is signed, awaiting a co-signature or not written yet, with the day's totals.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { NOTE_TYPE_NAMES } from '../../../../shared/api/index.js';
import type { BillingRow } from '../../../../shared/api/index.js';
import { BILLING_RULE_NAMES } from '../../../../shared/charting/billing.js';
import { wallClock } from '../../../../shared/time.js';
import { DataTable } from '../../kit/DataTable.js';
import type { Column } from '../../kit/DataTable.js';
import { Field } from '../../kit/Field.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { useNavigation } from '../../kit/NavigationContext.js';
import { useSession } from '../../kit/SessionContext.js';
import { dateInputHint, formatIsoDate, isoFromDateInput, longDate, timeOnly } from '../../format.js';
import { useCall } from '../../useCall.js';
import { useNow } from '../schedule/useNow.js';
import { billingTotals, noteState, NOTE_STATE_WORDS, STATUS_WORDS } from './billingWords.js';
import './billing.css';

/** The day before or after a clinic-local day (YYYY-MM-DD). */
const shiftDay = (day: string, by: number) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + by)).toISOString().slice(0, 10);
};
/** A clinic-local day as this computer's midnight of it, for the day's heading. */
const localDay = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
};

export function BillingDayScreen() {
  const session = useSession();
  const navigation = useNavigation();
  const now = useNow(60_000);
  const today = wallClock(now, session.timeZone).date;
  // Opens on today, in the clinic's calendar; the clock is read once, when the screen opens.
  const [day, setDay] = useState(() => wallClock(Date.now(), session.timeZone).date);
  const [typed, setTyped] = useState(() => formatIsoDate(day));
  const [typedError, setTypedError] = useState<string | null>(null);
  const { state } = useCall('billing.day', { date: day }, day);

  const show = (event: FormEvent) => {
    event.preventDefault();
    const iso = isoFromDateInput(typed);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
      setTypedError(`Enter the day as ${dateInputHint()}.`);
      return;
    }
    setTypedError(null);
    setDay(iso);
  };
  const go = (next: string) => {
    setTypedError(null);
    setDay(next);
    setTyped(formatIsoDate(next));
  };

  const columns: readonly Column<BillingRow>[] = [
    { header: 'Time', cell: (r) => timeOnly.format(r.start) },
    {
      header: 'Patient',
      rowHeader: true,
      cell: (r) =>
        r.patientName ? (
          <button type="button" className="link" onClick={() => navigation.openPatient(r.patientId)}>
            {r.patientName}
          </button>
        ) : (
          'A patient whose name this computer cannot open'
        ),
    },
    { header: 'Clinician', cell: (r) => r.clinicianName ?? '—' },
    { header: 'Visit', cell: (r) => STATUS_WORDS[r.status] ?? r.status },
    {
      header: 'Note',
      cell: (r) => {
        const s = noteState(r);
        return (
          <span className={`note-state note-state-${s}`}>
            {NOTE_STATE_WORDS[s]}
            {r.note && <span className="hint"> ({NOTE_TYPE_NAMES[r.note.type].toLowerCase()})</span>}
          </span>
        );
      },
    },
    {
      header: 'Codes',
      cell: (r) =>
        r.note?.billing && r.note.billing.lines.length > 0
          ? r.note.billing.lines.map((l) => `${l.code} × ${String(l.units)}`).join(', ')
          : r.note
            ? 'none billed'
            : '—',
    },
    { header: 'Units', cell: (r) => (r.note?.billing ? String(r.note.billing.totalUnits) : '—'), className: 'number' },
    { header: 'Rule', cell: (r) => (r.note?.billing ? BILLING_RULE_NAMES[r.note.billing.rule] : '—') },
  ];

  return (
    <>
      <h1>Billing day</h1>
      <p>
        The day's visits with what each visit's signed note bills: the CPT codes and their units, counted by the payer's rule when the note was
        signed. A note awaiting a co-signature, or not signed yet, is shown so it can be chased before the claim goes out.
      </p>
      <form className="row billing-day-pick" onSubmit={show} noValidate>
        <Field id="billing-day" label="Day" hint={dateInputHint()} error={typedError} className="field">
          {(control) => <input {...control} value={typed} onChange={(e) => setTyped(e.target.value)} />}
        </Field>
        <button type="submit">Show</button>
        <button type="button" className="secondary" onClick={() => go(shiftDay(day, -1))}>
          Previous day
        </button>
        <button type="button" className="secondary" onClick={() => go(shiftDay(day, 1))}>
          Next day
        </button>
        {day !== today && (
          <button type="button" className="secondary" onClick={() => go(today)}>
            Back to today
          </button>
        )}
      </form>
      <section className="panel" aria-labelledby="billing-day-title" aria-busy={state.status === 'loading'}>
        <h2 id="billing-day-title">{longDate.format(localDay(day))}</h2>
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <FormError message={state.error.message} />}
        {state.status === 'ok' && (
          <>
            <DataTable
              labelledBy="billing-day-title"
              className="billing-day"
              rows={state.value}
              rowKey={(r) => r.appointmentId}
              columns={columns}
              empty="No visits on this day."
            />
            {state.value.length > 0 && <Totals rows={state.value} />}
          </>
        )}
      </section>
    </>
  );
}

function Totals({ rows }: { readonly rows: readonly BillingRow[] }) {
  const t = billingTotals(rows);
  return (
    <section aria-labelledby="billing-totals-title" className="billing-totals">
      <h3 id="billing-totals-title">Totals</h3>
      <dl>
        <dt>Visits</dt>
        <dd>{t.visits}</dd>
        <dt>Notes signed</dt>
        <dd>{t.signed}</dd>
        <dt>Awaiting co-signature</dt>
        <dd>{t.awaitingCosign}</dd>
        <dt>Not yet signed</dt>
        <dd>{t.unsigned}</dd>
        <dt>Units billed</dt>
        <dd data-testid="billing-total-units">{t.units}</dd>
        <dt>By code</dt>
        <dd>{t.byCode.length === 0 ? 'none' : t.byCode.map((c) => `${c.code} × ${String(c.units)}`).join(', ')}</dd>
      </dl>
    </section>
  );
}
