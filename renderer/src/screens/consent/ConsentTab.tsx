// The Consent tab of a patient's record (docs/architecture.md#consent-screens): who can see what
// now, every grant and withdrawal, and — for the roles that record consent — the grant form and
// the withdrawals. On a receiving clinic the same tab shows what this clinic may see, and a
// withdrawal the patient told this clinic about can be recorded here too.
import { useRef, useState } from 'react';
import type { CallOutput } from '../../../../shared/api/index.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { DataTable } from '../../kit/DataTable.js';
import type { Column } from '../../kit/DataTable.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { Notice } from '../../kit/Notice.js';
import { useSession } from '../../kit/SessionContext.js';
import { dateOnly, when } from '../../format.js';
import { mayCall } from '../../roles.js';
import { useCall } from '../../useCall.js';
import { GrantForm } from './GrantForm.js';
import { LockedExplanation } from './LockedExplanation.js';
import { WithdrawForm } from './WithdrawForm.js';
import { captureInWords, categoriesInWords, lastDay, PURPOSE_WORDS, untilInWords } from './words.js';
import './consent.css';

type ConsentState = CallOutput<'consent.get'>;
type Access = ConsentState['access'][number];
type HistoryItem = ConsentState['history'][number];

const STATUS_WORDS: Readonly<Record<NonNullable<HistoryItem['status']>, string>> = {
  active: 'In force',
  scheduled: 'Not started yet',
  expired: 'Ended',
  revoked: 'Withdrawn',
};

/** Which withdrawal form is open: for one clinic (all its grants), or for one grant. */
type Withdrawing = { readonly kind: 'clinic'; readonly clinicId: string } | { readonly kind: 'grant'; readonly hash: string } | null;

export function ConsentTab({ patientId }: { readonly patientId: string }) {
  const { state, reload } = useCall('consent.get', { patientId });
  if (state.status === 'loading') return <Loading>Reading the patient’s consent…</Loading>;
  if (state.status === 'error') return <FormError message={state.error.message} />;
  return <ConsentView consent={state.value} reload={reload} />;
}

function ConsentView({ consent, reload }: { readonly consent: ConsentState; readonly reload: () => void }) {
  const { role } = useSession();
  const announce = useAnnounce();
  const records = mayCall(role, 'consent.grant') && !consent.locked;
  const [granting, setGranting] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Withdrawing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const nowHeading = useRef<HTMLHeadingElement>(null);
  const grantButton = useRef<HTMLButtonElement>(null);
  /** The "Withdraw…" button that opened the withdrawal form: cancelling goes back to it. */
  const withdrawOpener = useRef<HTMLButtonElement | null>(null);
  const openWithdrawal = (which: NonNullable<Withdrawing>, button: HTMLButtonElement) => {
    withdrawOpener.current = button;
    setWithdrawing(which);
  };
  const clinicName = (name: string | null) => name ?? 'another clinic';

  /** After a grant or a withdrawal: say what changed, show the new state, start again from its heading. */
  const done = (message: string) => {
    setGranting(false);
    setWithdrawing(null);
    setNotice(message);
    announce(message);
    reload();
    nowHeading.current?.focus();
  };

  const accessColumns: Column<Access>[] = [
    { header: 'Clinic', rowHeader: true, cell: (a) => clinicName(a.clinicName) },
    { header: 'May see', cell: (a) => categoriesInWords(a.categories) },
    { header: 'Until', cell: (a) => (a.until === null ? 'Until the patient withdraws' : lastDay(a.until)) },
  ];
  if (records)
    accessColumns.push({
      header: 'Actions',
      hideHeader: true,
      className: 'actions',
      cell: (a) => (
        <button
          type="button"
          className="secondary"
          aria-expanded={withdrawing?.kind === 'clinic' && withdrawing.clinicId === a.clinicId}
          onClick={(e) => openWithdrawal({ kind: 'clinic', clinicId: a.clinicId }, e.currentTarget)}
        >
          Withdraw consent for {clinicName(a.clinicName)}…
        </button>
      ),
    });

  const withdrawable = (h: HistoryItem) => records && h.kind === 'granted' && (h.status === 'active' || h.status === 'scheduled');
  const historyColumns: Column<HistoryItem>[] = [
    { header: 'Recorded', rowHeader: true, cell: (h) => when.format(new Date(h.at)) },
    {
      header: 'What',
      cell: (h) =>
        h.kind === 'granted'
          ? `Consent: ${clinicName(h.clinicName)} may see ${categoriesInWords(h.categories)}`
          : `Withdrawn: ${clinicName(h.clinicName)} no longer sees ${categoriesInWords(h.categories)}${h.grant === null ? ' (every consent to the clinic)' : ' (one consent)'}`,
    },
    {
      header: 'Period',
      cell: (h) => (h.kind === 'granted' && h.from !== null ? `From ${dateOnly.format(new Date(h.from))} ${untilInWords(h.until)}` : '—'),
    },
    { header: 'Purpose, how given, reason', cell: (h) => <HistoryDetails item={h} /> },
    { header: 'Recorded by', cell: (h) => `${h.staffName ?? 'Unknown staff member'}${h.recordedBy ? `, ${h.recordedBy}` : ''}` },
    { header: 'Status', cell: (h) => (h.status ? STATUS_WORDS[h.status] : '—') },
    {
      header: 'Actions',
      hideHeader: true,
      className: 'actions',
      cell: (h) =>
        withdrawable(h) && (
          <button
            type="button"
            className="secondary"
            aria-expanded={withdrawing?.kind === 'grant' && withdrawing.hash === h.hash}
            onClick={(e) => openWithdrawal({ kind: 'grant', hash: h.hash }, e.currentTarget)}
          >
            Withdraw this consent…
          </button>
        ),
    },
  ];

  const withdrawForm = (clinicId: string, name: string | null, grant: HistoryItem | null, categories: Access['categories']) => (
    <WithdrawForm
      patientId={consent.patientId}
      clinicId={clinicId}
      clinicName={clinicName(name)}
      grant={grant ? grant.hash : null}
      categories={categories}
      onCancel={() => {
        setWithdrawing(null);
        window.requestAnimationFrame(() => withdrawOpener.current?.focus());
      }}
      onDone={done}
    />
  );

  return (
    <div className="consent">
      <section aria-labelledby="consent-now-title">
        <h2 id="consent-now-title" tabIndex={-1} ref={nowHeading}>
          Who can see what now
        </h2>
        <Notice>{notice}</Notice>
        {consent.locked && <LockedExplanation homeClinicName={consent.homeClinicName} />}
        {consent.shared && !consent.locked && (
          <p className="hint">
            This is a patient of {clinicName(consent.homeClinicName)}, shared with this clinic by the patient’s consent. A withdrawal the patient
            tells this clinic about can be recorded here; new consent is recorded at {clinicName(consent.homeClinicName)}.
          </p>
        )}
        <DataTable
          className="consent-access"
          labelledBy="consent-now-title"
          rows={consent.access}
          rowKey={(a) => a.clinicId}
          columns={accessColumns}
          detail={(a) =>
            withdrawing?.kind === 'clinic' && withdrawing.clinicId === a.clinicId && withdrawForm(a.clinicId, a.clinicName, null, a.categories)
          }
          detailClassName="row-form"
          empty={
            consent.shared
              ? 'This clinic may no longer see any part of this record.'
              : 'No other clinic may see this record: it stays at this clinic until the patient consents to share it.'
          }
        />
      </section>

      {records && !consent.shared && (
        <section className="panel" aria-labelledby="consent-grant-title">
          <h2 id="consent-grant-title">Share the record with another clinic</h2>
          {granting ? (
            <GrantForm
              patientId={consent.patientId}
              onDone={done}
              onCancel={() => {
                setGranting(false);
                window.requestAnimationFrame(() => grantButton.current?.focus());
              }}
            />
          ) : (
            <>
              <p className="hint">
                Record the patient’s consent: which clinic may see which parts of the record, for how long, and how the patient gave it.
              </p>
              <button type="button" ref={grantButton} onClick={() => setGranting(true)}>
                Record consent…
              </button>
            </>
          )}
        </section>
      )}

      <section className="panel" aria-labelledby="consent-history-title">
        <h2 id="consent-history-title">History of consent</h2>
        <DataTable
          className="consent-history"
          labelledBy="consent-history-title"
          rows={consent.history}
          rowKey={(h) => h.hash}
          rowClassName={(h) => (h.kind === 'granted' && h.status !== 'active' && h.status !== 'scheduled' ? 'inactive' : undefined)}
          columns={historyColumns}
          detail={(h) => withdrawing?.kind === 'grant' && withdrawing.hash === h.hash && withdrawForm(h.clinicId, h.clinicName, h, h.categories)}
          detailClassName="row-form"
          empty="No consent has been recorded for this patient."
        />
      </section>
    </div>
  );
}

/** A grant's purpose, note and how it was given (with the signature as drawn), or a withdrawal's reason. */
function HistoryDetails({ item }: { readonly item: HistoryItem }) {
  if (item.kind === 'revoked') return item.reason ?? 'The reason cannot be opened on this computer.';
  const details = item.details;
  if (!details) return 'The details cannot be opened on this computer.';
  const capture = details.capture;
  return (
    <>
      {PURPOSE_WORDS[details.purpose].replace(/ \(.*\)$/, '')}
      {details.note ? ` — ${details.note}` : ''}
      <br />
      <span className="hint">{captureInWords(capture)}</span>
      {capture.method === 'drawn' && (
        <svg
          className="signature-drawn"
          viewBox={`0 0 ${String(capture.signature.width)} ${String(capture.signature.height)}`}
          role="img"
          aria-label="The patient’s signature"
        >
          <path d={capture.signature.path} />
        </svg>
      )}
    </>
  );
}
