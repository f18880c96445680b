import { useEffect, useRef, useState } from 'react';
import type { CallOutput, PatientDetailsInput, PatientRecord as PatientRecordValue, PatientSummary } from '../../../../shared/api/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { DataTable } from '../../kit/DataTable.js';
import type { Column } from '../../kit/DataTable.js';
import { Field } from '../../kit/Field.js';
import { FormError } from '../../kit/FormError.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { Loading } from '../../kit/Loading.js';
import { useSession } from '../../kit/SessionContext.js';
import { useFocusOnMount } from '../../kit/useFocusOnMount.js';
import { mayCall, roleName } from '../../roles.js';
import { useCall } from '../../useCall.js';
import { Tabs } from '../../kit/Tabs.js';
import { ConsentTab } from '../consent/ConsentTab.js';
import { LockedExplanation } from '../consent/LockedExplanation.js';
import { sharedLine } from '../consent/words.js';
import { AccessReport } from './AccessReport.js';
import { ClinicalNotes } from './ClinicalNotes.js';
import { EpisodesPanel } from '../charting/EpisodesPanel.js';
import { LinkedRecords, recordClinic } from './LinkedRecords.js';
import { EMPTY_FIELDS, fieldsFrom, PatientForm } from './PatientForm.js';
import { ErasedRecord, ErasePanel } from './Erasure.js';
import { PatientVisits } from './PatientVisits.js';
import './patients.css';
import { formatIsoDate, timeOnly, when } from '../../format.js';
import { Notice } from '../../kit/Notice.js';
import { BreakGlassDialog } from '../access/BreakGlassDialog.js';
import { ChartView } from '../chart/ChartView.js';

type View =
  | { readonly kind: 'list' }
  | { readonly kind: 'register' }
  | {
      readonly kind: 'record';
      readonly patientId: string;
      readonly editing: boolean;
      /** The patient as search showed them: a record locked here (consent ended) is explained without asking main for it. */
      readonly found?: PatientSummary;
    };

const displayName = (p: PatientSummary) =>
  p.erased
    ? `Erased record ${p.patientId}`
    : p.readable
      ? `${p.familyName ?? ''}, ${p.givenName ?? ''}${p.preferredName ? ` (${p.preferredName})` : ''}`
      : p.sharing?.locked
        ? `Locked record shared by ${p.sharing.homeClinicName ?? 'another clinic'}`
        : 'Record not readable on this computer';

/** Under a shared patient's name (docs/architecture.md#consent-screens): who shares them, until when, what; or that consent ended. */
function SharingTag({ patient }: { readonly patient: PatientSummary }) {
  const sharing = patient.sharing;
  if (!sharing) return null;
  return (
    <span className="shared-tag" data-testid="shared-tag">
      {sharing.locked ? `Shared by ${sharing.homeClinicName ?? 'another clinic'} · consent ended, locked` : sharedLine(sharing)}
    </span>
  );
}

/** Find, register and update patients; `openPatientId` opens with that record (a patient chosen on another screen). */
export function PatientsScreen({ openPatientId = null, clinicName }: { readonly openPatientId?: string | null; readonly clinicName: string }) {
  const { role } = useSession();
  const [view, setView] = useState<View>(openPatientId ? { kind: 'record', patientId: openPatientId, editing: false } : { kind: 'list' });

  switch (view.kind) {
    case 'list':
      return (
        <PatientList
          clinicName={clinicName}
          canRegister={mayCall(role, 'patient.register')}
          onOpen={(found) => setView({ kind: 'record', patientId: found.patientId, editing: false, found })}
          onRegister={() => setView({ kind: 'register' })}
        />
      );
    case 'register':
      return <RegisterPatient onDone={(patientId) => setView(patientId ? { kind: 'record', patientId, editing: false } : { kind: 'list' })} />;
    case 'record':
      return (
        <PatientRecordView
          // Opening a linked record from this one is a new record page.
          key={view.patientId}
          found={view.found ?? null}
          patientId={view.patientId}
          clinicName={clinicName}
          onOpen={(patientId) => setView({ kind: 'record', patientId, editing: false })}
          editing={view.editing}
          canEdit={mayCall(role, 'patient.update')}
          canSeeAccess={mayCall(role, 'patient.accessLog')}
          canReport={mayCall(role, 'patient.accessReport')}
          onEdit={(editing) => setView({ ...view, editing })}
          onBack={() => setView({ kind: 'list' })}
        />
      );
  }
}

const RESULT_COLUMNS = (onOpen: (found: PatientSummary) => void, clinicName: string): readonly Column<PatientSummary>[] => [
  {
    header: 'Name',
    cell: (p) => {
      // A shared record says whose it is in its tag; this clinic's own record says so when it is linked.
      const own = p.sharing ? null : recordClinic(p, clinicName);
      return (
        <>
          <button type="button" className="link" onClick={() => onOpen(p)}>
            {displayName(p)}
          </button>
          <SharingTag patient={p} />
          {own && <span className="badge record-clinic"> {own}</span>}
        </>
      );
    },
  },
  { header: 'Date of birth', cell: (p) => formatIsoDate(p.dateOfBirth) },
  { header: 'Phone', cell: (p) => p.phone ?? '—' },
];

/** Rows a search shows; main is asked for one more, to know whether to say there are more. */
const SHOWN = 50;

function PatientList(props: {
  readonly clinicName: string;
  readonly canRegister: boolean;
  readonly onOpen: (found: PatientSummary) => void;
  readonly onRegister: () => void;
}) {
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const t = window.setTimeout(() => setDebounced(query), 150);
    return () => window.clearTimeout(t);
  }, [query]);
  const { state } = useCall('patient.search', { query: debounced, limit: SHOWN + 1 });
  const searching = debounced.trim() !== '';

  return (
    <section aria-labelledby="patients-title">
      <div className="row heading-row">
        <h1 id="patients-title">Patients</h1>
        {props.canRegister && (
          <button type="button" onClick={props.onRegister}>
            Register patient
          </button>
        )}
      </div>
      <Field
        id="patient-search"
        label="Search by name, date of birth or phone"
        hint="Any mix, every part must match: tanaka 1986 · olivia 28/05/1986 · 1986-05-28 · 28/05 · 555 201 (the start or end of a phone number)."
      >
        {(control) => (
          <input
            {...control}
            type="search"
            className="search"
            autoFocus
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="e.g. tanaka 1986"
          />
        )}
      </Field>
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && (
        <>
          <DataTable
            className="patient-results"
            label="Search results"
            rows={state.value.slice(0, SHOWN)}
            rowKey={(p) => p.patientId}
            columns={RESULT_COLUMNS(props.onOpen, props.clinicName)}
            empty={
              searching
                ? `No patient matches “${debounced.trim()}”. Check the spelling, or search by fewer words, a date of birth or at least 3 digits of a phone number.`
                : 'No patients yet. Register the first one.'
            }
          />
          {state.value.length > SHOWN && (
            <p className="hint more-results" role="status">
              {searching
                ? `More than ${String(SHOWN)} patients match: showing the first ${String(SHOWN)}. Add a word, the date of birth or phone digits to narrow the search.`
                : `Showing the first ${String(SHOWN)} patients by name. Search to find others.`}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function RegisterPatient({ onDone }: { readonly onDone: (patientId: string | null) => void }) {
  const bridge = useBridge();
  const announce = useAnnounce();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [duplicates, setDuplicates] = useState<{ details: PatientDetailsInput; matches: PatientSummary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const { role } = useSession();
  /** Registers this clinic's own record and links it with the record another clinic shares (docs/architecture.md#linked-records). */
  const registerAndLink = async (details: PatientDetailsInput, shared: PatientSummary) => {
    setError(null);
    const result = await bridge.invoke('patient.register', { details, confirmDuplicate: true });
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    const linked = await bridge.invoke('patient.link', { patientId: result.value.patientId, otherPatientId: shared.patientId });
    announce(
      linked.ok
        ? `Patient registered and linked with the record shared by ${shared.sharing?.homeClinicName ?? 'another clinic'}.`
        : `Patient registered, but not linked: ${linked.error.message}`,
    );
    onDone(result.value.patientId);
  };

  const register = async (details: PatientDetailsInput, confirmDuplicate: boolean) => {
    setError(null);
    if (!confirmDuplicate) {
      const probe = await bridge.invoke('patient.findDuplicates', {
        givenName: details.givenName,
        familyName: details.familyName,
        dateOfBirth: details.dateOfBirth,
        phone: details.phone ?? null,
      });
      if (probe.ok && probe.value.length > 0) {
        setDuplicates({ details, matches: probe.value });
        return;
      }
    }
    const result = await bridge.invoke('patient.register', { details, confirmDuplicate });
    if (result.ok) {
      announce(`Patient registered: ${details.familyName}, ${details.givenName}.`);
      onDone(result.value.patientId);
    } else setError(result.error.message);
  };

  return (
    <section aria-labelledby="register-title">
      <h1 id="register-title" tabIndex={-1} ref={heading}>
        Register a patient
      </h1>
      {duplicates && (
        <div className="duplicate-warning" role="alert">
          <p>
            <strong>This may be someone already registered.</strong> Check before creating a second record:
          </p>
          <ul>
            {duplicates.matches.map((m) => (
              <li key={m.patientId}>
                {displayName(m)}, born {formatIsoDate(m.dateOfBirth)}
                {m.phone ? `, ${m.phone}` : ''} <SharingTag patient={m} />{' '}
                <button type="button" className="secondary" onClick={() => onDone(m.patientId)}>
                  Open this record
                </button>
                {m.sharing && !m.sharing.locked && mayCall(role, 'patient.link') && (
                  <button type="button" className="secondary" onClick={() => void registerAndLink(duplicates.details, m)}>
                    Register here and link with the record shared by {m.sharing.homeClinicName ?? 'another clinic'}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void register(duplicates.details, true)}>
            It is a different person — register
          </button>
        </div>
      )}
      <FormError message={error} />
      <PatientForm
        initial={EMPTY_FIELDS}
        submitLabel="Register patient"
        busyLabel="Registering…"
        onSubmit={(d) => register(d, false)}
        onCancel={() => onDone(null)}
      />
    </section>
  );
}

interface RecordViewProps {
  readonly found: PatientSummary | null;
  readonly patientId: string;
  readonly clinicName: string;
  readonly onOpen: (patientId: string) => void;
  readonly editing: boolean;
  readonly canEdit: boolean;
  readonly canSeeAccess: boolean;
  readonly canReport: boolean;
  readonly onEdit: (editing: boolean) => void;
  readonly onBack: () => void;
}

/**
 * A record locked here (a shared patient whose consent ended, docs/architecture.md#consent-screens)
 * is not asked of main, which refuses it: search's summary is enough to explain the lock, and the
 * Consent tab still shows the history.
 */
function PatientRecordView(props: RecordViewProps) {
  const announce = useAnnounce();
  const [error, setError] = useState<string | null>(null);
  if (props.found?.sharing?.locked)
    return (
      <PatientRecord
        {...props}
        record={{ summary: props.found, details: null, history: [] }}
        reload={() => undefined}
        error={error}
        setError={setError}
        announce={announce}
      />
    );
  return <LoadedRecordView {...props} />;
}

function LoadedRecordView(props: RecordViewProps) {
  const announce = useAnnounce();
  const { state, reload } = useCall('patient.get', { patientId: props.patientId });
  const [error, setError] = useState<string | null>(null);
  // Opened as an emergency access (docs/architecture.md#break-the-glass): the record came with it,
  // and asking for it again within the hours opens it as usual.
  const [emergency, setEmergency] = useState<CallOutput<'patient.breakGlass'> | null>(null);
  const record = state.status === 'ok' ? state.value : emergency?.record;
  if (record)
    return (
      <>
        {emergency && (
          <Notice>
            Emergency access until {timeOnly.format(emergency.until)}: your reason is in the record's access log, and a manager will review it.
          </Notice>
        )}
        <PatientRecord {...props} record={record} reload={reload} error={error} setError={setError} announce={announce} />
      </>
    );
  if (state.status !== 'error') return <Loading>Opening the record…</Loading>;
  if (state.error.code !== 'outside_care') return <FormError message={state.error.message} />;
  return (
    <section aria-labelledby="outside-care-title">
      <button type="button" className="secondary" onClick={props.onBack}>
        ← All patients
      </button>
      <h1 id="outside-care-title">Not in your care</h1>
      <p>{state.error.message}</p>
      <BreakGlassDialog
        patientId={props.patientId}
        refusal={state.error.message}
        onOpened={(opened) => {
          setEmergency(opened);
          announce('Record opened as an emergency access.');
        }}
        onCancel={props.onBack}
      />
    </section>
  );
}

/** The loaded record; its heading takes focus when it opens (the list's button is gone). */
function PatientRecord(props: {
  readonly patientId: string;
  readonly clinicName: string;
  readonly onOpen: (patientId: string) => void;
  readonly editing: boolean;
  readonly canEdit: boolean;
  readonly canSeeAccess: boolean;
  readonly canReport: boolean;
  readonly onEdit: (editing: boolean) => void;
  readonly onBack: () => void;
  readonly record: PatientRecordValue;
  readonly reload: () => void;
  readonly error: string | null;
  readonly setError: (error: string | null) => void;
  readonly announce: (message: string) => void;
}) {
  const bridge = useBridge();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const { setError, reload } = props;
  const { summary } = props.record;
  const { role } = useSession();
  const [tab, setTab] = useState<'record' | 'chart' | 'consent'>('record');
  const locked = summary.sharing?.locked ?? false;
  // The chart (docs/architecture.md#chart-view): for the roles that read clinical notes, on a record this computer can open.
  const charted = mayCall(role, 'chart.get') && summary.readable && !summary.erased && !locked;
  // Once the record is erased here, the erase panel (and the button that had focus) is gone: focus
  // goes to the heading, which now says so.
  const erasedBefore = useRef(summary.erased !== null);
  useEffect(() => {
    if (summary.erased === null || erasedBefore.current) return;
    erasedBefore.current = true;
    heading.current?.focus();
  }, [summary.erased, heading]);

  const save = async (next: PatientDetailsInput) => {
    const result = await bridge.invoke('patient.update', { patientId: props.patientId, details: next });
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setError(null);
    props.onEdit(false);
    props.announce('Details saved.');
    heading.current?.focus();
    reload();
  };

  return (
    <section aria-labelledby="record-title">
      <button type="button" className="secondary" onClick={props.onBack}>
        ← All patients
      </button>
      <h1 id="record-title" tabIndex={-1} ref={heading}>
        {displayName(summary)}
      </h1>
      {summary.sharing && !locked && (
        <p className="shared-by" data-testid="shared-by">
          {sharedLine(summary.sharing)}
        </p>
      )}
      <Tabs
        id="patient"
        label="Parts of the patient’s record"
        tabs={[
          { key: 'record', label: 'Record' },
          ...(charted ? [{ key: 'chart' as const, label: 'Chart' }] : []),
          { key: 'consent', label: 'Consent' },
        ]}
        selected={tab}
        onSelect={setTab}
      >
        {tab === 'consent' ? (
          <ConsentTab patientId={props.patientId} />
        ) : tab === 'chart' && charted ? (
          <ChartView patientId={props.patientId} />
        ) : summary.erased ? (
          <ErasedRecord summary={{ ...summary, erased: summary.erased }} />
        ) : locked ? (
          <LockedExplanation homeClinicName={summary.sharing?.homeClinicName ?? null} />
        ) : (
          <RecordParts
            {...props}
            save={save}
            onErased={(message) => {
              props.announce(message);
              reload();
            }}
          />
        )}
      </Tabs>
    </section>
  );
}

/** The record tab: details (or their form), visits, notes, versions and who opened it. */
function RecordParts(props: {
  readonly patientId: string;
  readonly clinicName: string;
  readonly onOpen: (patientId: string) => void;
  readonly reload: () => void;
  readonly editing: boolean;
  readonly canEdit: boolean;
  readonly canSeeAccess: boolean;
  readonly canReport: boolean;
  readonly onEdit: (editing: boolean) => void;
  readonly record: PatientRecordValue;
  readonly error: string | null;
  readonly save: (next: PatientDetailsInput) => Promise<void>;
  readonly onErased: (message: string) => void;
}) {
  const { role } = useSession();
  const { summary, details, history } = props.record;
  const { error, save, reload } = props;
  return (
    <>
      <FormError message={error} />
      {!details && <p className="empty">This computer does not hold the key to this patient's record, so its details cannot be shown.</p>}
      {details && !props.editing && (
        <>
          <dl className="facts" data-testid="patient-details">
            <dt>Date of birth</dt>
            <dd>{formatIsoDate(details.dateOfBirth)}</dd>
            <dt>Sex</dt>
            <dd>{details.sex}</dd>
            <dt>Phone</dt>
            <dd>{details.phone ?? '—'}</dd>
            <dt>Email</dt>
            <dd>{details.email ?? '—'}</dd>
            <dt>Address</dt>
            <dd>{details.address ?? '—'}</dd>
            <dt>Emergency contact</dt>
            <dd>
              {details.emergencyContact
                ? `${details.emergencyContact.name}${details.emergencyContact.relationship ? ` (${details.emergencyContact.relationship})` : ''}${details.emergencyContact.phone ? `, ${details.emergencyContact.phone}` : ''}`
                : '—'}
            </dd>
            <dt>Referred by</dt>
            <dd>{details.referralSource ?? '—'}</dd>
            <dt>Insurance</dt>
            <dd>{details.insurance ? `${details.insurance.payer}${details.insurance.memberId ? `, ${details.insurance.memberId}` : ''}` : '—'}</dd>
          </dl>
          {props.canEdit && (
            <button type="button" onClick={() => props.onEdit(true)}>
              Edit details
            </button>
          )}
        </>
      )}
      {details && props.editing && (
        <PatientForm
          initial={fieldsFrom(details)}
          submitLabel="Save changes"
          busyLabel="Saving…"
          onSubmit={save}
          onCancel={() => props.onEdit(false)}
        />
      )}
      <LinkedRecords summary={summary} details={details} clinicName={props.clinicName} onOpen={props.onOpen} onChanged={reload} />
      {summary.readable && <PatientVisits patient={summary} />}
      {summary.readable &&
        (mayCall(role, 'chart.get') ? (
          <ChartParts
            patientId={props.patientId}
            clinicLabel={summary.sharing ? (summary.sharing.homeClinicName ?? 'another clinic') : props.clinicName}
            linked={summary.links.filter((l) => l.notes).map((l) => ({ patientId: l.patientId, clinicName: l.clinicName ?? 'another clinic' }))}
          />
        ) : (
          <ClinicalNotes patientId={props.patientId} />
        ))}
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <ol className="history">
          {history.map((v) => (
            <li key={v.hash}>
              {v.kind === 'patient.registered' ? 'Registered' : 'Details changed'} {when.format(new Date(v.at))}
              {v.byName ? ` by ${v.byName}` : ''}
              {v.details ? ` — ${v.details.givenName} ${v.details.familyName}, ${v.details.phone ?? 'no phone'}` : ''}
            </li>
          ))}
        </ol>
      </section>
      {props.canSeeAccess && <AccessLog patientId={props.patientId} />}
      {mayCall(role, 'patient.erase') && <ErasePanel summary={summary} onErased={props.onErased} />}
      {props.canReport && summary.readable && <AccessReport patientId={props.patientId} />}
    </>
  );
}

/**
 * The record's charting: one chart.get (episodes and notes: one reading of the notes, recorded)
 * for the episodes panel, the notes and the note form; asked again when a note is signed or an
 * episode saved, so every part shows the same chart.
 */
function ChartParts(props: {
  readonly patientId: string;
  readonly clinicLabel: string;
  readonly linked: readonly { readonly patientId: string; readonly clinicName: string }[];
}) {
  const { state, reload } = useCall('chart.get', { patientId: props.patientId });
  return (
    <>
      <EpisodesPanel patientId={props.patientId} chart={state} onSaved={reload} />
      <ClinicalNotes patientId={props.patientId} clinicLabel={props.clinicLabel} linked={props.linked} chart={state} onChartChanged={reload} />
    </>
  );
}

/** Who opened this record or saw it in a list (managers only): each reading is a signed entry (docs/architecture.md#access-audit). */
function AccessLog({ patientId }: { readonly patientId: string }) {
  const { state } = useCall('patient.accessLog', { patientId });
  return (
    <section className="panel" aria-labelledby="access-title">
      <h2 id="access-title">Who opened this record</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' &&
        (state.value.length === 0 ? (
          <p className="empty">No one has opened this record yet.</p>
        ) : (
          <ol className="history" data-testid="access-log">
            {state.value.map((a, i) => (
              <li key={`${String(a.at)}-${String(i)}`}>
                {when.format(new Date(a.at))} — {a.staffName ?? 'unknown staff member'}
                {a.role ? ` (${roleName(a.role)})` : ''} {a.mode === 'emergency' ? <strong>{a.action}</strong> : a.action}
                {a.device ? ` on ${a.device}` : ''}
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}
