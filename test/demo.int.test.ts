import { expect, it } from 'vitest';
import { movelogCli } from './support/cli.js';
import { connectApi, startHostProcess, tempDataDir } from './support/host.js';

it('movelog demo seeds a living clinic that verifies and that the front desk can search', async () => {
  const data = tempDataDir();
  const demo = await movelogCli(['demo', '--data', data]);
  expect(demo.stdout).toMatch(/Demo clinic created in .*: 7 staff, 200 patients, \d{3,} appointments, \d{2,} signed clinical notes\./);
  expect(demo.code).toBe(0);
  expect((await movelogCli(['verify', '--data', data])).code).toBe(0);
  expect((await movelogCli(['demo', '--data', data])).code).toBe(2); // never over existing data

  const host = await startHostProcess(data);
  try {
    const api = await connectApi(host);
    const choices = (await api.call('session.choices')).value as { id: string; name: string; role: string }[];
    expect(choices.map((c) => c.role).sort()).toEqual(['assistant', 'front_desk', 'front_desk', 'manager', 'therapist', 'therapist', 'therapist']);
    const fran = choices.find((c) => c.name === 'Fran Ortiz')!;
    expect((await api.call('session.signIn', { staffId: fran.id, passphrase: 'movelog demo passphrase' })).ok).toBe(true);
    const all = (await api.call('patient.search', { query: '', limit: 200 })).value as unknown[];
    expect(all).toHaveLength(200);
    const found = (await api.call('patient.search', { query: 'nunez' })).value as { familyName: string }[];
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.familyName === 'Núñez-López')).toBe(true);
    const week = (await api.call('schedule.range', { from: Date.now() - 7 * 86_400_000, to: Date.now() + 7 * 86_400_000 })).value as {
      status: string;
      therapistId: string;
    }[];
    expect(week.length).toBeGreaterThan(50);
    expect(new Set(week.map((a) => a.status)).has('completed')).toBe(true);
    expect((await api.call('schedule.conflicts', { from: 0 })).value).toEqual([]);
    // The demo clinic has opening hours, so a Sunday evening asks for a confirmation.
    const settings = (await api.call('settings.get')).value as { openingHours: { weekday: number; start: string; end: string }[] | null };
    expect(settings.openingHours).toContainEqual({ weekday: 1, start: '08:00', end: '18:00' });
    expect(settings.openingHours?.some((h) => h.weekday === 7)).toBe(false);
    // A completed visit has its therapist's signed note; the front desk cannot read it, a therapist can.
    const priya = choices.find((c) => c.name === 'Priya Raman')!;
    // One of Priya's: a therapist reads the notes of the patients in her care (docs/architecture.md#break-the-glass).
    const seen = week.find((a) => a.status === 'completed' && a.therapistId === priya.id) as unknown as {
      patientId: string;
      appointmentId: string;
    };
    expect((await api.call('notes.list', { patientId: seen.patientId })).error?.code).toBe('forbidden');
    expect((await api.call('session.signIn', { staffId: priya.id, passphrase: 'movelog demo passphrase' })).ok).toBe(true);
    const notes = (await api.call('notes.list', { patientId: seen.patientId })).value as { body: { appointmentId: string } | null }[];
    expect(notes.map((n) => n.body?.appointmentId)).toContain(seen.appointmentId);
    await api.close();
  } finally {
    await host.stop();
  }
});
