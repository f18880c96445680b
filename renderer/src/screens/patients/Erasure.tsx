// Erasure of a patient's record at the patient's request (docs/architecture.md#erasure): how an
// erased record shows, and the manager's "Erase this patient's record" with its confirmation
// dialog, the retention period and, when it blocks, the reason for overriding it.
import { useState } from 'react';
import { ErasureRequest } from '../../../../shared/api/index.js';
import { ERASURE_CHANNELS } from '../../../../shared/ledger/kinds/erasure.js';
import type { ErasureStatus, PatientSummary } from '../../../../shared/api/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Dialog } from '../../kit/Dialog.js';
import { Field } from '../../kit/Field.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useSession } from '../../kit/SessionContext.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { dateInputHint, dateOnly, dateProblem, formatDateInput, formatIsoDate, isoFromDateInput, parseDateInput } from '../../format.js';
import { mayCall } from '../../roles.js';
import { useCall } from '../../useCall.js';

/** How the request reached the clinic, in words. */
export const CHANNEL_WORDS: Record<(typeof ERASURE_CHANNELS)[number], string> = {
  in_person: 'in person',
  letter: 'by letter',
  email: 'by email',
  phone: 'by phone',
  other: 'another way',
};

/** "Erased on 23 Nov 2026": what identifies an erased record is its id; nothing of the patient is left. */
export const erasedLine = (erased: NonNullable<PatientSummary['erased']>) => `Erased on ${dateOnly.format(new Date(erased.at))}`;

/** The record page of an erased record: what is left to say, and (for managers) how the request was received. */
export function ErasedRecord({ summary }: { readonly summary: PatientSummary & { erased: NonNullable<PatientSummary['erased']> } }) {
  const { role } = useSession();
  return (
    <section className="panel" aria-labelledby="erased-title" data-testid="erased-record">
      <h2 id="erased-title">{erasedLine(summary.erased)}</h2>
      <p>
        This record was erased at the patient's request (received {formatIsoDate(summary.erased.requestedOn)}). Its keys were destroyed on every
        computer that follows Movelog's protocol, so nothing of the patient can be read or recorded here again. The signed history stays, sealed, so
        the clinic's record still verifies.
      </p>
      <p className="hint">Record id: {summary.patientId}</p>
      {mayCall(role, 'patient.erasureStatus') && <ErasureFacts patientId={summary.patientId} />}
    </section>
  );
}

function ErasureFacts({ patientId }: { readonly patientId: string }) {
  const { state } = useCall('patient.erasureStatus', { patientId });
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <FormError message={state.error.message} />;
  const erased = state.value.erased;
  if (!erased) return null;
  return (
    <dl className="facts" data-testid="erasure-facts">
      <dt>Request received</dt>
      <dd>
        {formatIsoDate(erased.requestedOn)}, {CHANNEL_WORDS[erased.receivedVia]}
      </dd>
      <dt>Erased by</dt>
      <dd>{erased.byName ?? 'a manager of the home clinic'}</dd>
      <dt>Retention period overridden</dt>
      <dd>{erased.override ?? 'No (it did not apply)'}</dd>
    </dl>
  );
}

/** The manager's erase action on a record that is not erased: the retention state, and the dialog. */
export function ErasePanel(props: { readonly summary: PatientSummary; readonly onErased: (message: string) => void }) {
  const { state, reload } = useCall('patient.erasureStatus', { patientId: props.summary.patientId });
  const [open, setOpen] = useState(false);
  return (
    <section className="panel" aria-labelledby="erase-title">
      <h2 id="erase-title">Erasure</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' &&
        (state.value.refusal ? (
          <p>{state.value.refusal}</p>
        ) : (
          <>
            <p data-testid="retention-state">{retentionInWords(state.value)}</p>
            <button type="button" className="danger" onClick={() => setOpen(true)}>
              Erase this patient's record
            </button>
            {open && (
              <Dialog label="Erase this patient's record" onClose={() => setOpen(false)}>
                <EraseForm
                  summary={props.summary}
                  status={state.value}
                  onCancel={() => setOpen(false)}
                  onDone={(message) => {
                    setOpen(false);
                    reload();
                    props.onErased(message);
                  }}
                />
              </Dialog>
            )}
          </>
        ))}
    </section>
  );
}

function retentionInWords(s: ErasureStatus): string {
  const period =
    s.retention.years === 0
      ? 'The clinic keeps no retention period.'
      : `The clinic keeps records for ${String(s.retention.years)} years after the last clinical entry${s.retention.isDefault ? ' (the default; the Clinic page sets it)' : ''}.`;
  if (s.blockedUntil !== null)
    return `${period} This record's last clinical entry is from ${dateOnly.format(new Date(s.newestClinicalAt ?? 0))}, so it is kept until ${dateOnly.format(new Date(s.blockedUntil))}: erasing it now needs a stated reason.`;
  if (s.retention.years > 0 && s.newestClinicalAt === null) return `${period} This record has no clinical entry, so the period does not hold it.`;
  return s.retention.years === 0 ? period : `${period} It has passed for this record.`;
}

type Problem = 'requestedOn' | 'receivedVia' | 'overrideReason' | 'confirm' | 'form';

function EraseForm(props: {
  readonly summary: PatientSummary;
  readonly status: ErasureStatus;
  readonly onCancel: () => void;
  readonly onDone: (message: string) => void;
}) {
  const bridge = useBridge();
  const { formRef, problems } = useInvalidSubmit();
  const [requestedOn, setRequestedOn] = useState(formatDateInput(new Date()));
  const [receivedVia, setReceivedVia] = useState('');
  const [reason, setReason] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Problem, string>>>({});
  const [busy, setBusy] = useState(false);
  const blocked = props.status.blockedUntil !== null;
  const confirmWith = props.summary.familyName ?? props.summary.patientId;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const next: Partial<Record<Problem, string>> = {};
    if (parseDateInput(requestedOn) === null) next.requestedOn = dateProblem('the day the request was received');
    if (blocked && reason.trim() === '') next.overrideReason = 'The retention period still holds this record: say why it does not apply.';
    if (confirm.trim() === '')
      next.confirm = props.summary.familyName ? "Type the patient's family name to confirm." : "Type the record's id to confirm.";
    const checked = ErasureRequest.safeParse({
      patientId: props.summary.patientId,
      requestedOn: isoFromDateInput(requestedOn),
      receivedVia,
      overrideReason: blocked ? reason : null,
      confirm,
    });
    if (!checked.success)
      for (const issue of checked.error.issues) {
        const field = issue.path[0];
        const key: Problem = field === 'requestedOn' || field === 'receivedVia' || field === 'overrideReason' || field === 'confirm' ? field : 'form';
        next[key] ??= issue.message;
      }
    if (Object.keys(next).length > 0 || !checked.success) {
      setErrors(next);
      problems(Object.keys(next).filter((k) => k !== 'form').length);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await bridge.invoke('patient.erase', checked.data);
      if (result.ok) props.onDone('The record was erased: its keys were destroyed and nothing of the patient is left on this computer.');
      else setErrors({ form: result.error.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} className="form-grid" aria-label="Erase this patient's record" noValidate onSubmit={(e) => void submit(e)}>
      <h2>Erase this patient's record</h2>
      <p>
        At the patient's request, the record is made unreadable for good: its keys are destroyed on this clinic's computers and on every clinic it was
        shared with. This cannot be undone, and cannot reach copies made outside Movelog (printouts, exports).
      </p>
      <Field id="erase-requested" label="Request received on" hint={dateInputHint()} error={errors.requestedOn}>
        {(control) => <input {...control} data-autofocus value={requestedOn} onChange={(e) => setRequestedOn(e.target.value)} />}
      </Field>
      <Field id="erase-channel" label="How it was received" error={errors.receivedVia}>
        {(control) => (
          <select {...control} value={receivedVia} onChange={(e) => setReceivedVia(e.target.value)}>
            <option value="">Choose…</option>
            {ERASURE_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_WORDS[c].replace(/^./, (s) => s.toUpperCase())}
              </option>
            ))}
          </select>
        )}
      </Field>
      {blocked && (
        <Field
          id="erase-reason"
          label="Why the retention period does not apply"
          hint="Kept in the erasure entry, readable by every clinic that held the record: no clinical details, no names."
          error={errors.overrideReason}
        >
          {(control) => <input {...control} maxLength={300} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      )}
      <Field
        id="erase-confirm"
        label={props.summary.familyName ? `Type the family name, ${confirmWith}, to confirm` : `Type the record's id, ${confirmWith}, to confirm`}
        error={errors.confirm}
      >
        {(control) => <input {...control} autoComplete="off" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
      </Field>
      <SubmitBlock row danger error={errors.form} label="Erase the record" busy={busy} busyLabel="Erasing…">
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </SubmitBlock>
    </form>
  );
}

/** The retention period on the Clinic page (managers): shown, and changed. */
export function RetentionSetting() {
  const bridge = useBridge();
  const { role } = useSession();
  const { state, reload } = useCall('clinic.retention', {});
  const [years, setYears] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!mayCall(role, 'clinic.retention')) return null;
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const n = Number(years);
    if (years === null || years.trim() === '' || !Number.isInteger(n)) {
      setError('Enter the retention period in whole years (0: none).');
      return;
    }
    setBusy(true);
    try {
      const result = await bridge.invoke('clinic.setRetention', { years: n });
      if (result.ok) {
        setError(null);
        setStatus(`Saved: ${String(result.value.years)} years.`);
        setYears(null);
        reload();
      } else setError(result.error.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="retention-title">
      <h2 id="retention-title">Retention of patients' records</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && (
        <form className="form-grid" aria-label="Retention period" noValidate onSubmit={(e) => void save(e)}>
          <p data-testid="retention-setting">
            {state.value.years === 0
              ? 'No retention period: '
              : `${String(state.value.years)} years after a patient's last clinical entry${state.value.isDefault ? ' (the default)' : ''}: `}
            {state.value.years === 0
              ? "a manager may erase a patient's record at the patient's request at any time."
              : "until then, erasing the record at the patient's request needs a manager's stated reason."}
          </p>
          <Field
            id="retention-years"
            label="Retention period (years)"
            hint="Legal minimums for health records differ by country (and for children); check yours. 0: none."
            error={error}
          >
            {(control) => (
              <input
                {...control}
                type="number"
                min={0}
                max={100}
                step={1}
                value={years ?? String(state.value.years)}
                onChange={(e) => setYears(e.target.value)}
              />
            )}
          </Field>
          <SubmitBlock status={status} label="Save retention period" busy={busy} busyLabel="Saving…" />
        </form>
      )}
    </section>
  );
}
