import { afterEach, describe, expect, it } from 'vitest';
import { EpisodeInput, NoteBody, NoteDraft } from '../../../../shared/api/index.js';
import type { Appointment, Note } from '../../../../shared/api/index.js';
import type { StoredChartNote, StoredEpisode } from '../../../../shared/ledger/kinds/notes.js';
import { setClinicLocale } from '../../format.js';
import { newEpisodeFields, toEpisodeInput, withPlanDefaults } from './episodeModel.js';
import {
  carryForward,
  certToDefault,
  defaultVisit,
  emptyNote,
  fromDraft,
  hasContent,
  issuesByField,
  newMeasure,
  outcomeLine,
  previousNote,
  recertification,
  sortedEpisodes,
  toDraft,
  toNoteInput,
  unitsPreview,
} from './model.js';
import type { NoteFormState } from './model.js';
import { recertInWords } from './RecertReminder.js';

afterEach(() => setClinicLocale('en-GB'));

const EP = 'e'.repeat(32);
const VISIT = 'a'.repeat(32);

const episode = (over: Partial<StoredEpisode> = {}): StoredEpisode => ({
  episode: EP,
  referral: null,
  diagnoses: [{ code: 'M25.561', text: 'Pain in right knee' }],
  bodyRegion: 'knee',
  start: '2026-11-02',
  end: null,
  plan: { visitsPerWeek: 2, weeks: 6, certFrom: '2026-11-02', certTo: '2026-12-14' },
  payer: { name: 'Medicare', rule: 'cms8' },
  goals: [],
  ...over,
});

const note = (hash: string, body: Partial<StoredChartNote> | null): Note => ({
  hash,
  at: 0,
  authorName: 'Priya Raman',
  authorRole: 'therapist',
  readable: body !== null,
  body:
    body === null
      ? null
      : {
          v: 2,
          type: 'daily',
          appointmentId: null,
          episodeId: EP,
          date: '2026-11-20',
          sections: { subjective: 'x' },
          measures: [],
          goals: [],
          billing: null,
          ...body,
        },
  visitStart: null,
  awaitingCosign: false,
  cosignedBy: null,
  cosignedAt: null,
  addenda: [],
});

const written: NoteFormState = {
  ...emptyNote('daily', VISIT, EP),
  sections: { subjective: 'Knee better on stairs.', history: 'typed under the evaluation template' },
  measures: [
    { kind: 'pain', side: 'none', site: 'knee', value: '4' },
    { kind: 'outcome', instrument: 'lefs', side: 'none', items: [4, 3, ...Array<null>(18).fill(null)] },
  ],
  interventions: [
    { code: '97110', minutes: '23' },
    { code: '97140', minutes: '' },
  ],
};

describe('the note form as a draft', () => {
  it('keeps everything typed, half-typed numbers included, and reads it back as it was', () => {
    const draft = toDraft(written);
    expect(NoteDraft.parse(draft)).toEqual(draft);
    expect(draft.interventions).toEqual([
      { code: '97110', minutes: 23 },
      { code: '97140', minutes: null },
    ]);
    const back = fromDraft(draft);
    expect(back.measures).toEqual(written.measures);
    expect(back.sections).toEqual(written.sections);
    expect(back.interventions).toEqual([
      { code: '97110', minutes: '23' },
      { code: '97140', minutes: '' },
    ]);
  });

  it('drops a draft measure it cannot read and fills a questionnaire to its number of items', () => {
    const back = fromDraft({
      ...toDraft(emptyNote('daily', null, null)),
      measures: [{ kind: 'gait' }, { kind: 'outcome', instrument: 'quickdash', items: [1, 2] }],
    });
    expect(back.measures).toHaveLength(1);
    const [outcome] = back.measures;
    expect(outcome?.kind === 'outcome' ? outcome.items : []).toEqual([1, 2, ...Array<null>(9).fill(null)]);
  });

  it('tells an empty form from one worth keeping', () => {
    expect(hasContent(emptyNote('daily', null, EP))).toBe(false);
    expect(hasContent({ ...emptyNote('daily', null, EP), sections: { subjective: '  ' } })).toBe(false);
    expect(hasContent(written)).toBe(true);
  });
});

describe('the note form as the note to sign', () => {
  it('signs only the note type’s sections, with numbers, and the schema accepts it', () => {
    const input = toNoteInput({ ...written, interventions: [{ code: '97110', minutes: '23' }] });
    expect(input.sections).toEqual({ subjective: 'Knee better on stairs.' });
    const parsed = NoteBody.safeParse({ ...input, measures: input.measures.slice(0, 1) });
    expect(parsed.success).toBe(true);
  });

  it('names the field of each problem: a pain of 12, a blank pain, an unchosen code, a questionnaire with too many blanks', () => {
    const bad = toNoteInput({
      ...written,
      measures: [{ kind: 'pain', side: 'none', site: '', value: '12' }, { kind: 'pain', side: 'none', site: '', value: '' }, newMeasure('outcome')],
      interventions: [{ code: '', minutes: '10' }],
    });
    const parsed = NoteBody.safeParse(bad);
    expect(parsed.success).toBe(false);
    const errors = issuesByField(parsed.success ? [] : parsed.error.issues);
    expect(errors['measures.0.value']).toBe('Pain is at most 10.');
    expect(errors['measures.1.value']).toBe('Pain must be a number from 0 to 10.');
    expect(errors['measures.2.items']).toMatch(/^Lower Extremity Functional Scale/);
    expect(errors['interventions.0.code']).toBe('Choose a CPT code from the list.');
  });

  it('puts a problem of the whole note under "form"', () => {
    const parsed = NoteBody.safeParse(toNoteInput(emptyNote('daily', null, EP)));
    expect(issuesByField(parsed.success ? [] : parsed.error.issues)).toEqual({ form: 'Write at least one section of the note before signing it.' });
  });

  it('sends goal statuses only with a progress note or a discharge summary', () => {
    const goals = [{ goal: 'f'.repeat(32), status: 'met' as const }];
    expect(toNoteInput({ ...written, goals }).goals).toEqual([]);
    expect(toNoteInput({ ...written, type: 'progress', goals }).goals).toEqual(goals);
  });
});

describe('carry-forward', () => {
  it('starts from the newest readable note of the same episode that has measures', () => {
    const notes = [
      note('1', { episodeId: 'd'.repeat(32), measures: [{ kind: 'pain', date: '2026-11-25', side: 'none', site: '', value: 2, unit: 'NPRS' }] }),
      note('2', null),
      note('3', { measures: [] }),
      note('4', { measures: [{ kind: 'pain', date: '2026-11-20', side: 'left', site: 'knee', value: 5, unit: 'NPRS' }] }),
      note('5', { measures: [{ kind: 'pain', date: '2026-11-10', side: 'none', site: '', value: 7, unit: 'NPRS' }] }),
    ];
    expect(previousNote(notes, EP)?.hash).toBe('4');
    expect(previousNote(notes, null)).toBeNull();
  });

  it('copies values, sides and questionnaire answers, not dates', () => {
    const rows = carryForward([
      { kind: 'pain', date: '2026-11-20', side: 'left', site: 'knee', value: 5, unit: 'NPRS' },
      { kind: 'rom', date: '2026-11-20', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: 95, unit: 'deg' },
      { kind: 'mmt', date: '2026-11-20', muscle: 'quadriceps', side: 'right', grade: '4-', unit: 'grade' },
      { kind: 'outcome', date: '2026-11-20', instrument: 'odi', side: 'none', items: [1, 2, 3, 0, 1, 2, 3, 0, 1, null], score: 28.9, unit: '%' },
    ]);
    expect(rows).toEqual([
      { kind: 'pain', side: 'left', site: 'knee', value: '5' },
      { kind: 'rom', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: '95' },
      { kind: 'mmt', muscle: 'quadriceps', side: 'right', grade: '4-' },
      { kind: 'outcome', instrument: 'odi', side: 'none', items: [1, 2, 3, 0, 1, 2, 3, 0, 1, null] },
    ]);
    expect(JSON.stringify(rows)).not.toContain('2026-11-20');
  });
});

describe('episodes', () => {
  it('lists open episodes first, then the newest', () => {
    const e = (id: string, start: string, end: string | null) => ({
      hash: id,
      at: 0,
      savedByName: null,
      readable: true,
      episode: episode({ episode: id.repeat(32), start, end }),
    });
    const sorted = sortedEpisodes([e('1', '2026-01-01', '2026-02-01'), e('2', '2026-11-01', null), e('3', '2026-06-01', '2026-07-01')]);
    expect(sorted.map((x) => x.episode[0])).toEqual(['2', '3', '1']);
  });

  it('certifies the plan for its weeks from the start', () => {
    expect(certToDefault('2026-12-01', 6)).toBe('2027-01-12');
    expect(certToDefault('not a day', 6)).toBeNull();
    expect(certToDefault('2026-12-01', 0)).toBeNull();
  });

  it('reminds of re-certification within 7 days, on the day and when overdue, only while the episode is open', () => {
    const e = episode({ plan: { visitsPerWeek: 2, weeks: 6, certFrom: '2026-11-02', certTo: '2026-12-07' } });
    expect(recertification(e, '2026-11-29')).toBeNull();
    expect(recertification(e, '2026-11-30')).toEqual({ daysLeft: 7, certTo: '2026-12-07' });
    expect(recertification(e, '2026-12-09')).toEqual({ daysLeft: -2, certTo: '2026-12-07' });
    expect(recertification({ ...e, end: '2026-12-01' }, '2026-12-09')).toBeNull();
    setClinicLocale('en-GB');
    expect(recertInWords(e, '2026-12-04')).toBe('Re-certification is due in 3 days: the plan of care is certified until 07/12/2026.');
    expect(recertInWords(e, '2026-12-07')).toBe('Re-certification is due today: the plan of care is certified until 07/12/2026.');
    expect(recertInWords(e, '2026-12-08')).toMatch(/^Re-certification is overdue/);
  });

  it('turns typed fields into an episode the schema accepts, following start and weeks until the period is typed by hand', () => {
    setClinicLocale('en-GB');
    const fields = newEpisodeFields('2026-12-01');
    expect(fields.start).toBe('01/12/2026');
    expect(fields.certTo).toBe('12/01/2027');
    const longer = withPlanDefaults({ ...fields, weeks: '8' });
    expect(longer.certTo).toBe('26/01/2027');
    const byHand = withPlanDefaults({ ...longer, certTo: '31/01/2027', certByHand: true, weeks: '4' });
    expect(byHand.certTo).toBe('31/01/2027');
    const input = toEpisodeInput({
      ...longer,
      bodyRegion: 'knee',
      diagnoses: [{ code: 'm25.561', text: 'Pain in right knee' }],
      goals: [{ term: 'short', text: 'Climb stairs', target: 'one flight without rail', targetDate: '15/12/2026', status: 'progressing' }],
    });
    const parsed = EpisodeInput.parse(input);
    expect(parsed.referral).toBeNull();
    expect(parsed.diagnoses[0]?.code).toBe('M25.561');
    expect(parsed.plan).toEqual({ visitsPerWeek: 2, weeks: 8, certFrom: '2026-12-01', certTo: '2027-01-26' });
    expect(parsed.goals[0]?.targetDate).toBe('2026-12-15');
  });
});

describe('previews', () => {
  it('previews the units under the episode’s rule, leaving out unfinished lines', () => {
    const lines = [
      { code: '97110', minutes: '10' },
      { code: '97140', minutes: '10' },
      { code: '', minutes: '30' },
      { code: '97530', minutes: 'x' },
    ];
    // Twenty timed minutes in all: one unit by the CMS rule, two by the rule of eights.
    expect(unitsPreview(lines, 'cms8')?.totalUnits).toBe(1);
    expect(unitsPreview(lines, 'eights')?.totalUnits).toBe(2);
    expect(unitsPreview([{ code: '', minutes: '' }], 'cms8')).toBeNull();
  });

  it('scores a questionnaire live, or says what keeps it from a score', () => {
    expect(outcomeLine('lefs', Array<number>(20).fill(3))).toEqual({ ok: true, text: 'Score 60 of 80 (20 of 20 answered)' });
    const line = outcomeLine('lefs', [3, ...Array<null>(19).fill(null)]);
    expect(line.ok).toBe(false);
    expect(line.text).toMatch(/^1 of 20 answered: /);
  });
});

describe('the default visit', () => {
  const visit = (id: string, start: number, status = 'booked') => ({ appointmentId: id.repeat(32), start, status }) as Appointment;
  const today = Date.UTC(2026, 11, 1, 9);
  it('is today’s visit, even later today, else the latest past one; never one that did not happen', () => {
    const past = visit('1', today - 86_400_000 * 3);
    expect(defaultVisit([past, visit('2', today + 3_600_000)], '2026-12-01', 'UTC', today)).toBe('2'.repeat(32));
    expect(defaultVisit([past, visit('2', today, 'cancelled'), visit('3', today + 86_400_000 * 2)], '2026-12-01', 'UTC', today)).toBe('1'.repeat(32));
    expect(defaultVisit([], '2026-12-01', 'UTC', today)).toBeNull();
    // Of two visits today, the first without a signed note.
    const second = visit('4', today + 7_200_000);
    expect(defaultVisit([visit('2', today), second], '2026-12-01', 'UTC', today, new Set(['2'.repeat(32)]))).toBe('4'.repeat(32));
    expect(defaultVisit([visit('2', today), second], '2026-12-01', 'UTC', today, new Set(['2'.repeat(32), '4'.repeat(32)]))).toBe('2'.repeat(32));
  });
});
