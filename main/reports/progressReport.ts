import type { Writable } from 'node:stream';
import { ApiFailure, NOTE_TYPE_NAMES } from '../../shared/api/index.js';
import type { Note } from '../../shared/api/index.js';
import type { ProgressReportInput } from './printInputs.js';
import { BILLING_RULE_NAMES } from '../../shared/charting/billing.js';
import { BODY_REGION_NAMES } from '../../shared/charting/common.js';
import { measureLine, measureSeries, outcomeChange, signedChange } from '../../shared/charting/measureWords.js';
import { StoredEpisode } from '../../shared/ledger/kinds/notes.js';
import type { StoredChartNote, StoredMeasure } from '../../shared/ledger/kinds/notes.js';
import { wallClock } from '../../shared/time.js';
import type { Db } from '../store/db.js';
import { readNotes } from '../services/notes.js';
import { writeAtomic } from '../store/atomicFile.js';
import { visitsOfPatients } from '../views/care.js';
import { episodesOfPatient } from '../views/notes.js';
import { measuresTable, patientFacts, printContext, printFormat } from './clinicalPdf.js';
import type { PrintContext, PrintFormat } from './clinicalPdf.js';
import { GOAL_WORDS } from './notePdf.js';
import { ReportPdf } from './pdf.js';

/**
 * The progress report of an episode of care for the referring physician or the payer
 * (docs/architecture.md#printed-notes): the `progress.pdf` job. The referral, diagnoses, plan of
 * care and its certification period, the goals and their status, each measure at evaluation
 * against its latest value (outcome scores with their change and whether it reached the
 * instrument's MCID), the visits attended so far, the latest assessment and plan, and lines for
 * the therapist's and the physician's signatures.
 */

/** A signed note of the episode, opened, in the order of its day of service. */
interface EpisodeNote {
  readonly note: Note;
  readonly body: StoredChartNote;
}

/** One series of measures (docs/architecture.md#printed-notes): its first and its latest value. */
export interface MeasureComparison {
  readonly first: StoredMeasure;
  /** Null when it was measured once. */
  readonly latest: StoredMeasure | null;
}

export interface ProgressReportData {
  readonly context: PrintContext;
  readonly episode: StoredEpisode;
  readonly savedByName: string | null;
  readonly notes: readonly EpisodeNote[];
  readonly comparisons: readonly MeasureComparison[];
  /** Completed or checked-in visits from the episode's start to its end (or the report's day). */
  readonly visitsAttended: number;
}

/** Visit statuses that count as attended. */
const ATTENDED = new Set(['completed', 'checked_in']);

/** First and latest of each series, in the order the series first appear (notes by day of service, then signing). */
export function compareMeasures(notes: readonly EpisodeNote[]): MeasureComparison[] {
  const series = new Map<string, { first: StoredMeasure; latest: StoredMeasure | null }>();
  const all = notes.flatMap((n) => n.body.measures).map((m, i) => ({ m, i }));
  // Stable by date: measures of one day keep the notes' order.
  all.sort((a, b) => (a.m.date < b.m.date ? -1 : a.m.date > b.m.date ? 1 : a.i - b.i));
  for (const { m } of all) {
    const key = measureSeries(m);
    const found = series.get(key);
    if (found) found.latest = m;
    else series.set(key, { first: m, latest: null });
  }
  return [...series.values()];
}

/** The episode and its notes, read from the views; refuses an unknown episode and one this computer cannot open. */
export function progressReportData(db: Db, input: ProgressReportInput, madeAt: number): ProgressReportData {
  const context = printContext(db, input.patientId, madeAt, 'progress report');
  const row = episodesOfPatient(db, input.patientId, input.episodeId)[0];
  if (!row) throw new ApiFailure('not_found', 'There is no such episode of care for this patient.');
  const parsed = StoredEpisode.safeParse(JSON.parse(row.body));
  if (!parsed.success) throw new ApiFailure('forbidden', 'This computer cannot open this episode of care, so it cannot print its progress report.');
  const episode = parsed.data;
  const notes = readNotes(db, input.patientId)
    .flatMap((note) => (note.body?.episodeId === episode.episode ? [{ note, body: note.body }] : []))
    .sort((a, b) => (a.body.date < b.body.date ? -1 : a.body.date > b.body.date ? 1 : a.note.at - b.note.at));
  const until = episode.end ?? wallClock(madeAt, context.timeZone).date;
  const visitsAttended = visitsOfPatients(db, [input.patientId]).filter((v) => {
    const day = wallClock(v.start, context.timeZone).date;
    return ATTENDED.has(v.status) && day >= episode.start && day <= until;
  }).length;
  return { context, episode, savedByName: row.savedByName, notes, comparisons: compareMeasures(notes), visitsAttended };
}

function comparisonRow(c: MeasureComparison, f: PrintFormat): string[] {
  const first = measureLine(c.first);
  const at = (m: StoredMeasure, value: string) => `${value} (${f.day(m.date)})`;
  if (!c.latest) return [first.what, first.side, at(c.first, first.value), 'not measured again', '', ''];
  const latest = measureLine(c.latest);
  let change = '';
  let mcid = '';
  const a = c.first;
  const b = c.latest;
  if (a.kind === 'pain' && b.kind === 'pain') change = `${signedChange(b.value - a.value)} points`;
  else if (a.kind === 'rom' && b.kind === 'rom') change = `${signedChange(b.degrees - a.degrees)}°; ${latest.comment.replace(/^normal [^;]*; /, '')}`;
  else if (a.kind === 'mmt' && b.kind === 'mmt') change = a.grade === b.grade ? 'unchanged' : `${a.grade} → ${b.grade}`;
  else if (a.kind === 'outcome' && b.kind === 'outcome') {
    const o = outcomeChange(a, b);
    change = `${signedChange(o.change)}${b.unit === '%' ? ' percentage points' : ' points'} (${o.improved ? 'better' : o.change === 0 ? 'unchanged' : 'worse'})`;
    mcid = o.mcidReached ? `reached (MCID ${String(o.mcid)})` : `not reached (MCID ${String(o.mcid)})`;
  }
  return [first.what, first.side, at(a, first.value), at(b, latest.value), change, mcid];
}

/** The latest text of one of these sections among the episode's notes, with the note it is from. */
function latestSection(
  notes: readonly EpisodeNote[],
  keys: readonly (keyof StoredChartNote['sections'])[],
): { text: string; note: EpisodeNote } | null {
  for (let i = notes.length - 1; i >= 0; i--) {
    const n = notes[i];
    if (!n) continue;
    for (const key of keys) {
      const text = n.body.sections[key];
      if (text !== undefined && text.trim() !== '') return { text, note: n };
    }
  }
  return null;
}

/** Draws the report into `sink`; resolves when the last byte is written. */
export async function drawProgressReport(data: ProgressReportData, sink: Writable, signal?: AbortSignal): Promise<void> {
  const { context: c, episode: e } = data;
  const f = printFormat(c);
  const pdf = new ReportPdf(sink, {
    title: 'Physical therapy progress report',
    subtitle: `${c.clinicName} · ${c.patient.name} · ${f.day(e.start)} to ${e.end ? f.day(e.end) : f.day(wallClock(c.madeAt, c.timeZone).date)}`,
    footer: `${c.clinicName} · progress report for ${c.patient.name} · printed ${f.time(c.madeAt)}`,
  });
  try {
    signal?.throwIfAborted();
    const planned = e.plan.visitsPerWeek * e.plan.weeks;
    pdf.facts([
      ...patientFacts(c, f),
      ['Referral', e.referral ? `${e.referral.provider}${e.referral.date ? `, ${f.day(e.referral.date)}` : ''}` : 'none recorded (direct access)'],
      ['Body region', BODY_REGION_NAMES[e.bodyRegion]],
      ['Episode of care', `from ${f.day(e.start)}${e.end ? ` to ${f.day(e.end)} (discharged)` : ', ongoing'}`],
      ['Payer', `${e.payer.name.trim() === '' ? 'not recorded' : e.payer.name}; units counted by the ${BILLING_RULE_NAMES[e.payer.rule]}`],
    ]);

    pdf.heading('Diagnoses (ICD-10-CM)');
    const dx = pdf.table([
      { header: 'Code', share: 1 },
      { header: 'Diagnosis', share: 6 },
    ]);
    for (const d of e.diagnoses) dx.row([d.code, d.text]);

    pdf.heading('Plan of care');
    pdf.facts([
      [
        'Frequency and duration',
        `${String(e.plan.visitsPerWeek)} visit${e.plan.visitsPerWeek === 1 ? '' : 's'} a week for ${String(e.plan.weeks)} week${e.plan.weeks === 1 ? '' : 's'} (${String(planned)} visits planned)`,
      ],
      ['Certification period', `${f.day(e.plan.certFrom)} to ${f.day(e.plan.certTo)}`],
      ['Visits attended so far', `${String(data.visitsAttended)} (completed or checked in since ${f.day(e.start)})`],
      ['Notes signed in this episode', String(data.notes.length)],
    ]);

    pdf.heading('Goals');
    if (e.goals.length === 0) pdf.paragraph('No goals are set on this episode.');
    else {
      const goals = pdf.table([
        { header: 'Term', share: 1 },
        { header: 'Goal', share: 4 },
        { header: 'Measurable target', share: 3 },
        { header: 'By', share: 1.5 },
        { header: 'Status', share: 1.3 },
      ]);
      for (const g of e.goals) goals.row([g.term === 'short' ? 'Short' : 'Long', g.text, g.target, f.day(g.targetDate), GOAL_WORDS[g.status]]);
    }

    signal?.throwIfAborted();
    pdf.heading('Measures: at evaluation and latest');
    if (data.comparisons.length === 0) pdf.paragraph('No measures were recorded in this episode.');
    else {
      pdf.paragraph(
        'Each measure as first recorded in this episode and as last recorded. An outcome score’s change is compared with the instrument’s minimal clinically important difference (MCID): “reached” means the patient improved by at least that much.',
      );
      const table = pdf.table([
        { header: 'Measure', share: 3 },
        { header: 'Side', share: 1.1 },
        { header: 'At evaluation', share: 2 },
        { header: 'Latest', share: 2 },
        { header: 'Change', share: 2.4 },
        { header: 'MCID', share: 1.8 },
      ]);
      for (const comparison of data.comparisons) table.row(comparisonRow(comparison, f));
      const latest = data.notes.at(-1);
      if (latest && latest.body.measures.length > 0) {
        pdf.heading(`Latest measures (${NOTE_TYPE_NAMES[latest.body.type].toLowerCase()}, ${f.day(latest.body.date)})`);
        measuresTable(pdf, latest.body.measures, f);
      }
    }

    const assessment = latestSection(data.notes, ['assessment']);
    const plan = latestSection(data.notes, ['plan', 'dischargePlan']);
    const from = (n: EpisodeNote) =>
      `${NOTE_TYPE_NAMES[n.body.type]} of ${f.day(n.body.date)}, ${n.note.authorName ?? 'a staff member not known here'}`;
    pdf.heading('Latest assessment');
    pdf.paragraph(assessment ? `${assessment.text}\n(${from(assessment.note)})` : 'No assessment has been written in this episode yet.');
    pdf.heading('Plan');
    pdf.paragraph(plan ? `${plan.text}\n(${from(plan.note)})` : 'No plan has been written in this episode yet.');

    pdf.heading('Signatures');
    pdf.paragraph(
      `Treating therapist: ${data.savedByName ?? ''}\n\nSignature: ______________________________    Date: ______________\n\n` +
        `Physician's certification of the plan of care (${f.day(e.plan.certFrom)} to ${f.day(e.plan.certTo)}):\n\n` +
        'Name: ______________________________    Signature: ______________________________    Date: ______________',
    );
    pdf.paragraph(`Made from ${c.clinicName}'s signed record; each note it cites is a signed entry that is never changed.`);
  } catch (error) {
    // Finish the document so its stream closes; the caller discards the file.
    await pdf.end().catch(() => undefined);
    throw error;
  }
  await pdf.end();
}

/** The report of `input` written to `out` through a `.partial-*` file renamed once complete (main/store/atomicFile.ts). */
export async function writeProgressReport(
  db: Db,
  input: ProgressReportInput,
  out: string,
  opts: { readonly now: number; readonly signal?: AbortSignal },
): Promise<void> {
  const data = progressReportData(db, input, opts.now);
  await writeAtomic(out, (target) => drawProgressReport(data, target.stream, opts.signal), opts.signal);
}
