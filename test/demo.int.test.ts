import { expect, it } from 'vitest';
import { movelogCli } from './support/cli.js';
import { connectApi, startHostProcess, tempDataDir } from './support/host.js';

it('movelog demo seeds a living clinic that verifies and that the front desk can search', async () => {
  const data = tempDataDir();
  const demo = await movelogCli(['demo', '--data', data]);
  expect(demo.stdout).toMatch(/Demo clinic created in .*: 7 staff, 200 patients, \d{3,} appointments\./);
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
    const week = (await api.call('schedule.range', { from: Date.now() - 7 * 86_400_000, to: Date.now() + 7 * 86_400_000 })).value as { status: string }[];
    expect(week.length).toBeGreaterThan(50);
    expect(new Set(week.map((a) => a.status)).has('completed')).toBe(true);
    expect((await api.call('schedule.conflicts', { from: 0 })).value).toEqual([]);
    await api.close();
  } finally {
    await host.stop();
  }
});
