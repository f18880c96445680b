// The printed note and the progress report as a reader sees them (docs/architecture.md#printed-notes):
// drawn from data made here, read back with poppler's pdftotext.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Note } from '../../shared/api/index.js';
import type { StoredChartNote, StoredEpisode, StoredMeasure } from '../../shared/ledger/kinds/notes.js';
import type { PrintContext } from './clinicalPdf.js';
import { drawNotePdf } from './notePdf.js';
import { compareMeasures, drawProgressReport } from './progressReport.js';
import { readPdf, renderPdfPages } from './testing/poppler.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const file = (name: string) => {
  dir ??= mkdtempSync(join(tmpdir(), 'movelog-clinical-pdf-'));
  return join(dir, name);
};

/** The text in drawing order with runs of white space made one, so a wrapped cell reads as one run of words. */
const flatText = (path: string) => execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

const context: PrintContext = {
  clinicName: 'Harbour Rehab',
  locale: 'en-GB',
  timeZone: 'Europe/London',
  patient: { patientId: 'a1'.repeat(16), name: 'Zoë Łukasiewicz-Ørsted', dateOfBirth: '1986-05-28' },
  madeAt: Date.UTC(2026, 10, 23, 10),
};

const HASH = 'c0ffee'.repeat(10) + 'c0de';
const EPISODE_ID = 'e1'.repeat(16);
const GOAL_SHORT = 'g1'.repeat(16);
const GOAL_LONG = 'g2'.repeat(16);

const lefs = (date: string, score: number): StoredMeasure => ({
  kind: 'outcome',
  date,
  instrument: 'lefs',
  side: 'none',
  items: Array.from({ length: 20 }, (_, i) => (i < 19 ? 2 : null)),
  score,
  unit: 'points',
});
const flexion = (date: string, degrees: number): StoredMeasure => ({
  kind: 'rom',
  date,
  joint: 'knee',
  motion: 'flexion',
  side: 'right',
  mode: 'active',
  degrees,
  unit: 'deg',
});
const pain = (date: string, value: number): StoredMeasure => ({ kind: 'pain', date, side: 'right', site: 'knee', value, unit: 'NPRS' });

function note(body: StoredChartNote, extra: Partial<Note> = {}): Note {
  return {
    hash: HASH,
    at: Date.UTC(2026, 10, 20, 15, 30),
    authorName: 'Ana Ferreira',
    authorRole: 'assistant',
    readable: true,
    body,
    visitStart: Date.UTC(2026, 10, 20, 14),
    awaitingCosign: false,
    cosignedBy: 'Tomás Ó Briain',
    cosignedAt: Date.UTC(2026, 10, 21, 9),
    addenda: [{ hash: 'ad'.repeat(32), at: Date.UTC(2026, 10, 21, 10), byName: 'Ana Ferreira', text: 'Patient phoned: swelling settled overnight.' }],
    ...extra,
  };
}

const episode: StoredEpisode = {
  episode: EPISODE_ID,
  referral: { provider: 'Dr. Sven Åström', date: '2026-10-01' },
  diagnoses: [
    { code: 'M17.11', text: 'Unilateral primary osteoarthritis, right knee' },
    { code: 'M25.561', text: 'Pain in right knee' },
  ],
  bodyRegion: 'knee',
  start: '2026-10-06',
  end: null,
  plan: { visitsPerWeek: 2, weeks: 6, certFrom: '2026-10-06', certTo: '2026-11-16' },
  payer: { name: 'Medicare Part B', rule: 'cms8' },
  goals: [
    {
      id: GOAL_SHORT,
      term: 'short',
      text: 'Climb one flight of stairs with a rail',
      target: 'knee flexion 110° or more',
      targetDate: '2026-11-01',
      status: 'met',
    },
    { id: GOAL_LONG, term: 'long', text: 'Walk 30 minutes without pain', target: 'LEFS 60 or more', targetDate: '2026-12-15', status: 'progressing' },
  ],
};

const daily: StoredChartNote = {
  v: 2,
  type: 'daily',
  appointmentId: 'ab'.repeat(16),
  episodeId: EPISODE_ID,
  date: '2026-11-20',
  sections: {
    subjective: 'Stairs easier; pain 3/10 after the walk home.',
    objective: 'Quad sets, step-ups 3×10, manual therapy to the patellofemoral joint.',
    assessment: 'Tolerating a higher load; flexion improving.',
    plan: 'Progress step-ups to 20 cm next visit.',
  },
  measures: [pain('2026-11-20', 3), flexion('2026-11-20', 95), lefs('2026-11-20', 45)],
  goals: [],
  billing: {
    rule: 'cms8',
    lines: [
      { code: '97110', minutes: 25, timed: true, units: 2 },
      { code: '97140', minutes: 10, timed: true, units: 1 },
    ],
    totalTimedMinutes: 35,
    totalUnits: 3,
  },
};

describe('the printed note', () => {
  it('names the clinic and the patient in her own script, and prints every part of the signed entry', async () => {
    const out = file('note.pdf');
    await drawNotePdf({ context, note: note(daily), episode }, createWriteStream(out));
    const { pages } = readPdf(out);
    expect(renderPdfPages(out, 1, pages)).toBeGreaterThan(0);
    const text = flatText(out);
    for (const words of [
      'Daily note (SOAP)',
      'Harbour Rehab',
      'Zoë Łukasiewicz-Ørsted',
      '28 May 1986',
      context.patient.patientId,
      'Day of service 20 Nov 2026',
      'Signed by Ana Ferreira (physical therapist assistant), 20 Nov 2026, 15:30',
      'Co-signature Tomás Ó Briain, 21 Nov 2026, 09:00',
      'M17.11 Unilateral primary osteoarthritis, right knee',
      'Subjective Stairs easier; pain 3/10 after the walk home.',
      'Plan Progress step-ups to 20 cm next visit.',
      'Pain (NPRS), knee Right 3/10',
      'Knee flexion (AROM) Right 95°',
      'limited',
      'Lower Extremity Functional Scale',
      '45 points',
      '19 of 20 items answered',
      '97110 Therapeutic exercise yes 25 2',
      '97140 Manual therapy techniques yes 10 1',
      'CMS 8-minute rule',
      'Total timed minutes 35',
      'Total units 3',
      'Addenda',
      'Patient phoned: swelling settled overnight.',
      `This is a copy of a signed entry of Harbour Rehab's record, entry ${HASH}.`,
    ])
      expect(text).toContain(words);
    // The daily note's sections in its template's order: S, O, A, P.
    expect(text.indexOf('Subjective')).toBeLessThan(text.indexOf('Objective'));
    expect(text.indexOf('Objective')).toBeLessThan(text.indexOf('Assessment'));
    expect(text.indexOf('Assessment Tolerating')).toBeLessThan(text.indexOf('Plan Progress'));
  });

  it('says a note awaits its co-signature, and leaves out parts a note does not have', async () => {
    const out = file('bare.pdf');
    const bare: StoredChartNote = {
      ...daily,
      episodeId: null,
      appointmentId: null,
      measures: [],
      billing: null,
      sections: { subjective: 'Only this.' },
    };
    await drawNotePdf(
      { context, note: note(bare, { awaitingCosign: true, cosignedBy: null, cosignedAt: null, addenda: [], visitStart: null }), episode: null },
      createWriteStream(out),
    );
    const text = flatText(out);
    expect(text).toContain('Co-signature awaiting a therapist’s co-signature');
    expect(text).toContain('Only this.');
    for (const absent of ['Measures', 'Billing', 'Addenda', 'Objective', 'Episode of care']) expect(text).not.toContain(absent);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(drawNotePdf({ context, note: note(daily), episode }, createWriteStream(file('x.pdf')), controller.signal)).rejects.toThrow();
  });
});

describe('the progress report', () => {
  const evaluation: StoredChartNote = {
    ...daily,
    type: 'evaluation',
    date: '2026-10-06',
    sections: {
      history: 'Gradual onset over two years.',
      assessment: 'Impaired knee flexion and quadriceps strength.',
      plan: 'Twice weekly for six weeks.',
    },
    measures: [pain('2026-10-06', 7), flexion('2026-10-06', 80), lefs('2026-10-06', 30)],
    billing: null,
  };
  const progress: StoredChartNote = {
    ...daily,
    type: 'progress',
    date: '2026-11-16',
    sections: { assessment: 'Short-term goal met; LEFS up 21 points.', plan: 'Continue twice weekly for four more weeks.' },
    measures: [pain('2026-11-16', 3), flexion('2026-11-16', 112), lefs('2026-11-16', 51)],
    goals: [{ goal: GOAL_SHORT, status: 'met' }],
  };
  const notes = [
    { note: note(evaluation, { authorName: 'Tomás Ó Briain', authorRole: 'therapist' }), body: evaluation },
    { note: note(progress, { authorName: 'Tomás Ó Briain', authorRole: 'therapist' }), body: progress },
  ];

  it('compares each measure at evaluation with its latest value, series by series', () => {
    const c = compareMeasures(notes);
    expect(c.map((x) => [x.first.kind, x.first.date, x.latest?.date])).toEqual([
      ['pain', '2026-10-06', '2026-11-16'],
      ['rom', '2026-10-06', '2026-11-16'],
      ['outcome', '2026-10-06', '2026-11-16'],
    ]);
    // A motion measured once has no latest; the other side is its own series.
    const once = compareMeasures([
      { note: notes[0]!.note, body: { ...evaluation, measures: [flexion('2026-10-06', 80), { ...flexion('2026-10-06', 130), side: 'left' }] } },
    ]);
    expect(once.map((x) => [x.first.kind === 'rom' && x.first.side, x.latest])).toEqual([
      ['right', null],
      ['left', null],
    ]);
  });

  it('prints the referral, diagnoses, plan of care, goals, measures with change and MCID, visits, the latest assessment and plan, and signature lines', async () => {
    const out = file('progress.pdf');
    await drawProgressReport(
      { context, episode, savedByName: 'Tomás Ó Briain', notes, comparisons: compareMeasures(notes), visitsAttended: 11 },
      createWriteStream(out),
    );
    const { pages } = readPdf(out);
    expect(renderPdfPages(out, 1, pages)).toBeGreaterThan(0);
    const text = flatText(out);
    for (const words of [
      'Physical therapy progress report',
      'Zoë Łukasiewicz-Ørsted',
      'Referral Dr. Sven Åström, 1 Oct 2026',
      'M17.11 Unilateral primary osteoarthritis, right knee',
      'M25.561 Pain in right knee',
      '2 visits a week for 6 weeks (12 visits planned)',
      'Certification period 6 Oct 2026 to 16 Nov 2026',
      'Visits attended so far 11',
      'Short Climb one flight of stairs with a rail knee flexion 110° or more 1 Nov 2026 met',
      'Long Walk 30 minutes without pain LEFS 60 or more 15 Dec 2026 progressing',
      'Pain (NPRS), knee Right 7/10 (6 Oct 2026) 3/10 (16 Nov 2026) −4 points',
      'Knee flexion (AROM) Right 80° (6 Oct 2026) 112° (16 Nov 2026) +32°',
      '30 points (6 Oct 2026) 51 points (16 Nov 2026) +21 points (better) reached (MCID 9)',
      'Short-term goal met; LEFS up 21 points.',
      'Continue twice weekly for four more weeks.',
      'Treating therapist: Tomás Ó Briain',
      "Physician's certification of the plan of care",
    ])
      expect(text).toContain(words);
  });

  it('says when an outcome change falls short of the MCID, and when nothing was measured', async () => {
    const small: StoredChartNote = { ...progress, measures: [lefs('2026-11-16', 35)] };
    const out = file('small.pdf');
    const few = [notes[0]!, { note: notes[1]!.note, body: small }];
    await drawProgressReport(
      { context, episode, savedByName: null, notes: few, comparisons: compareMeasures(few), visitsAttended: 0 },
      createWriteStream(out),
    );
    expect(flatText(out)).toContain('+5 points (better) not reached (MCID 9)');
    const none = file('none.pdf');
    await drawProgressReport(
      { context, episode: { ...episode, referral: null, goals: [] }, savedByName: null, notes: [], comparisons: [], visitsAttended: 0 },
      createWriteStream(none),
    );
    const text = flatText(none);
    for (const words of [
      'Referral none recorded (direct access)',
      'No goals are set on this episode.',
      'No measures were recorded in this episode.',
      'No assessment has been written in this episode yet.',
    ])
      expect(text).toContain(words);
  });
});
