import { once } from 'node:events';
import { expect, it } from 'vitest';
import type { Draft, NoteDraft } from '../../shared/api/index.js';
import { openMovelog } from '../../main/core.js';
import type { Movelog } from '../../main/core.js';
import { registerTestPatient } from '../../main/testing/patients.js';
import { connectApi, startHostProcess, tempDataDir } from '../support/host.js';
import { opensAndVerifies } from './support.js';

/**
 * A draft of a note is kept as the therapist types (docs/architecture.md#drafts): each
 * `drafts.save` is one transaction, committed before the reply goes back
 * (docs/architecture.md#killed-processes). So a host process killed (SIGKILL) right after a save
 * returned keeps that save: the reopened folder resumes exactly the content last acknowledged.
 */

const quiet = { warn: () => undefined, error: () => undefined };
type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};

const content = (subjective: string, appointmentId: string): NoteDraft => ({
  type: 'daily',
  appointmentId,
  episodeId: null,
  date: null,
  sections: { subjective },
  measures: [],
  goals: [],
  interventions: [],
});

/** Opens the folder in this process with the therapist signed in on connection `pt`, runs `check`, and closes it. */
async function withFolder(data: string, priya: string, check: (m: Movelog) => Promise<void>): Promise<void> {
  const m = openMovelog(data, Date.now, quiet);
  try {
    value(await m.invoke('pt', 'ws', 'session.signIn', { staffId: priya, passphrase: 'Priya passphrase' }));
    await check(m);
  } finally {
    m.close();
  }
}

it('a host process killed right after drafts.save returned keeps the draft it acknowledged, every time', async () => {
  const data = tempDataDir('movelog-fault-draft-');
  // The clinic, a therapist and a patient with a visit tomorrow (in her care), set up in this process.
  const setup = openMovelog(data, Date.now, quiet);
  let priya = '';
  let patientId = '';
  let visit = '';
  try {
    value(
      await setup.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' }),
    );
    priya = value<{ id: string }>(
      await setup.invoke('mgr', 'ws', 'staff.add', { name: 'Priya', role: 'therapist', licence: 'PT-1', passphrase: 'Priya passphrase' }),
    ).id;
    patientId = await registerTestPatient(setup, 'mgr', 'Ana');
    const typeId = value<{ typeId: string }>(
      await setup.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
    ).typeId;
    const tomorrow = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 24 * 3_600_000;
    visit = value<{ appointmentId: string }[]>(
      await setup.invoke('mgr', 'ws', 'schedule.book', {
        patientId,
        therapistId: priya,
        roomId: null,
        typeId,
        start: tomorrow,
        weeks: 1,
        allowConflict: true,
      }),
    )[0]!.appointmentId;
  } finally {
    setup.close();
  }

  let draftId: string | null = null;
  for (let round = 0; round < 3; round++) {
    const host = await startHostProcess(data);
    const api = await connectApi(host);
    expect((await api.call('session.signIn', { staffId: priya, passphrase: 'Priya passphrase' })).ok).toBe(true);
    const saves = 1 + Math.floor(Math.random() * 8);
    let last = '';
    for (let i = 0; i < saves; i++) {
      last = `Round ${String(round)}, keystroke ${String(i)}: knee aches on the stairs`;
      const saved = await api.call('drafts.save', { patientId, ...(draftId ? { draftId } : {}), content: content(last, visit) });
      expect(saved.ok, JSON.stringify(saved)).toBe(true);
      draftId = (saved.value as { draftId: string }).draftId;
    }
    // Killed the moment the last reply arrived: nothing after it could have finished the save.
    const exited = once(host.child, 'exit');
    host.child.kill('SIGKILL');
    await exited;
    expect(host.child.signalCode).toBe('SIGKILL');

    await withFolder(data, priya, async (m) => {
      const draft = value<Draft | null>(await m.invoke('pt', 'ws', 'drafts.get', { patientId, appointmentId: visit }));
      expect(draft).toMatchObject({ draftId, content: content(last, visit) });
    });
  }
  // Drafts are outside the ledger: the folder verifies as before.
  await opensAndVerifies(data);
});
