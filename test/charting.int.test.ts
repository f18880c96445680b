// A whole episode of care charted into a real data folder (docs/architecture.md#episodes-of-care):
// evaluation, daily notes with measures and billing, an assistant's note co-signed and amended, a
// progress note and a discharge summary. After closing and reopening the folder, the views equal
// a rebuild of its entries from scratch, and the views of an older schema are rebuilt on opening.
import { afterEach, describe, expect, it } from 'vitest';
import type { Chart, Episode, Note } from '../shared/api/index.js';
import { openMovelog } from '../main/core.js';
import type { Movelog } from '../main/core.js';
import { rebuildViews, viewDigest } from '../main/ledger/rebuild.js';
import { registerTestPatient } from '../main/testing/patients.js';
import { tempDataDir } from './support/host.js';

const quiet = { warn: () => undefined, error: () => undefined };
const clock = Date.UTC(2026, 10, 2, 8);
const DAY = 86_400_000;
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});
const open = (dir: string) => {
  const m = openMovelog(dir, () => clock, quiet);
  opened.push(m);
  return m;
};
type Result<T> = { ok: true; value: T } | { ok: false; error: { message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};

function freshDigest(source: Movelog): string {
  const fresh = openMovelog(tempDataDir('movelog-charting-fresh-'), () => clock, quiet);
  try {
    rebuildViews(source.db, source.keystore, fresh.db);
    return viewDigest(fresh.db);
  } finally {
    fresh.close();
  }
}

describe('charting an episode into a real data folder', () => {
  it('reopens with views equal to a rebuild from the entries, and rebuilds views of an older schema', async () => {
    const dir = tempDataDir('movelog-charting-');
    const m = open(dir);
    await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' });
    const add = async (connection: string, name: string, role: string) => {
      const id = value<{ id: string }>(
        await m.invoke('mgr', 'ws', 'staff.add', { name, role, licence: role === 'therapist' ? 'PT-1' : null, passphrase: `${name} passphrase` }),
      ).id;
      value(await m.invoke(connection, 'ws', 'session.signIn', { staffId: id, passphrase: `${name} passphrase` }));
      return id;
    };
    const priya = await add('pt', 'Priya', 'therapist');
    const alex = await add('pta', 'Alex', 'assistant');
    await add('desk', 'Fran', 'front_desk');
    const ana = await registerTestPatient(m, 'desk', 'Ana');
    const type = value<{ typeId: string }>(
      await m.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Visit', minutes: 45, category: 'follow_up', active: true }),
    ).typeId;
    const visits: string[] = [];
    for (let i = 0; i < 5; i++)
      visits.push(
        value<{ appointmentId: string }[]>(
          await m.invoke('desk', 'ws', 'schedule.book', {
            patientId: ana,
            therapistId: i === 2 ? alex : priya,
            roomId: null,
            typeId: type,
            start: clock + (i * 3 + 1) * DAY,
            weeks: 1,
            allowConflict: true,
          }),
        )[0]!.appointmentId,
      );
    const episode = value<Episode>(
      await m.invoke('pt', 'ws', 'episodes.save', {
        patientId: ana,
        episode: {
          referral: { provider: 'Dr. Ines Vogel', date: '2026-10-28' },
          diagnoses: [{ code: 'M17.11', text: 'Unilateral primary osteoarthritis, right knee' }],
          bodyRegion: 'knee',
          start: '2026-11-03',
          end: null,
          plan: { visitsPerWeek: 2, weeks: 6, certFrom: '2026-11-03', certTo: '2026-12-15' },
          payer: { name: 'Medicare', rule: 'cms8' },
          goals: [{ term: 'long', text: 'Climb stairs without a rail', target: 'LEFS 60 or more', targetDate: '2026-12-15' }],
        },
      }),
    ).episode!;
    const sign = async (connection: string, visit: number, note: Record<string, unknown>) => {
      return value<Note>(
        await m.invoke(connection, 'ws', 'notes.sign', {
          patientId: ana,
          note: { appointmentId: visits[visit], episodeId: episode.episode, ...note },
        }),
      );
    };
    await sign('pt', 0, {
      type: 'evaluation',
      sections: { history: 'Knee pain for a year.', assessment: 'Knee OA.', plan: 'Twice a week for six weeks.' },
      measures: [
        { kind: 'pain', side: 'right', value: 6 },
        { kind: 'rom', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: 95 },
        { kind: 'outcome', instrument: 'lefs', items: Array.from({ length: 20 }, () => 2) },
      ],
      interventions: [{ code: '97162', minutes: 45 }],
    });
    await sign('pt', 1, {
      type: 'daily',
      sections: { subjective: 'Stairs easier.' },
      measures: [{ kind: 'pain', side: 'right', value: 4 }],
      interventions: [
        { code: '97110', minutes: 23 },
        { code: '97140', minutes: 15 },
      ],
    });
    const byAssistant = await sign('pta', 2, {
      type: 'daily',
      sections: { objective: 'Step-ups 3 × 10.' },
      interventions: [{ code: '97110', minutes: 30 }],
    });
    value(await m.invoke('pt', 'ws', 'notes.cosign', { patientId: ana, note: byAssistant.hash }));
    value(await m.invoke('pt', 'ws', 'notes.addendum', { patientId: ana, note: byAssistant.hash, text: 'Measured on the left too.' }));
    await sign('pt', 3, { type: 'progress', sections: { assessment: 'On track.' }, goals: [{ goal: episode.goals[0]!.id, status: 'progressing' }] });
    await sign('pt', 4, {
      type: 'discharge',
      sections: { outcomes: 'Stairs without a rail.' },
      goals: [{ goal: episode.goals[0]!.id, status: 'met' }],
    });
    const chart = value<Chart>(await m.invoke('pt', 'ws', 'chart.get', { patientId: ana }));
    expect(chart.notes.map((n) => n.body?.type)).toEqual(['discharge', 'progress', 'daily', 'daily', 'evaluation']);
    expect(chart.episodes[0]?.episode).toMatchObject({ end: chart.notes[0]!.body!.date, goals: [{ status: 'met' }] });
    expect(chart.notes.find((n) => n.hash === byAssistant.hash)).toMatchObject({
      cosignedBy: 'Priya',
      addenda: [{ text: 'Measured on the left too.' }],
    });
    const digest = viewDigest(m.db);
    expect(digest).toBe(freshDigest(m));
    m.close();
    opened.splice(0);

    // Reopened: the same views. Then as a folder whose views an older schema built: rebuilt on opening, the same.
    const again = open(dir);
    expect(viewDigest(again.db)).toBe(digest);
    again.db.prepare("UPDATE derived_schema SET version = version - 1 WHERE part = 'views'").run();
    again.db.exec('DROP TABLE view_episodes');
    again.close();
    opened.splice(0);
    const rebuilt = open(dir);
    expect(viewDigest(rebuilt.db)).toBe(digest);
    expect(rebuilt.db.prepare('SELECT count(*) AS n FROM view_episodes').get()).toEqual({ n: 1 });
    expect(rebuilt.db.prepare('SELECT count(*) AS n FROM view_notes WHERE billing IS NOT NULL').get()).toEqual({ n: 3 });
  });
});
