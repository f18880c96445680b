import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { BillingRow, Chart, CosignItem, Episode, EpisodeInput, Note } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { generateDeviceKeyPair } from '../ledger/crypto/index.js';
import { Ledger } from '../ledger/ledger.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';
import { sealBody } from '../ledger/seal.js';
import { storedEntries } from '../ledger/testing/fixtures.js';
import { registerTestPatient } from '../testing/patients.js';
import { addAddendum, cosignNote, signNote } from './notes.js';
import { saveEpisode } from './charting.js';

const quiet = { warn: () => undefined, error: () => undefined };
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
  now = clock;
});

/** Monday 23 November 2026, 08:00 UTC: 09:00 in Berlin. */
const clock = Date.UTC(2026, 10, 23, 8);
/** The services' clock: the tests move it on where the order in time matters. */
let now = clock;
type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};
const count = (m: Movelog, sql: string, ...args: unknown[]) => (m.db.prepare(sql).get(...args) as { n: number }).n;

/** A clinic (in Berlin's time zone) with a therapist (pt), a second therapist (pt2), an assistant (pta), the front desk (desk) and a manager (mgr) signed in. */
async function clinic() {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-charting-')), () => now, quiet);
  opened.push(m);
  await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' });
  value(await m.invoke('mgr', 'ws', 'settings.update', { timeZone: 'Europe/Berlin' }));
  const add = async (connection: string, name: string, role: string) => {
    const id = value<{ id: string }>(
      await m.invoke('mgr', 'ws', 'staff.add', { name, role, licence: role === 'therapist' ? 'PT-1' : null, passphrase: `${name} passphrase` }),
    ).id;
    value(await m.invoke(connection, 'ws', 'session.signIn', { staffId: id, passphrase: `${name} passphrase` }));
    return id;
  };
  const priya = await add('pt', 'Priya', 'therapist');
  const tomas = await add('pt2', 'Tomas', 'therapist');
  const alex = await add('pta', 'Alex', 'assistant');
  await add('desk', 'Fran', 'front_desk');
  const patient = (given: string) => registerTestPatient(m, 'desk', given);
  const type = value<{ typeId: string }>(
    await m.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
  ).typeId;
  const book = async (patientId: string, start: number, therapistId = priya) =>
    value<{ appointmentId: string }[]>(
      await m.invoke('desk', 'ws', 'schedule.book', { patientId, therapistId, roomId: null, typeId: type, start, weeks: 1, allowConflict: true }),
    )[0]!.appointmentId;
  const ana = await patient('Ana');
  // Ana is in Priya's care (docs/architecture.md#break-the-glass): a visit a week on, apart from the days the tests use.
  await book(ana, clock + 7 * 24 * 3_600_000);
  return { m, priya, tomas, alex, ana, ben: await patient('Ben'), book };
}

const knee: EpisodeInput = {
  referral: { provider: 'Dr. Ines Vogel', date: '2026-11-16' },
  diagnoses: [{ code: 'm25.561', text: 'Pain in right knee' }],
  bodyRegion: 'knee',
  start: '2026-11-20',
  end: null,
  plan: { visitsPerWeek: 2, weeks: 6, certFrom: '2026-11-20', certTo: '2026-12-31' },
  payer: { name: 'Medicare', rule: 'cms8' },
  goals: [
    { term: 'short', text: 'Climb one flight of stairs with a rail', target: 'Pain 3/10 or less on stairs', targetDate: '2026-12-04' },
    { term: 'long', text: 'Return to running', target: 'LEFS 70 or more', targetDate: '2026-12-31' },
  ],
};

async function openEpisode(c: Awaited<ReturnType<typeof clinic>>, patientId = c.ana, episode: EpisodeInput = knee): Promise<Episode> {
  return value<Episode>(await c.m.invoke('pt', 'ws', 'episodes.save', { patientId, episode }));
}

const sign = (c: Awaited<ReturnType<typeof clinic>>, connection: string, note: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  c.m.invoke(connection, 'ws', 'notes.sign', {
    patientId: c.ana,
    note: { type: 'daily', appointmentId: null, sections: { subjective: 'Stairs easier.' }, ...note },
    ...extra,
  }) as Promise<Result<Note>>;

describe('episodes of care', () => {
  it('a therapist opens an episode with new ids for it and its goals, and saves it changed: the latest save is the episode', async () => {
    const c = await clinic();
    const opened = await openEpisode(c);
    expect(opened).toMatchObject({ readable: true, savedByName: 'Priya', episode: { diagnoses: [{ code: 'M25.561' }], end: null } });
    const episode = opened.episode!;
    expect(episode.episode).toMatch(/^[0-9a-f]{32}$/);
    expect(episode.goals.map((g) => g.status)).toEqual(['progressing', 'progressing']);
    expect(new Set(episode.goals.map((g) => g.id)).size).toBe(2);

    const [short, long] = episode.goals as [(typeof episode.goals)[number], (typeof episode.goals)[number]];
    // Tomas treats Ana too (changing her plan of care needs her in his care).
    await c.book(c.ana, clock + 8 * 24 * 3_600_000, c.tomas);
    const changed = value<Episode>(
      await c.m.invoke('pt2', 'ws', 'episodes.save', {
        patientId: c.ana,
        episode: {
          ...knee,
          episode: episode.episode,
          plan: { ...knee.plan, visitsPerWeek: 3 },
          goals: [
            { ...knee.goals[0]!, id: short.id, status: 'met' },
            { ...knee.goals[1]!, id: long.id },
            { ...knee.goals[1]!, text: 'Jog 5 km' },
          ],
        },
      }),
    );
    expect(changed.episode).toMatchObject({ episode: episode.episode, plan: { visitsPerWeek: 3 } });
    expect(changed.episode!.goals.slice(0, 2)).toMatchObject([
      { id: short.id, status: 'met' },
      { id: long.id, status: 'progressing' },
    ]);
    expect(changed.savedByName).toBe('Tomas');
    // Only ciphertext in the ledger.
    const bytes = c.m.db.prepare("SELECT CAST(bytes AS TEXT) AS b FROM entries WHERE kind = 'episode.saved'").all() as { b: string }[];
    expect(bytes).toHaveLength(2);
    for (const b of bytes) for (const secret of ['Vogel', 'M25.561', 'stairs', 'Medicare']) expect(b.b).not.toContain(secret);

    value(await c.m.invoke('pt', 'ws', 'episodes.save', { patientId: c.ana, episode: { ...knee, start: '2027-02-01', end: null, referral: null } }));
    const chart = value<Chart>(await c.m.invoke('pt', 'ws', 'chart.get', { patientId: c.ana }));
    expect(chart.episodes.map((e) => e.episode?.start)).toEqual(['2027-02-01', '2026-11-20']);
    expect(chart.episodes[1]?.hash).toBe(changed.hash);
  });

  it('refuses an assistant, an unknown episode, a goal of another episode, bad dates and bad codes, and stores nothing', async () => {
    const c = await clinic();
    await c.book(c.ben, clock + 9 * 24 * 3_600_000);
    const episode = (await openEpisode(c)).episode!;
    const entries = () => count(c.m, 'SELECT count(*) AS n FROM entries');
    const before = entries();
    const save = (connection: string, input: unknown) => c.m.invoke(connection, 'ws', 'episodes.save', { patientId: c.ana, episode: input });
    expect(await save('pta', knee)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await save('pt', { ...knee, episode: 'a'.repeat(32) })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/no such episode of care/) as unknown },
    });
    // Ana's episode id is not one of Ben's.
    expect(await c.m.invoke('pt', 'ws', 'episodes.save', { patientId: c.ben, episode: { ...knee, episode: episode.episode } })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await save('pt', { ...knee, episode: episode.episode, goals: [{ ...knee.goals[0]!, id: 'b'.repeat(32) }] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/is not one of this episode’s goals/) as unknown },
    });
    expect(await save('pt', { ...knee, end: '2026-11-01' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/cannot end before it starts/) as unknown },
    });
    expect(await save('pt', { ...knee, diagnoses: [{ code: 'knee pain', text: 'Knee' }] })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/ICD-10-CM code/) as unknown },
    });
    // Refusals write their refusal entry only (for the forbidden role); no episode.
    expect(count(c.m, "SELECT count(*) AS n FROM entries WHERE kind = 'episode.saved'")).toBe(1);
    expect(entries() - before).toBe(count(c.m, "SELECT count(*) AS n FROM entries WHERE kind = 'access.refused'"));

    // The ledger's own policy refuses an episode saved in an assistant's name, whatever the service does.
    const key = c.m.keystore.keyFor(c.ana)!;
    const stream = `p:${c.ana}/clinical`;
    expect(() => c.m.ledger.append({ stream, kind: 'episode.saved', by: c.alex, body: sealBody(key, stream, 'episode.saved', episode) })).toThrow(
      /only a therapist can open or change an episode of care/,
    );
  });
});

describe('signing a charted note', () => {
  it('fixes the day of service from the visit in the clinic’s zone, dates the measures, and bills under the episode payer’s rule', async () => {
    const c = await clinic();
    const eights = (await openEpisode(c, c.ana, { ...knee, payer: { name: 'Acme Health', rule: 'eights' } })).episode!;
    // 23:30 UTC on Tuesday is Wednesday 00:30 in Berlin.
    const visit = await c.book(c.ana, Date.UTC(2026, 10, 24, 23, 30));
    const note = value<Note>(
      await sign(c, 'pt', {
        appointmentId: visit,
        episodeId: eights.episode,
        measures: [
          { kind: 'pain', side: 'right', site: 'knee', value: 3 },
          { kind: 'rom', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: 118, date: '2026-11-24' },
          { kind: 'mmt', muscle: 'knee_extensors', side: 'right', grade: '4' },
          // 13 of 45 points (one item blank): 28.9 %, sealed as 289 tenths (canonical JSON holds integers only).
          { kind: 'outcome', instrument: 'odi', items: [2, 2, 2, 1, 2, 1, 1, 0, 2, 1].map((x, i) => (i === 9 ? null : x)) },
        ],
        interventions: [
          { code: '97110', minutes: 10 },
          { code: '97140', minutes: 10 },
          { code: '97010', minutes: 10 },
        ],
      }),
    );
    expect(note.body).toMatchObject({ v: 2, date: '2026-11-25', episodeId: eights.episode, appointmentId: visit });
    expect(note.body!.measures.map((m) => m.date)).toEqual(['2026-11-25', '2026-11-24', '2026-11-25', '2026-11-25']);
    expect(note.body!.measures[3]).toMatchObject({ kind: 'outcome', instrument: 'odi', score: 28.9, unit: '%' });
    // Rule of eights: each timed code alone (10 min → 1 unit each); the untimed code is one unit.
    expect(note.body!.billing).toEqual({
      rule: 'eights',
      lines: [
        { code: '97110', minutes: 10, timed: true, units: 1 },
        { code: '97140', minutes: 10, timed: true, units: 1 },
        { code: '97010', minutes: 10, timed: false, units: 1 },
      ],
      totalTimedMinutes: 20,
      totalUnits: 3,
    });

    // Without an episode the CMS 8-minute rule applies: 20 timed minutes are one unit in all.
    const other = await c.book(c.ana, Date.UTC(2026, 10, 26, 9));
    const plain = value<Note>(
      await sign(c, 'pt', {
        appointmentId: other,
        interventions: [
          { code: '97110', minutes: 10 },
          { code: '97140', minutes: 10 },
        ],
      }),
    );
    expect(plain.body).toMatchObject({ date: '2026-11-26', episodeId: null, billing: { rule: 'cms8', totalTimedMinutes: 20, totalUnits: 1 } });
    // Billing minutes without a visit would never reach the billing day: refused, nothing stored.
    const before = count(c.m, "SELECT count(*) AS n FROM entries WHERE kind = 'note.signed'");
    expect(await sign(c, 'pt', { interventions: [{ code: '97110', minutes: 10 }] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/Billing minutes belong to a visit/) as unknown },
    });
    expect(count(c.m, "SELECT count(*) AS n FROM entries WHERE kind = 'note.signed'")).toBe(before);
    // No visit: the day of service is today in Berlin.
    expect(value<Note>(await sign(c, 'pt', {})).body).toMatchObject({ date: '2026-11-23' });
    // No interventions: no billing.
    expect(value<Note>(await sign(c, 'pt', {})).body?.billing).toBeNull();
  });

  it('a progress note sets goal statuses on the episode and a discharge summary ends it, in the same step as the note', async () => {
    const c = await clinic();
    const episode = (await openEpisode(c)).episode!;
    const [short, long] = episode.goals.map((g) => g.id) as [string, string];
    const entries = () => count(c.m, 'SELECT count(*) AS n FROM entries');
    let before = entries();
    const progress = value<Note>(
      await sign(c, 'pt', {
        type: 'progress',
        episodeId: episode.episode,
        goals: [{ goal: short, status: 'met' }],
        sections: { assessment: 'On track.' },
      }),
    );
    expect(progress.body?.goals).toEqual([{ goal: short, status: 'met' }]);
    expect(entries()).toBe(before + 2);
    const afterProgress = value<Chart>(await c.m.invoke('pt', 'ws', 'chart.get', { patientId: c.ana })).episodes[0]!.episode!;
    expect(afterProgress.goals.map((g) => [g.id, g.status])).toEqual([
      [short, 'met'],
      [long, 'progressing'],
    ]);
    expect(afterProgress.end).toBeNull();
    // A progress note without statuses leaves the episode as it is.
    before = entries();
    value(await sign(c, 'pt', { type: 'progress', episodeId: episode.episode, sections: { assessment: 'Same.' } }));
    expect(entries()).toBe(before + 1);

    const discharge = value<Note>(
      await sign(c, 'pt', {
        type: 'discharge',
        episodeId: episode.episode,
        date: '2026-11-23',
        goals: [{ goal: long, status: 'discontinued' }],
        sections: { outcomes: 'Running again.', dischargePlan: 'Home program.' },
      }),
    );
    expect(discharge.body?.type).toBe('discharge');
    const ended = value<Chart>(await c.m.invoke('pt', 'ws', 'chart.get', { patientId: c.ana })).episodes[0]!.episode!;
    expect(ended.end).toBe('2026-11-23');
    expect(ended.goals.map((g) => g.status)).toEqual(['met', 'discontinued']);
    // The episode has ended: a note in it is refused, naming the day.
    expect(await sign(c, 'pt', { episodeId: episode.episode })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/^This episode of care ended on 2026-11-23\./) as unknown },
    });
    const digest = viewDigest(c.m.db);
    rebuildViews(c.m.db, c.m.keystore);
    expect(viewDigest(c.m.db)).toBe(digest);
  });

  it('refuses a note in an unknown episode, goals outside their episode or note type, an assistant updating goals, and a note too long once billed; stores nothing', async () => {
    const c = await clinic();
    await c.book(c.ben, clock + 9 * 24 * 3_600_000);
    await c.book(c.ana, clock + 8 * 24 * 3_600_000, c.alex);
    const episode = (await openEpisode(c)).episode!;
    const other = (await openEpisode(c, c.ben)).episode!;
    const goal = episode.goals[0]!.id;
    const entries = () => count(c.m, "SELECT count(*) AS n FROM entries WHERE kind IN ('note.signed', 'episode.saved')");
    const before = entries();
    const refused = async (connection: string, note: Record<string, unknown>, code: string, message: RegExp) =>
      expect(await sign(c, connection, note)).toMatchObject({ ok: false, error: { code, message: expect.stringMatching(message) as unknown } });
    await refused('pt', { episodeId: 'c'.repeat(32) }, 'not_found', /no such episode of care for this patient/);
    await refused('pt', { episodeId: other.episode }, 'not_found', /no such episode of care for this patient/);
    await refused('pt', { type: 'progress', goals: [{ goal, status: 'met' }] }, 'invalid_input', /Goal statuses belong to an episode of care/);
    await refused(
      'pt',
      { episodeId: episode.episode, goals: [{ goal, status: 'met' }] },
      'invalid_input',
      /Only a progress note or a discharge summary/,
    );
    await refused(
      'pt',
      { type: 'progress', episodeId: episode.episode, goals: [{ goal: other.goals[0]!.id, status: 'met' }] },
      'invalid_input',
      /not one of this episode’s goals/,
    );
    await refused('pt', { episodeId: episode.episode, date: '2026-11-19' }, 'invalid_input', /before the episode of care starts \(2026-11-20\)/);
    await refused(
      'pta',
      { type: 'progress', episodeId: episode.episode, goals: [{ goal, status: 'met' }] },
      'forbidden',
      /Only a therapist updates the goals/,
    );
    // Evaluating and discharging are the therapist's (docs/architecture.md#note-types).
    await refused('pta', { type: 'discharge', episodeId: episode.episode }, 'forbidden', /Only a therapist signs a discharge summary/);
    await refused('pta', { type: 'evaluation', episodeId: episode.episode }, 'forbidden', /Only a therapist signs an initial evaluation/);
    // Outside their care, a clinician cannot write into a patient's episode: Tomas has no visit with Ana.
    await refused('pt2', { episodeId: episode.episode }, 'outside_care', /not in your care/);
    await refused('pt', { interventions: [{ code: '99999', minutes: 10 }] }, 'invalid_input', /Choose a CPT code from the list/);
    // Under the input's limit, over it once the day, the units and the rule are sealed with it.
    const codes = ['97110', '97112', '97113', '97116', '97124', '97140', '97530', '97535', '97537', '97542', '97032', '97033', '97035', '97750'];
    const interventions = codes.map((code) => ({ code, minutes: 8 }));
    // Billing names its visit.
    const visit = await c.book(c.ana, Date.UTC(2026, 10, 27, 9));
    const inputBytes = (text: string) =>
      Buffer.byteLength(
        JSON.stringify({
          type: 'daily',
          appointmentId: visit,
          episodeId: null,
          date: null,
          sections: { subjective: text },
          measures: [],
          goals: [],
          interventions,
        }),
      );
    let text = 'é'.repeat(3_700);
    while (inputBytes(text) < 7_990) text += 'x';
    expect(inputBytes(text)).toBeLessThanOrEqual(8_000);
    await refused(
      'pt',
      { appointmentId: visit, sections: { subjective: text }, interventions },
      'invalid_input',
      /too long to sign as one entry \(\d+ of 8000 bytes\)/,
    );
    expect(entries()).toBe(before);
  });

  it("signing with the author's draft discards it in the same step; a refused signing keeps it, and another's draft is untouched", async () => {
    const c = await clinic();
    const content = {
      type: 'daily',
      appointmentId: null,
      episodeId: null,
      date: null,
      sections: { subjective: 'Half written' },
      measures: [],
      goals: [],
      interventions: [],
    };
    const save = async (connection: string) =>
      value<{ draftId: string }>(await c.m.invoke(connection, 'ws', 'drafts.save', { patientId: c.ana, content })).draftId;
    await c.book(c.ana, clock + 8 * 24 * 3_600_000, c.tomas);
    const mine = await save('pt');
    const theirs = await save('pt2');
    const draft = (connection: string) => c.m.invoke(connection, 'ws', 'drafts.get', { patientId: c.ana, appointmentId: null });
    expect(await sign(c, 'pt', { episodeId: 'c'.repeat(32) }, { draftId: mine })).toMatchObject({ ok: false });
    expect(value<{ draftId: string } | null>(await draft('pt'))?.draftId).toBe(mine);
    // Tomas's draft id in Priya's signing: not hers, so nothing of his is touched.
    value(await sign(c, 'pt', {}, { draftId: theirs }));
    expect(value<{ draftId: string } | null>(await draft('pt2'))?.draftId).toBe(theirs);
    value(await sign(c, 'pt', {}, { draftId: mine }));
    expect(value(await draft('pt'))).toBeNull();
  });

  it('a version-1 note in the ledger reads in the version-2 shape, on the clinic day it was signed', async () => {
    const c = await clinic();
    const key = c.m.keystore.sealingKey(c.ana)!;
    const stream = `p:${c.ana}/clinical`;
    const v1 = { type: 'daily' as const, appointmentId: null, subjective: 'Old note.', objective: '', assessment: 'Fine.', plan: '', pain: 5 };
    const { hash } = c.m.ledger.append({ stream, kind: 'note.signed', by: c.priya, body: sealBody(key.key, stream, 'note.signed', v1, key.kid) });
    const notes = value<Note[]>(await c.m.invoke('pt', 'ws', 'notes.list', { patientId: c.ana }));
    expect(notes).toMatchObject([{ hash, readable: true }]);
    // 08:00 UTC is 09:00 in Berlin, on the same day.
    expect(notes[0]!.body).toEqual({
      v: 2,
      type: 'daily',
      appointmentId: null,
      episodeId: null,
      date: '2026-11-23',
      sections: { subjective: 'Old note.', assessment: 'Fine.' },
      measures: [{ kind: 'pain', date: '2026-11-23', side: 'none', site: '', value: 5, unit: 'NPRS' }],
      goals: [],
      billing: null,
    });
  });
});

describe('co-signature queue and supervision', () => {
  it("lists the assistants' notes awaiting co-signature oldest first; a therapist opens the chart without a visit of their own while one waits", async () => {
    const c = await clinic();
    const first = value<Note>(await sign(c, 'pta', { sections: { subjective: 'First.' } }));
    now += 60_000; // notes of two patients' streams: the queue orders them by when they were signed
    const second = value<Note>(
      await c.m.invoke('pta', 'ws', 'notes.sign', { patientId: c.ben, note: { type: 'daily', appointmentId: null, sections: { plan: 'Second.' } } }),
    );
    value(await sign(c, 'pt', {})); // a therapist's own note never waits
    const queue = value<CosignItem[]>(await c.m.invoke('pt2', 'ws', 'notes.cosignQueue', {}));
    expect(queue.map((i) => [i.patientId, i.patientName, i.note.hash])).toEqual([
      [c.ana, 'Tester, Ana', first.hash],
      [c.ben, 'Tester, Ben', second.hash],
    ]);
    expect(await c.m.invoke('pta', 'ws', 'notes.cosignQueue', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Tomas has no visit with Ben: supervision is care while the note waits…
    value<Chart>(await c.m.invoke('pt2', 'ws', 'chart.get', { patientId: c.ben }));
    value<Note[]>(await c.m.invoke('pt2', 'ws', 'notes.list', { patientId: c.ben }));
    // …but it opens only the notes, not the patient's details,
    expect(await c.m.invoke('pt2', 'ws', 'patient.get', { patientId: c.ben })).toMatchObject({ ok: false, error: { code: 'outside_care' } });
    // and the assistant has no such standing.
    expect(await c.m.invoke('pta', 'ws', 'chart.get', { patientId: c.ben })).toMatchObject({ ok: false, error: { code: 'outside_care' } });
    value(await c.m.invoke('pt2', 'ws', 'notes.cosign', { patientId: c.ben, note: second.hash }));
    expect(value<CosignItem[]>(await c.m.invoke('pt', 'ws', 'notes.cosignQueue', {})).map((i) => i.note.hash)).toEqual([first.hash]);
    // Once co-signed, Ben is outside Tomas's care again.
    expect(await c.m.invoke('pt2', 'ws', 'chart.get', { patientId: c.ben })).toMatchObject({ ok: false, error: { code: 'outside_care' } });
  });
});

describe('the billing day', () => {
  it("shows the front desk the day's visits in the clinic's zone with their note's codes and units, never the note's words", async () => {
    const c = await clinic();
    // Tuesday 24 November in Berlin runs from 23:00 UTC on the 23rd to 23:00 UTC on the 24th.
    const early = await c.book(c.ana, Date.UTC(2026, 10, 23, 23, 15));
    const late = await c.book(c.ben, Date.UTC(2026, 10, 24, 15), c.alex);
    await c.book(c.ana, Date.UTC(2026, 10, 24, 23, 0)); // Wednesday in Berlin
    await c.book(c.ben, Date.UTC(2026, 10, 23, 22, 0)); // Monday in Berlin
    value(await sign(c, 'pt', { appointmentId: early, sections: { subjective: 'Secret words.' }, interventions: [{ code: '97110', minutes: 38 }] }));
    const rows = value<BillingRow[]>(await c.m.invoke('desk', 'ws', 'billing.day', { date: '2026-11-24' }));
    expect(rows.map((r) => [r.appointmentId, r.patientName, r.clinicianName, r.note?.type ?? null])).toEqual([
      [early, 'Tester, Ana', 'Priya', 'daily'],
      [late, 'Tester, Ben', 'Alex', null],
    ]);
    expect(rows[0]!.note).toMatchObject({
      authorName: 'Priya',
      awaitingCosign: false,
      billing: { rule: 'cms8', lines: [{ code: '97110', minutes: 38, units: 3 }], totalUnits: 3 },
    });
    expect(JSON.stringify(rows)).not.toContain('Secret');
    expect(await c.m.invoke('pta', 'ws', 'billing.day', { date: '2026-11-24' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await c.m.invoke('desk', 'ws', 'billing.day', { date: '24/11/2026' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('reducers', () => {
  it('episode saves, notes, addenda and co-signatures made on two computers give the same views in any delivery order', async () => {
    const c = await clinic();
    // Alex and Tomas treat Ana too (writing in her episode needs her in their care).
    await c.book(c.ana, clock + 8 * 24 * 3_600_000, c.alex);
    await c.book(c.ana, clock + 9 * 24 * 3_600_000, c.tomas);
    const episode = (await openEpisode(c)).episode!;
    const bKey = generateDeviceKeyPair();
    const manager = (c.m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id;
    const clinicId = (c.m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
    c.m.ledger.append({
      stream: `c:${clinicId}/public`,
      kind: 'device.enrolled',
      by: manager,
      body: { device: bKey.publicKey, label: 'Gym laptop' },
    });
    const b = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-charting-b-')), () => clock, quiet);
    opened.push(b);
    const bLedger = new Ledger(b.db, bKey, { now: () => clock, keystore: b.keystore });
    b.keystore.storeKey(c.ana, c.m.keystore.keyFor(c.ana)!, 0);
    for (const e of storedEntries(c.m.ledger)) bLedger.ingest(e.bytes, e.sig, 'sync');
    const a = { ledger: c.m.ledger, keystore: c.m.keystore, now: () => clock };
    const bDeps = { ledger: bLedger, keystore: b.keystore, now: () => clock };
    const as = (staffId: string, role: 'therapist' | 'assistant') => ({ session: { staffId, role }, bridge: 'cli' as const });
    const assistantNote = signNote(
      a,
      {
        patientId: c.ana,
        note: {
          type: 'daily',
          appointmentId: null,
          episodeId: episode.episode,
          date: null,
          sections: { subjective: 'A' },
          measures: [],
          goals: [],
          interventions: [],
        },
      },
      as(c.alex, 'assistant'),
    );
    for (const e of storedEntries(c.m.ledger)) bLedger.ingest(e.bytes, e.sig, 'sync');
    // Offline, at once: A changes the plan and co-signs; B sets a goal status in a progress note, co-signs and amends.
    saveEpisode(a, { patientId: c.ana, episode: { ...episode, plan: { ...episode.plan, weeks: 8 } } }, as(c.priya, 'therapist'));
    cosignNote(a, { patientId: c.ana, note: assistantNote.hash }, as(c.priya, 'therapist'));
    signNote(
      bDeps,
      {
        patientId: c.ana,
        note: {
          type: 'progress',
          appointmentId: null,
          episodeId: episode.episode,
          date: null,
          sections: { assessment: 'B' },
          measures: [],
          goals: [{ goal: episode.goals[0]!.id, status: 'met' }],
          interventions: [],
        },
      },
      as(c.tomas, 'therapist'),
    );
    cosignNote(bDeps, { patientId: c.ana, note: assistantNote.hash }, as(c.tomas, 'therapist'));
    addAddendum(bDeps, { patientId: c.ana, note: assistantNote.hash, text: 'Late entry.' }, as(c.tomas, 'therapist'));
    const all = [...storedEntries(c.m.ledger), ...storedEntries(bLedger)];
    let expected: string | null = null;
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (order) => {
        const fresh = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-charting-f-')), () => clock, quiet);
        try {
          fresh.keystore.storeKey(c.ana, c.m.keystore.keyFor(c.ana)!, 0);
          const ledger = new Ledger(fresh.db, generateDeviceKeyPair(), { now: () => clock, keystore: fresh.keystore });
          for (const e of order) ledger.ingest(e.bytes, e.sig, 'shuffle');
          const digest = viewDigest(fresh.db);
          expected ??= digest;
          expect(digest).toBe(expected);
          expect(count(fresh, 'SELECT count(*) AS n FROM view_episodes')).toBe(1);
          expect(count(fresh, 'SELECT count(*) AS n FROM view_notes WHERE episode_id = ?', episode.episode)).toBe(2);
        } finally {
          fresh.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});
