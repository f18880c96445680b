import { useState } from 'react';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { Outcome } from '../../kit/Notice.js';
import type { OutcomeMessage } from '../../kit/Notice.js';

/** Managers: rooms and tables, and appointment types with their default lengths. */
export function ScheduleSetup({ onChanged }: { readonly onChanged: () => void }) {
  const bridge = useBridge();
  const [room, setRoom] = useState('');
  const [typeName, setTypeName] = useState('');
  const [minutes, setMinutes] = useState('45');
  const [category, setCategory] = useState<'evaluation' | 'follow_up' | 're_evaluation' | 'other'>('follow_up');
  const [message, setMessage] = useState<OutcomeMessage>(null);

  const addRoom = async (e: React.FormEvent) => {
    e.preventDefault();
    const result = await bridge.invoke('schedule.defineRoom', { roomId: null, name: room, active: true });
    setMessage(result.ok ? { error: false, text: `Added ${result.value.name}.` } : { error: true, text: result.error.message });
    if (result.ok) {
      setRoom('');
      onChanged();
    }
  };
  const addType = async (e: React.FormEvent) => {
    e.preventDefault();
    const result = await bridge.invoke('schedule.defineType', { typeId: null, name: typeName, minutes: Number(minutes), category, active: true });
    setMessage(result.ok ? { error: false, text: `Added ${result.value.name}.` } : { error: true, text: result.error.message });
    if (result.ok) {
      setTypeName('');
      onChanged();
    }
  };

  return (
    <section className="panel" aria-labelledby="setup-title">
      <h2 id="setup-title">Rooms and appointment types</h2>
      <Outcome message={message} />
      <form className="row wrap" onSubmit={(e) => void addRoom(e)}>
        <Field id="room-name" label="Room or table">
          {(control) => <input {...control} value={room} onChange={(e) => setRoom(e.target.value)} />}
        </Field>
        <button type="submit">Add room</button>
      </form>
      <form className="row wrap" onSubmit={(e) => void addType(e)}>
        <Field id="type-name" label="Appointment type">
          {(control) => <input {...control} value={typeName} onChange={(e) => setTypeName(e.target.value)} />}
        </Field>
        <Field id="type-minutes" label="Minutes">
          {(control) => <input {...control} type="number" min={5} max={480} value={minutes} onChange={(e) => setMinutes(e.target.value)} />}
        </Field>
        <Field id="type-category" label="Kind">
          {(control) => (
            <select {...control} value={category} onChange={(e) => setCategory(e.target.value as typeof category)}>
              <option value="evaluation">Evaluation</option>
              <option value="follow_up">Follow-up</option>
              <option value="re_evaluation">Re-evaluation</option>
              <option value="other">Other</option>
            </select>
          )}
        </Field>
        <button type="submit">Add type</button>
      </form>
    </section>
  );
}
