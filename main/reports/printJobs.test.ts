// Printing a signed note and an episode's progress report as jobs (docs/architecture.md#printed-notes):
// through job.start as the screens do, the file fetched once and read back with pdftotext, the
// care rule and the roles checked before any work, and the reading recorded.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Episode, JobState, Note } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { readPdf } from './testing/poppler.js';

const quiet = { warn: () => undefined, error: () => undefined };
const DAY = 86_400_000;
/** Monday 2 November 2026, 09:00 UTC (the clinic keeps UTC). */
const START = Date.UTC(2026, 10, 2, 9);
// The clinic's locale is this computer's (en-US here): dates print as "2 Nov 2026".
let now = START;

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};

let dir = '';
let m: Movelog;
let patientId = '';
let episodeId = '';
let evaluation: Note;
let daily: Note;

const lefs = (answer: number) => ({ kind: 'outcome', instrument: 'lefs', items: Array.from({ length: 20 }, () => answer) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'movelog-print-'));
  m = openMovelog(dir, () => now, quiet);
  value(await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' }));
  // Dates print in the clinic's locale ("2 Nov 2026"), whatever this computer's is.
  value(await m.invoke('mgr', 'ws', 'settings.update', { locale: 'en-GB' }));
  const managerId = (m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id;
  const people: [string, string, string][] = [['mgr', managerId, 'manager passphrase 1']];
  const add = async (connection: string, name: string, role: string) => {
    const id = value<{ id: string }>(
      await m.invoke('mgr', 'ws', 'staff.add', { name, role, licence: role === 'therapist' ? 'PT-1' : null, passphrase: `${name} passphrase` }),
    ).id;
    value(await m.invoke(connection, 'ws', 'session.signIn', { staffId: id, passphrase: `${name} passphrase` }));
    people.push([connection, id, `${name} passphrase`]);
    return id;
  };
  /** Signs everyone in again: sessions lock after a while without activity, and the test moves the clock by days. */
  const wake = async () => {
    for (const [connection, staffId, passphrase] of people) value(await m.invoke(connection, 'ws', 'session.signIn', { staffId, passphrase }));
  };
  const priya = await add('pt', 'Priya Raman', 'therapist');
  await add('pt2', 'Tomás Ó Briain', 'therapist');
  const alex = await add('pta', 'Alex Kim', 'assistant');
  await add('desk', 'Fran Ortiz', 'front_desk');
  patientId = value<{ patientId: string }>(
    await m.invoke('desk', 'ws', 'patient.register', {
      details: {
        givenName: 'Zoë',
        familyName: 'Łukasiewicz-Ørsted',
        preferredName: null,
        dateOfBirth: '1986-05-28',
        sex: 'female',
        phone: null,
        email: null,
        address: null,
        emergencyContact: null,
        referralSource: null,
        insurance: null,
      },
      confirmDuplicate: false,
    }),
  ).patientId;
  const typeId = value<{ typeId: string }>(
    await m.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
  ).typeId;
  // Two visits with Priya (attended) and one with the assistant a week on.
  const book = async (therapistId: string, start: number) =>
    value<{ appointmentId: string }[]>(
      await m.invoke('desk', 'ws', 'schedule.book', { patientId, therapistId, roomId: null, typeId, start, weeks: 1, allowConflict: true }),
    )[0]!.appointmentId;
  const first = await book(priya, START);
  const second = await book(priya, START + 14 * DAY);
  await book(alex, START + 21 * DAY);

  const episode = value<Episode>(
    await m.invoke('pt', 'ws', 'episodes.save', {
      patientId,
      episode: {
        referral: { provider: 'Dr. Sven Åström', date: '2026-10-20' },
        diagnoses: [{ code: 'M17.11', text: 'Unilateral primary osteoarthritis, right knee' }],
        bodyRegion: 'knee',
        start: '2026-11-02',
        end: null,
        plan: { visitsPerWeek: 2, weeks: 6, certFrom: '2026-11-02', certTo: '2026-12-13' },
        payer: { name: 'Medicare Part B', rule: 'cms8' },
        goals: [{ term: 'short', text: 'Climb stairs with a rail', target: 'knee flexion 110°', targetDate: '2026-11-30' }],
      },
    }),
  );
  episodeId = episode.episode!.episode;
  const attend = async (appointmentId: string) => {
    for (const status of ['checked_in', 'completed'])
      value(await m.invoke('desk', 'ws', 'schedule.setStatus', { appointmentId, status, reason: null, scope: 'one' }));
  };
  await attend(first);
  evaluation = value<Note>(
    await m.invoke('pt', 'ws', 'notes.sign', {
      patientId,
      note: {
        type: 'evaluation',
        appointmentId: first,
        episodeId,
        sections: { history: 'Gradual onset over two years.', assessment: 'Impaired flexion and quadriceps strength.', plan: 'Twice weekly.' },
        measures: [
          { kind: 'pain', side: 'right', site: 'knee', value: 7 },
          { kind: 'rom', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: 80 },
          lefs(1),
        ],
        interventions: [{ code: '97161', minutes: 40 }],
      },
    }),
  );
  now = START + 14 * DAY;
  await wake();
  await attend(second);
  daily = value<Note>(
    await m.invoke('pt', 'ws', 'notes.sign', {
      patientId,
      note: {
        type: 'daily',
        appointmentId: second,
        episodeId,
        sections: { subjective: 'Stairs easier.', assessment: 'Flexion improving steadily.', plan: 'Progress step-ups.' },
        measures: [{ kind: 'rom', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: 112 }, lefs(2)],
        interventions: [
          { code: '97110', minutes: 30 },
          { code: '97140', minutes: 15 },
        ],
      },
    }),
  );
  value(await m.invoke('pt', 'ws', 'notes.addendum', { patientId, note: daily.hash, text: 'Swelling settled overnight.' }));
}, 120_000);

afterAll(() => {
  m.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a job as `connection`, waits for it, and returns its state (and the PDF's text when it made one). */
async function print(connection: string, kind: string, input: object): Promise<{ state: JobState; text: string | null }> {
  const started = value<JobState>(await m.invoke(connection, 'ws', 'job.start', { kind, input }));
  await m.jobs.settled(started.id);
  const state = value<JobState>(await m.invoke(connection, 'ws', 'job.state', { id: started.id }));
  if (!state.download) return { state, text: null };
  const download = m.jobs.takeDownload(state.download.url.replace('/download/', ''));
  const file = download?.path ?? '';
  expect(readPdf(file).pages).toBeGreaterThan(0);
  // In the order drawn (-raw), so a wrapped cell reads as one run of words.
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  download?.release();
  return { state, text };
}

const listedAs = () =>
  m.db
    .prepare("SELECT bytes FROM entries WHERE kind = 'access.listed' ORDER BY local_seq")
    .all()
    .map((r) => (JSON.parse((r as { bytes: Buffer }).bytes.toString('utf8')) as { body: { call: string; patients: string[] } }).body);

describe('note.pdf', () => {
  it('prints a signed note with its billing and addendum, downloaded once, and records the reading', async () => {
    const before = listedAs().length;
    const { state, text } = await print('pt', 'note.pdf', { patientId, note: daily.hash });
    expect(state).toMatchObject({
      status: 'done',
      message: null,
      download: { name: `note-${daily.hash.slice(0, 12)}.pdf`, mime: 'application/pdf' },
    });
    for (const words of [
      'Daily note (SOAP)',
      'Zoë Łukasiewicz-Ørsted',
      'Day of service 16 Nov 2026',
      'Signed by Priya Raman (physical therapist)',
      'M17.11 Unilateral primary osteoarthritis, right knee',
      'Stairs easier.',
      'Knee flexion (AROM)',
      '97110 Therapeutic exercise yes 30 2',
      'Total units 3',
      'Swelling settled overnight.',
      `entry ${daily.hash}`,
    ])
      expect(text).toContain(words);
    expect(listedAs().slice(before)).toEqual([expect.objectContaining({ call: 'notes.list', patients: [patientId] })]);
  });

  it('refuses the front desk, a therapist outside the care, and a bad reference before any work; an unknown note fails with its reason', async () => {
    expect(await m.invoke('desk', 'ws', 'job.start', { kind: 'note.pdf', input: { patientId, note: daily.hash } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await m.invoke('pt2', 'ws', 'job.start', { kind: 'note.pdf', input: { patientId, note: daily.hash } })).toMatchObject({
      ok: false,
      error: { code: 'outside_care', message: expect.stringContaining('This patient is not in your care') as unknown },
    });
    expect(await m.invoke('pt', 'ws', 'job.start', { kind: 'note.pdf', input: { patientId, note: 'nope' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('Not a valid note reference.') as unknown },
    });
    expect(await m.invoke('pt', 'ws', 'job.start', { kind: 'note.pdf', input: { patientId: 'e'.repeat(32), note: daily.hash } })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const { state } = await print('pt', 'note.pdf', { patientId, note: 'f'.repeat(64) });
    expect(state).toMatchObject({
      status: 'failed',
      message: 'Printing the note could not finish: There is no such note for this patient.',
      download: null,
    });
  });

  it('the assistant, in the care through a visit of their own, and the manager print it too', async () => {
    expect((await print('pta', 'note.pdf', { patientId, note: evaluation.hash })).text).toContain('Initial evaluation');
    expect((await print('mgr', 'note.pdf', { patientId, note: evaluation.hash })).text).toContain('Gradual onset over two years.');
  });
});

describe('progress.pdf', () => {
  it("prints the episode's progress: referral, diagnoses, plan, goals, first and latest measures with the MCID, visits attended", async () => {
    const { state, text } = await print('pt', 'progress.pdf', { patientId, episodeId });
    expect(state).toMatchObject({ status: 'done', download: { name: `progress-report-${episodeId.slice(0, 12)}.pdf` } });
    for (const words of [
      'Physical therapy progress report',
      'Zoë Łukasiewicz-Ørsted',
      'Referral Dr. Sven Åström, 20 Oct 2026',
      'M17.11 Unilateral primary osteoarthritis, right knee',
      '2 visits a week for 6 weeks (12 visits planned)',
      'Certification period 2 Nov 2026 to 13 Dec 2026',
      // Two completed visits; the assistant's booked one is not attended yet.
      'Visits attended so far 2',
      'Climb stairs with a rail',
      '80° (2 Nov 2026) 112° (16 Nov 2026) +32°',
      // LEFS all 1s (20) to all 2s (40): +20 points, past the MCID of 9.
      '20 points (2 Nov 2026) 40 points (16 Nov 2026) +20 points (better) reached (MCID 9)',
      'Pain (NPRS), knee Right 7/10 (2 Nov 2026) not measured again',
      'Flexion improving steadily.',
      'Progress step-ups.',
      'Treating therapist: Priya Raman',
    ])
      expect(text).toContain(words);
  });

  it('refuses an episode the patient does not have, and a therapist outside the care', async () => {
    const { state } = await print('pt', 'progress.pdf', { patientId, episodeId: 'e'.repeat(32) });
    expect(state).toMatchObject({
      status: 'failed',
      message: 'Printing the progress report could not finish: There is no such episode of care for this patient.',
    });
    expect(await m.invoke('pt2', 'ws', 'job.start', { kind: 'progress.pdf', input: { patientId, episodeId } })).toMatchObject({
      ok: false,
      error: { code: 'outside_care' },
    });
  });
});
