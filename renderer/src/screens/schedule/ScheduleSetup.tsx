import { useState } from 'react';
import type { Bridge } from '../../bridge.js';

/** Managers: rooms and tables, and appointment types with their default lengths. */
export function ScheduleSetup({ bridge, onChanged }: { readonly bridge: Bridge; readonly onChanged: () => void }) {
  const [room, setRoom] = useState('');
  const [typeName, setTypeName] = useState('');
  const [minutes, setMinutes] = useState('45');
  const [category, setCategory] = useState<'evaluation' | 'follow_up' | 're_evaluation' | 'other'>('follow_up');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

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
      {message && (
        <p className={message.error ? 'form-error' : ''} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <form className="row wrap" onSubmit={(e) => void addRoom(e)}>
        <label htmlFor="room-name">Room or table</label>
        <input id="room-name" value={room} onChange={(e) => setRoom(e.target.value)} />
        <button type="submit">Add room</button>
      </form>
      <form className="row wrap" onSubmit={(e) => void addType(e)}>
        <label htmlFor="type-name">Appointment type</label>
        <input id="type-name" value={typeName} onChange={(e) => setTypeName(e.target.value)} />
        <label htmlFor="type-minutes">Minutes</label>
        <input id="type-minutes" type="number" min={5} max={480} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        <label htmlFor="type-category">Kind</label>
        <select id="type-category" value={category} onChange={(e) => setCategory(e.target.value as typeof category)}>
          <option value="evaluation">Evaluation</option>
          <option value="follow_up">Follow-up</option>
          <option value="re_evaluation">Re-evaluation</option>
          <option value="other">Other</option>
        </select>
        <button type="submit">Add type</button>
      </form>
    </section>
  );
}
