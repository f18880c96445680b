import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { api, Passphrase, StaffAddInput } from '../../../../shared/api/index.js';
import { zoneName } from '../../../../shared/time.js';
import { minutes as formatMinutes, setClinicLocale, when } from '../../format.js';
import { useSettingsChanged } from '../../kit/SettingsContext.js';
import { LocaleSelect } from '../LocaleSelect.js';
import type { StaffRow } from '../../../../shared/api/index.js';
import { ROLE_NAMES } from '../../roles.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { DataTable } from '../../kit/DataTable.js';
import { Field } from '../../kit/Field.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { FormError } from '../../kit/FormError.js';
import { Outcome } from '../../kit/Notice.js';
import type { OutcomeMessage } from '../../kit/Notice.js';
import { useSession } from '../../kit/SessionContext.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useCall } from '../../useCall.js';
import { TimeZoneSelect } from '../TimeZoneSelect.js';
import { RefusalsPanel } from './RefusalsPanel.js';

type AddFields = z.input<typeof StaffAddInput>;
type AddValues = z.output<typeof StaffAddInput>;

/** Managers: who works here, their roles, who may sign in, and the auto-lock time. */
export function StaffScreen() {
  const bridge = useBridge();
  const session = useSession();
  const { state, reload } = useCall('staff.list', {});
  const staff = state.status === 'ok' ? state.value : null;
  const [actionError, setActionError] = useState<string | null>(null);
  const error = actionError ?? (state.status === 'error' ? state.error.message : null);
  const [passphraseFor, setPassphraseFor] = useState<StaffRow | null>(null);

  const toggle = async (row: StaffRow) => {
    setActionError(null);
    const result = await bridge.invoke(row.active ? 'staff.deactivate' : 'staff.reactivate', { staffId: row.id });
    if (!result.ok) setActionError(result.error.message);
    reload();
  };

  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">Staff</h1>
      <FormError message={error} />
      <DataTable
        rows={staff ?? []}
        rowKey={(row) => row.id}
        rowClassName={(row) => (row.active ? '' : 'inactive')}
        columns={[
          { header: 'Name', cell: (row) => row.name },
          { header: 'Role', cell: (row) => ROLE_NAMES[row.role] },
          { header: 'Licence', cell: (row) => row.licence ?? '—' },
          { header: 'Status', cell: (row) => (row.active ? 'Active' : 'Deactivated') },
          {
            header: 'Actions',
            hideHeader: true,
            className: 'actions',
            cell: (row) => (
              <>
                <button type="button" className="secondary" onClick={() => setPassphraseFor(row)}>
                  Set passphrase
                </button>
                {row.id !== session.staffId && (
                  <button type="button" className="secondary" onClick={() => void toggle(row)}>
                    {row.active ? 'Deactivate' : 'Reactivate'}
                  </button>
                )}
              </>
            ),
          },
        ]}
      />
      {passphraseFor && <SetPassphrase staff={passphraseFor} onDone={() => setPassphraseFor(null)} />}
      <AddStaff onAdded={reload} />
      <Settings />
      <RefusalsPanel />
    </section>
  );
}

function AddStaff({ onAdded }: { readonly onAdded: () => void }) {
  const bridge = useBridge();
  const [serverError, setServerError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const { formRef, problems } = useInvalidSubmit();
  const { register, handleSubmit, reset, formState } = useForm<AddFields, unknown, AddValues>({
    resolver: zodResolver(StaffAddInput),
    defaultValues: { name: '', role: 'therapist', licence: '', passphrase: '' },
  });
  const { errors, isSubmitting } = formState;
  const submit = handleSubmit(
    async (fields) => {
      setServerError(null);
      const result = await bridge.invoke('staff.add', fields);
      if (!result.ok) {
        setServerError(result.error.message);
        return;
      }
      setAdded(`${result.value.name} can now sign in.`);
      reset();
      onAdded();
    },
    (errors) => problems(Object.keys(errors).length),
  );
  return (
    <form ref={formRef} className="panel form-grid" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-staff-title">
      <h2 id="add-staff-title">Add a staff member</h2>
      <Field id="staff-name" label="Name" error={errors.name?.message}>
        {(control) => <input {...control} {...register('name')} />}
      </Field>
      <Field id="staff-role" label="Role">
        {(control) => (
          <select {...control} {...register('role')}>
            {Object.entries(ROLE_NAMES).map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="staff-licence" label="Licence number (therapists and assistants)">
        {(control) => <input {...control} {...register('licence')} />}
      </Field>
      <Field id="staff-passphrase" label="First passphrase" error={errors.passphrase?.message}>
        {(control) => <input {...control} type="password" autoComplete="new-password" {...register('passphrase')} />}
      </Field>
      <SubmitBlock error={serverError} status={added} label="Add staff member" busy={isSubmitting} busyLabel="Adding…" />
    </form>
  );
}

function SetPassphrase({ staff, onDone }: { readonly staff: StaffRow; readonly onDone: () => void }) {
  const bridge = useBridge();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  // What the schema says of the passphrase itself, on its field (WCAG 2.2 SC 3.3.1).
  const [invalid, setInvalid] = useState<string | null>(null);
  const { formRef, problems } = useInvalidSubmit();
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const checked = Passphrase.safeParse(value);
    if (!checked.success) {
      setInvalid(checked.error.issues[0]?.message ?? 'Passphrase is not valid.');
      problems(1);
      return;
    }
    setInvalid(null);
    const result = await bridge.invoke('staff.setPassphrase', { staffId: staff.id, passphrase: value });
    if (result.ok) onDone();
    else setError(result.error.message);
  };
  return (
    <form ref={formRef} className="panel form-grid" onSubmit={(e) => void submit(e)} aria-label={`New passphrase for ${staff.name}`}>
      <h2>New passphrase for {staff.name}</h2>
      <Field id="new-passphrase" label="Passphrase" error={invalid}>
        {(control) => (
          <input {...control} type="password" autoComplete="new-password" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
        )}
      </Field>
      <SubmitBlock row error={error} label="Save passphrase">
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </SubmitBlock>
    </form>
  );
}

type SettingsField = 'autoLockMinutes' | 'timeZone' | 'locale';

/**
 * The clinic settings. Checked with the contract's own schema before sending (the same messages
 * main gives, shown with the field: no browser-only validation), and again in main.
 */
function Settings() {
  const bridge = useBridge();
  const applySettings = useSettingsChanged();
  const { state } = useCall('settings.get', {});
  const [edited, setEdited] = useState<{ minutes?: string; timeZone?: string; locale?: string; names?: boolean }>({});
  const minutesValue = edited.minutes ?? (state.status === 'ok' ? String(state.value.autoLockMinutes) : '');
  const timeZone = edited.timeZone ?? (state.status === 'ok' ? state.value.timeZone : '');
  const locale = edited.locale ?? (state.status === 'ok' ? state.value.locale : '');
  const namesAtSignIn = edited.names ?? (state.status === 'ok' ? state.value.namesAtSignIn : true);
  const [message, setMessage] = useState<OutcomeMessage>(null);
  const [errors, setErrors] = useState<Partial<Record<SettingsField, string>>>({});
  const { formRef, problems } = useInvalidSubmit();
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const typed = minutesValue.trim();
    const input = { autoLockMinutes: typed === '' ? Number.NaN : Number(typed), timeZone, locale, namesAtSignIn };
    const checked = api['settings.update'].input.safeParse(input);
    if (!checked.success) {
      const found: Partial<Record<SettingsField, string>> = {};
      for (const issue of checked.error.issues) {
        const field = issue.path[0];
        if ((field === 'autoLockMinutes' || field === 'timeZone' || field === 'locale') && found[field] === undefined) found[field] = issue.message;
      }
      setErrors(found);
      problems(Object.keys(found).length);
      return;
    }
    setErrors({});
    const result = await bridge.invoke('settings.update', input);
    if (!result.ok) {
      setMessage({ error: true, text: result.error.message });
      return;
    }
    // The shell applies the new format to every screen; this message is written in it already.
    setClinicLocale(result.value.locale);
    applySettings(result.value);
    setEdited({});
    setMessage({
      error: false,
      text: `Saved. Screens lock after ${formatMinutes(result.value.autoLockMinutes)} without activity (from the next sign-in); the clinic's time zone is ${zoneName(result.value.timeZone)}; dates and times are written as in ${when.format(EXAMPLE_MOMENT)}.`,
    });
  };
  return (
    <form ref={formRef} className="panel form-grid" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="settings-title">
      <h2 id="settings-title">Clinic settings</h2>
      <Field
        id="auto-lock"
        label="Lock the screen after this many minutes without activity"
        hint="From 1 to 240 minutes."
        error={errors.autoLockMinutes}
      >
        {(control) => (
          <input
            {...control}
            type="number"
            inputMode="numeric"
            value={minutesValue}
            onChange={(e) => setEdited({ ...edited, minutes: e.target.value })}
          />
        )}
      </Field>
      <Field
        id="clinic-time-zone"
        label="Clinic time zone"
        hint="Weekly hours and repeating visits follow this zone's clocks. Visits already booked keep their time."
        error={errors.timeZone}
      >
        {(control) => <TimeZoneSelect {...control} value={timeZone} onChange={(e) => setEdited({ ...edited, timeZone: e.target.value })} />}
      </Field>
      <Field
        id="clinic-locale"
        label="Date and time format"
        hint="Every screen of every computer of the clinic writes dates and times this way, and dates are typed in this order."
        error={errors.locale}
      >
        {(control) => (
          <LocaleSelect {...control} include={locale} value={locale} onChange={(e) => setEdited({ ...edited, locale: e.target.value })} />
        )}
      </Field>
      <div className="field">
        <label className="check">
          <input
            id="names-at-signin"
            type="checkbox"
            checked={namesAtSignIn}
            aria-describedby="names-at-signin-hint"
            onChange={(e) => setEdited({ ...edited, names: e.target.checked })}
          />{' '}
          List staff names on the sign-in screen
        </label>
        <p id="names-at-signin-hint" className="hint">
          When off, anyone at the computer cannot see who works here: each person types their name to sign in.
        </p>
      </div>
      <Outcome message={message} />
      <button type="submit">Save settings</button>
    </form>
  );
}

const EXAMPLE_MOMENT = new Date(2026, 10, 30, 14, 2);
