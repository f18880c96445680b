import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Passphrase, StaffAddInput } from '../../../../shared/api/index.js';
import type { Session, StaffRow } from '../../../../shared/api/index.js';
import { ROLE_NAMES } from '../../roles.js';
import type { Bridge } from '../../bridge.js';
import { useCall } from '../../useCall.js';
import { TimeZoneSelect } from '../TimeZoneSelect.js';
import { RefusalsPanel } from './RefusalsPanel.js';

type AddFields = z.input<typeof StaffAddInput>;
type AddValues = z.output<typeof StaffAddInput>;

/** Managers: who works here, their roles, who may sign in, and the auto-lock time. */
export function StaffScreen({ bridge, session }: { readonly bridge: Bridge; readonly session: Session }) {
  const { state, reload } = useCall(bridge, 'staff.list', {});
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
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Licence</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {staff?.map((row) => (
            <tr key={row.id} className={row.active ? '' : 'inactive'}>
              <td>{row.name}</td>
              <td>{ROLE_NAMES[row.role]}</td>
              <td>{row.licence ?? '—'}</td>
              <td>{row.active ? 'Active' : 'Deactivated'}</td>
              <td className="actions">
                <button type="button" className="secondary" onClick={() => setPassphraseFor(row)}>
                  Set passphrase
                </button>
                {row.id !== session.staffId && (
                  <button type="button" className="secondary" onClick={() => void toggle(row)}>
                    {row.active ? 'Deactivate' : 'Reactivate'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {passphraseFor && <SetPassphrase bridge={bridge} staff={passphraseFor} onDone={() => setPassphraseFor(null)} />}
      <AddStaff bridge={bridge} onAdded={reload} />
      <Settings bridge={bridge} />
      <RefusalsPanel bridge={bridge} />
    </section>
  );
}

function AddStaff({ bridge, onAdded }: { readonly bridge: Bridge; readonly onAdded: () => void }) {
  const [serverError, setServerError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const { register, handleSubmit, reset, formState } = useForm<AddFields, unknown, AddValues>({
    resolver: zodResolver(StaffAddInput),
    defaultValues: { name: '', role: 'therapist', licence: '', passphrase: '' },
  });
  const { errors, isSubmitting } = formState;
  const submit = handleSubmit(async (fields) => {
    setServerError(null);
    const result = await bridge.invoke('staff.add', fields);
    if (!result.ok) {
      setServerError(result.error.message);
      return;
    }
    setAdded(`${result.value.name} can now sign in.`);
    reset();
    onAdded();
  });
  return (
    <form className="panel form-grid" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-staff-title">
      <h2 id="add-staff-title">Add a staff member</h2>
      <label htmlFor="staff-name">Name</label>
      <input id="staff-name" aria-invalid={!!errors.name} {...register('name')} />
      {errors.name && <p className="field-error">{errors.name.message}</p>}
      <label htmlFor="staff-role">Role</label>
      <select id="staff-role" {...register('role')}>
        {Object.entries(ROLE_NAMES).map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
      <label htmlFor="staff-licence">Licence number (therapists and assistants)</label>
      <input id="staff-licence" {...register('licence')} />
      <label htmlFor="staff-passphrase">First passphrase</label>
      <input id="staff-passphrase" type="password" autoComplete="new-password" aria-invalid={!!errors.passphrase} {...register('passphrase')} />
      {errors.passphrase && <p className="field-error">{errors.passphrase.message}</p>}
      {serverError && (
        <p className="form-error" role="alert">
          {serverError}
        </p>
      )}
      {added && <p role="status">{added}</p>}
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? 'Adding…' : 'Add staff member'}
      </button>
    </form>
  );
}

function SetPassphrase({ bridge, staff, onDone }: { readonly bridge: Bridge; readonly staff: StaffRow; readonly onDone: () => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const checked = Passphrase.safeParse(value);
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? 'Passphrase is not valid.');
      return;
    }
    const result = await bridge.invoke('staff.setPassphrase', { staffId: staff.id, passphrase: value });
    if (result.ok) onDone();
    else setError(result.error.message);
  };
  return (
    <form className="panel form-grid" onSubmit={(e) => void submit(e)} aria-label={`New passphrase for ${staff.name}`}>
      <h2>New passphrase for {staff.name}</h2>
      <label htmlFor="new-passphrase">Passphrase</label>
      <input id="new-passphrase" type="password" autoComplete="new-password" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit">Save passphrase</button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Settings({ bridge }: { readonly bridge: Bridge }) {
  const { state } = useCall(bridge, 'settings.get', {});
  const [edited, setEdited] = useState<{ minutes?: string; timeZone?: string }>({});
  const minutes = edited.minutes ?? (state.status === 'ok' ? String(state.value.autoLockMinutes) : '');
  const timeZone = edited.timeZone ?? (state.status === 'ok' ? state.value.timeZone : '');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const result = await bridge.invoke('settings.update', { autoLockMinutes: Number(minutes), timeZone });
    setMessage(
      result.ok
        ? {
            error: false,
            text: `Saved. Screens lock after ${String(result.value.autoLockMinutes)} minutes without activity (from the next sign-in); the clinic's time zone is ${result.value.timeZone}.`,
          }
        : { error: true, text: result.error.message },
    );
  };
  return (
    <form className="panel form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="settings-title">
      <h2 id="settings-title">Clinic settings</h2>
      <label htmlFor="auto-lock">Lock the screen after this many minutes without activity</label>
      <input id="auto-lock" type="number" min={1} max={240} value={minutes} onChange={(e) => setEdited({ ...edited, minutes: e.target.value })} />
      <label htmlFor="clinic-time-zone">Clinic time zone</label>
      <TimeZoneSelect
        id="clinic-time-zone"
        aria-describedby="clinic-time-zone-hint"
        value={timeZone}
        onChange={(e) => setEdited({ ...edited, timeZone: e.target.value })}
      />
      <p id="clinic-time-zone-hint" className="hint">
        Weekly hours and repeating visits follow this zone's clocks. Visits already booked keep their time.
      </p>
      {message && (
        <p className={message.error ? 'form-error' : ''} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <button type="submit">Save settings</button>
    </form>
  );
}
