import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { actionWords } from '../../../../shared/api/index.js';
import type { AuditFilter, AuditRow, AuditSummary, CallOutput } from '../../../../shared/api/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { FormError } from '../../kit/FormError.js';
import { JobProgress } from '../../kit/JobProgress.js';
import { Outcome } from '../../kit/Notice.js';
import type { OutcomeMessage } from '../../kit/Notice.js';
import { Loading } from '../../kit/Loading.js';
import { useSession } from '../../kit/SessionContext.js';
import { clinicLocale } from '../../format.js';
import { roleName } from '../../roles.js';
import { useCall } from '../../useCall.js';
import { useJob } from '../../useJob.js';

/** Rows asked for at a time: a few screenfuls (docs/architecture.md#audit-report). */
const PAGE = 200;
/** Height of one row in pixels: fixed, so the virtualizer knows where row 500,000 is without drawing the rest. */
const ROW_HEIGHT = 34;

type Patient = CallOutput<'patient.search'>[number];

/** This month in the clinic's time zone, as the filter's days. */
function thisMonth(zone: string): { from: string; to: string } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
  const [y = 1970, m = 1] = today.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const month = String(m).padStart(2, '0');
  return { from: `${String(y)}-${month}-01`, to: `${String(y)}-${month}-${String(last).padStart(2, '0')}` };
}

/**
 * The manager's audit report (docs/architecture.md#audit-report): filters, the total, and a table of
 * every matching entry, newest first, that stays fast at a million rows: only the rows in view are
 * drawn (@tanstack/react-virtual), and rows are fetched from main a page at a time as the table
 * scrolls towards them (keyset pages, `audit.rows`). Each page is recorded as read (its patients).
 * The table is an ARIA grid: arrow keys, Page Up/Down, Home and End move the current row.
 */
export function AuditScreen() {
  const session = useSession();
  const zone = session.timeZone;
  const [filter, setFilter] = useState<AuditFilter>(() => thisMonth(zone));
  const choices = useCall('audit.choices', {});
  const summary = useCall('audit.summary', { filter }, JSON.stringify(filter));
  return (
    <section className="panel audit" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <p className="hint">
        Who read or changed what, when and on which computer: every signed entry of the period, newest first. Days and times are the clinic's (
        {zone.replaceAll('_', ' ')}).
      </p>
      {choices.state.status === 'error' && <FormError message={choices.state.error.message} />}
      <Filters
        key={JSON.stringify(filter)}
        initial={filter}
        choices={choices.state.status === 'ok' ? choices.state.value : null}
        onApply={setFilter}
      />
      {summary.state.status === 'loading' && <Loading>Counting…</Loading>}
      {summary.state.status === 'error' && <FormError message={summary.state.error.message} />}
      {summary.state.status === 'ok' && <Totals summary={summary.state.value} />}
      <div className="row audit-exports" role="group" aria-label="Export">
        <Export key={`csv ${JSON.stringify(filter)}`} kind="audit.csv" label="Export CSV" title="Exporting the audit report (CSV)" filter={filter} />
        <Export key={`pdf ${JSON.stringify(filter)}`} kind="audit.pdf" label="Export PDF" title="Printing the audit report (PDF)" filter={filter} />
        <Export
          key={`bundle ${JSON.stringify(filter)}`}
          kind="audit.bundle"
          label="Export bundle"
          title="Exporting the audit bundle"
          filter={filter}
        />
      </div>
      <AuditTable key={`table ${JSON.stringify(filter)}`} filter={filter} total={summary.state.status === 'ok' ? summary.state.value.total : null} />
    </section>
  );
}

/**
 * One export of the report as shown (the filter applied): a job off Movelog's main thread with its
 * progress and Cancel (docs/architecture.md#long-work-off-the-main-thread); the browser downloads
 * the file when it is done. The patients it names are recorded as read by the manager.
 */
function Export(props: {
  readonly kind: 'audit.csv' | 'audit.pdf' | 'audit.bundle';
  readonly label: string;
  readonly title: string;
  readonly filter: AuditFilter;
}) {
  const job = useJob(props.kind, props.filter);
  const state = job.state;
  let message: OutcomeMessage = null;
  if (job.error) message = { error: true, text: job.error };
  else if (state?.status === 'done') {
    const rows = (state.result as { rows?: number } | null)?.rows ?? 0;
    message = {
      error: false,
      text: `${capitalised(props.label.replace('Export ', ''))} of ${rows.toLocaleString(clinicLocale())} ${rows === 1 ? 'entry' : 'entries'} ready.`,
    };
  } else if (state?.status === 'cancelled') message = { error: false, text: `${props.label} cancelled; no file was kept.` };
  else if (state?.status === 'failed') message = { error: true, text: state.message ?? 'The export could not finish.' };
  return (
    <div className="audit-export">
      {state?.status === 'running' ? (
        <JobProgress label={props.title} unit="entries" state={state} onCancel={() => void job.cancel()} />
      ) : (
        <button type="button" className="secondary" onClick={() => void job.start()}>
          {props.label}
        </button>
      )}
      <Outcome message={message} />
    </div>
  );
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function Totals({ summary }: { readonly summary: AuditSummary }) {
  return (
    <p className="audit-totals" role="status" data-testid="audit-total">
      {summary.total.toLocaleString(clinicLocale())} {summary.total === 1 ? 'entry' : 'entries'} ·{' '}
      {summary.emergencies.toLocaleString(clinicLocale())} emergency {summary.emergencies === 1 ? 'access' : 'accesses'} ·{' '}
      {summary.refused.toLocaleString(clinicLocale())} refused {summary.refused === 1 ? 'request' : 'requests'}
    </p>
  );
}

function Filters(props: {
  readonly initial: AuditFilter;
  readonly choices: CallOutput<'audit.choices'> | null;
  readonly onApply: (filter: AuditFilter) => void;
}) {
  const { initial, choices } = props;
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [staffId, setStaffId] = useState(initial.staffId ?? '');
  const [action, setAction] = useState(initial.action ?? '');
  const [clinicId, setClinicId] = useState(initial.clinicId ?? '');
  const [patient, setPatient] = useState<{ id: string; name: string } | null>(
    initial.patientId ? { id: initial.patientId, name: 'the chosen patient' } : null,
  );
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!from || !to) {
      setError('Choose the first and the last day.');
      return;
    }
    if (from > to) {
      setError('The first day comes after the last.');
      return;
    }
    setError(null);
    props.onApply({
      from,
      to,
      ...(staffId ? { staffId } : {}),
      ...(patient ? { patientId: patient.id } : {}),
      ...(action ? { action } : {}),
      ...(clinicId ? { clinicId } : {}),
    });
  };
  return (
    <form className="audit-filters" onSubmit={submit} aria-label="Filters">
      <div className="field">
        <label htmlFor="audit-from">From</label>
        <input id="audit-from" type="date" value={from} required onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="audit-to">To</label>
        <input id="audit-to" type="date" value={to} required onChange={(e) => setTo(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="audit-staff">Staff member</label>
        <select id="audit-staff" value={staffId} onChange={(e) => setStaffId(e.target.value)}>
          <option value="">Everyone</option>
          {choices?.staff.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({roleName(s.role)})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" value={action} onChange={(e) => setAction(e.target.value)}>
          <option value="">Every action</option>
          {choices?.actions.map((a) => (
            <option key={a} value={a}>
              {actionWords(a)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-clinic">Clinic</label>
        <select id="audit-clinic" value={clinicId} onChange={(e) => setClinicId(e.target.value)}>
          <option value="">Every clinic</option>
          {choices?.clinics.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <PatientPicker patient={patient} onChange={setPatient} />
      <div className="field audit-apply">
        <button type="submit">Show</button>
      </div>
      {error && <FormError message={error} />}
    </form>
  );
}

/** One patient, found by a search (which is itself a recorded reading), or everyone. */
function PatientPicker(props: {
  readonly patient: { id: string; name: string } | null;
  readonly onChange: (p: { id: string; name: string } | null) => void;
}) {
  const bridge = useBridge();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Patient[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (props.patient)
    return (
      <div className="field">
        <span className="label" id="audit-patient-label">
          Patient
        </span>
        <span className="row" aria-labelledby="audit-patient-label">
          <span data-testid="audit-patient">{props.patient.name}</span>
          <button type="button" className="secondary" onClick={() => props.onChange(null)}>
            Any patient
          </button>
        </span>
      </div>
    );
  const search = () => {
    if (query.trim() === '') return;
    void bridge.invoke('patient.search', { query, limit: 20 }).then((r) => {
      if (r.ok) {
        setFound(r.value);
        setError(null);
      } else setError(r.error.message);
    });
  };
  return (
    <div className="field audit-patient">
      <label htmlFor="audit-patient-search">Patient</label>
      <span className="row">
        <input
          id="audit-patient-search"
          type="search"
          value={query}
          placeholder="Name, date of birth or phone"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              search();
            }
          }}
        />
        <button type="button" className="secondary" onClick={search}>
          Find
        </button>
      </span>
      {error && <FormError message={error} />}
      {found && (
        <ul className="audit-patient-results" aria-label="Patients found">
          {found.length === 0 && <li>No patient found.</li>}
          {found.map((p) => (
            <li key={p.patientId}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  props.onChange({ id: p.patientId, name: `${p.familyName}, ${p.givenName} (${p.dateOfBirth})` });
                  setFound(null);
                  setQuery('');
                }}
              >
                {p.familyName}, {p.givenName} ({p.dateOfBirth})
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const COLUMNS = ['When', 'Who', 'Action', 'Patient', 'Details', 'Computer', 'Clinic'] as const;

/** The rows loaded so far, in order, and where the next page starts (null: all loaded). */
interface Loaded {
  readonly rows: readonly AuditRow[];
  readonly next: { at: number; hash: string } | null;
  readonly done: boolean;
}

function AuditTable({ filter, total }: { readonly filter: AuditFilter; readonly total: number | null }) {
  const bridge = useBridge();
  const session = useSession();
  const [loaded, setLoaded] = useState<Loaded>({ rows: [], next: null, done: false });
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);
  const [active, setActive] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const time = useMemo(
    () => new Intl.DateTimeFormat(clinicLocale(), { dateStyle: 'medium', timeStyle: 'medium', timeZone: session.timeZone }),
    [session.timeZone],
  );

  const more = useCallback(() => {
    if (loading.current || loaded.done) return;
    loading.current = true;
    void bridge.invoke('audit.rows', { filter, after: loaded.next, limit: PAGE }).then((r) => {
      loading.current = false;
      if (!r.ok) return setError(r.error.message);
      setLoaded((l) => ({ rows: [...l.rows, ...r.value.rows], next: r.value.next, done: r.value.next === null }));
    });
  }, [bridge, filter, loaded]);

  const count = loaded.rows.length + (loaded.done ? 0 : 1);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders this component itself on scroll; nothing here is memoized by a compiler
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastShown = items[items.length - 1]?.index ?? 0;
  // Fetch the next page when the rows in view come near the end of what is loaded.
  useEffect(() => {
    if (!loaded.done && lastShown >= loaded.rows.length - PAGE / 4) more();
  }, [lastShown, loaded, more]);

  const move = (to: number) => {
    const index = Math.max(0, Math.min(to, loaded.rows.length - 1));
    setActive(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };
  const onKey = (event: KeyboardEvent) => {
    const perPage = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const keys: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + perPage,
      PageUp: active - perPage,
      Home: 0,
      End: loaded.rows.length - 1,
    };
    const to = keys[event.key];
    if (to === undefined) return;
    event.preventDefault();
    move(to);
  };

  if (error) return <FormError message={error} />;
  if (loaded.done && loaded.rows.length === 0) return <p className="empty">No entries match.</p>;
  const rowCount = (total ?? loaded.rows.length) + 1;
  return (
    <div
      ref={scroller}
      className="audit-scroll"
      role="grid"
      aria-label="Audit entries"
      aria-rowcount={rowCount}
      aria-colcount={COLUMNS.length}
      aria-readonly="true"
      aria-activedescendant={loaded.rows.length > 0 ? `audit-row-${String(active)}` : undefined}
      tabIndex={0}
      onKeyDown={onKey}
      data-testid="audit-table"
    >
      <div role="rowgroup" className="audit-head">
        <div role="row" aria-rowindex={1} className="audit-row">
          {COLUMNS.map((c) => (
            <div role="columnheader" key={c} className={`audit-cell audit-${c.toLowerCase()}`}>
              {c}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = loaded.rows[item.index];
          return (
            <div
              key={item.key}
              id={`audit-row-${String(item.index)}`}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={item.index === active}
              className={`audit-row${item.index === active ? ' active' : ''}`}
              style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: ROW_HEIGHT, transform: `translateY(${String(item.start)}px)` }}
            >
              {row ? (
                <Cells row={row} time={time} />
              ) : (
                <div role="gridcell" className="audit-cell">
                  Loading…
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function Cells({ row, time }: { readonly row: AuditRow; readonly time: Intl.DateTimeFormat }) {
  const who = row.staffId === null ? `Computer ${row.deviceLabel ?? row.device.slice(0, 8)}` : (row.staffName ?? row.staffId.slice(0, 8));
  const patient =
    row.patientId !== null
      ? (row.patientName ?? `Patient ${row.patientId.slice(0, 8)} (no key here)`)
      : row.patients !== null
        ? `${row.patients.toLocaleString(clinicLocale())} ${row.patients === 1 ? 'patient' : 'patients'} in a list`
        : '';
  const details = [row.what, row.mode === 'emergency' ? 'Emergency' : null, row.purpose, row.via, row.call]
    .filter((d) => d !== null && d !== '')
    .join(' · ');
  return (
    <>
      <div role="gridcell" className="audit-cell audit-when">
        {time.format(row.at)}
      </div>
      <div role="gridcell" className="audit-cell audit-who">
        {who}
        {row.role ? ` (${roleName(row.role)})` : ''}
      </div>
      <div role="gridcell" className="audit-cell audit-action">
        {actionWords(row.action)}
      </div>
      <div role="gridcell" className="audit-cell audit-patient">
        {patient}
      </div>
      <div role="gridcell" className="audit-cell audit-details">
        {details}
      </div>
      <div role="gridcell" className="audit-cell audit-computer">
        {row.deviceLabel ?? row.device.slice(0, 8)}
      </div>
      <div role="gridcell" className="audit-cell audit-clinic">
        {row.clinicName ?? ''}
      </div>
    </>
  );
}
