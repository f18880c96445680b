import { useState } from 'react';
import { api, EMERGENCY_ACCESS_HOURS } from '../../../../shared/api/index.js';
import type { EmergencyAccess, ReviewVerdict } from '../../../../shared/api/index.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { DataTable } from '../../kit/DataTable.js';
import type { Column } from '../../kit/DataTable.js';
import { Dialog } from '../../kit/Dialog.js';
import { Field } from '../../kit/Field.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { useNavigation } from '../../kit/NavigationContext.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { count, timeOnly, when } from '../../format.js';
import { roleName } from '../../roles.js';
import { useCall } from '../../useCall.js';
import './access.css';

const VERDICT_WORDS: Readonly<Record<ReviewVerdict, string>> = { justified: 'Justified', not_justified: 'Not justified' };

const who = (e: EmergencyAccess) => `${e.staffName ?? 'Unknown staff member'}${e.role ? ` (${roleName(e.role)})` : ''}`;

/** "30 Nov 2026, 09:12 – 13:12 · opened 3 times". */
const period = (e: EmergencyAccess) => `${when.format(e.at)} – ${timeOnly.format(e.until)} · opened ${count(e.readings, 'time', 'times')}`;

/**
 * The managers' review queue (docs/architecture.md#break-the-glass): every emergency access by
 * the clinic's staff awaiting review, oldest first, each with its reason and what was opened in
 * its hours; a review (justified or not, with a note) is a signed entry in the patient's record,
 * and the access then shows under "Reviewed" with its verdict.
 */
export function EmergencyReviews() {
  const { state, reload } = useCall('access.emergencies', {});
  const navigation = useNavigation();
  const announce = useAnnounce();
  const [reviewing, setReviewing] = useState<EmergencyAccess | null>(null);
  const patientCell = (e: EmergencyAccess) =>
    e.patientName ? (
      <button type="button" className="link" onClick={() => navigation.openPatient(e.patientId)}>
        {e.patientName}
      </button>
    ) : (
      'A record this computer cannot open'
    );
  const awaitingColumns: readonly Column<EmergencyAccess>[] = [
    { header: 'When', cell: period },
    { header: 'Who', cell: who, rowHeader: true },
    { header: 'Patient', cell: patientCell },
    { header: 'Reason given', cell: (e) => e.reason },
    {
      header: 'Review',
      hideHeader: true,
      cell: (e) => (
        <button type="button" onClick={() => setReviewing(e)} aria-label={`Review the emergency access by ${who(e)} on ${when.format(e.at)}`}>
          Review
        </button>
      ),
    },
  ];
  const reviewedColumns: readonly Column<EmergencyAccess>[] = [
    { header: 'When', cell: period },
    { header: 'Who', cell: who, rowHeader: true },
    { header: 'Patient', cell: patientCell },
    { header: 'Reason given', cell: (e) => e.reason },
    { header: 'Verdict', cell: (e) => (e.review ? <strong>{VERDICT_WORDS[e.review.verdict]}</strong> : '—') },
    {
      header: 'Review note',
      cell: (e) => (e.review ? `${e.review.note} — ${e.review.reviewerName ?? 'a manager'}, ${when.format(e.review.at)}` : ''),
    },
  ];
  return (
    <>
      <h1>Emergency access</h1>
      <p>
        A therapist or assistant opens a patient outside their care only by giving a reason: the record then opens for them for{' '}
        {EMERGENCY_ACCESS_HOURS} hours, and the access waits here for a manager's review. Each review is kept in the patient's record.
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && (
        <>
          <section className="panel" aria-labelledby="awaiting-title">
            <div className="row heading-row">
              <h2 id="awaiting-title">Awaiting review ({state.value.awaiting.length})</h2>
              <button type="button" className="secondary" onClick={reload}>
                Refresh
              </button>
            </div>
            <DataTable
              labelledBy="awaiting-title"
              className="emergencies"
              rows={state.value.awaiting}
              rowKey={(e) => e.hash}
              columns={awaitingColumns}
              empty="No emergency access is waiting for review."
            />
          </section>
          <section className="panel" aria-labelledby="reviewed-title">
            <h2 id="reviewed-title">Reviewed</h2>
            <DataTable
              labelledBy="reviewed-title"
              className="emergencies"
              rows={state.value.reviewed}
              rowKey={(e) => e.hash}
              columns={reviewedColumns}
              empty="No emergency access has been reviewed yet."
            />
          </section>
        </>
      )}
      {reviewing && (
        <ReviewDialog
          access={reviewing}
          onClose={() => setReviewing(null)}
          onDone={(verdict) => {
            setReviewing(null);
            announce(`Reviewed: ${VERDICT_WORDS[verdict].toLowerCase()}.`);
            reload();
          }}
        />
      )}
    </>
  );
}

/** A verdict and a note on one emergency access; main checks the same schemas and signs the review. */
function ReviewDialog(props: { readonly access: EmergencyAccess; readonly onClose: () => void; readonly onDone: (verdict: ReviewVerdict) => void }) {
  const { access } = props;
  const bridge = useBridge();
  const { formRef, problems } = useInvalidSubmit();
  const [verdict, setVerdict] = useState<ReviewVerdict | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ verdict?: string; note?: string }>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = api['access.review'].input.shape;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const found = {
      verdict: verdict === null ? 'Choose whether the access was justified.' : undefined,
      note: input.note.safeParse(note).error?.issues[0]?.message,
    };
    setErrors(found);
    const n = [found.verdict, found.note].filter(Boolean).length;
    if (n > 0 || verdict === null) {
      problems(n);
      return;
    }
    setBusy(true);
    setServerError(null);
    const result = await bridge.invoke('access.review', { access: access.hash, verdict, note });
    setBusy(false);
    if (result.ok) props.onDone(verdict);
    else setServerError(result.error.message);
  };
  return (
    <Dialog label="Review the emergency access" onClose={props.onClose}>
      <h2>Review the emergency access</h2>
      <dl className="facts">
        <dt>Who</dt>
        <dd>{who(access)}</dd>
        <dt>Patient</dt>
        <dd>{access.patientName ?? 'A record this computer cannot open'}</dd>
        <dt>When</dt>
        <dd>{period(access)}</dd>
        <dt>Reason given</dt>
        <dd>{access.reason}</dd>
      </dl>
      <form ref={formRef} className="form-grid" onSubmit={(e) => void submit(e)} noValidate aria-label="Review">
        <fieldset aria-describedby={errors.verdict ? 'review-verdict-error' : undefined} className="verdict">
          <legend>Was it justified?</legend>
          {(['justified', 'not_justified'] as const).map((v, i) => (
            <div className="check" key={v}>
              <input
                type="radio"
                name="review-verdict"
                id={`review-verdict-${v}`}
                data-autofocus={i === 0 ? true : undefined}
                aria-invalid={errors.verdict ? true : undefined}
                checked={verdict === v}
                onChange={() => {
                  setVerdict(v);
                  setErrors((e) => ({ ...e, verdict: undefined }));
                }}
              />
              <label htmlFor={`review-verdict-${v}`}>{VERDICT_WORDS[v]}</label>
            </div>
          ))}
          {errors.verdict && (
            <p id="review-verdict-error" className="field-error">
              {errors.verdict}
            </p>
          )}
        </fieldset>
        <Field id="review-note" label="Note" hint="Kept sealed in the patient's record with the verdict." error={errors.note}>
          {(control) => <textarea {...control} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        <SubmitBlock row error={serverError} label="Record the review" busy={busy} busyLabel="Recording…">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
        </SubmitBlock>
      </form>
    </Dialog>
  );
}
