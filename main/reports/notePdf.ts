import type { Writable } from 'node:stream';
import { ApiFailure, NOTE_TYPE_NAMES } from '../../shared/api/index.js';
import type { Note } from '../../shared/api/index.js';
import type { NotePdfInput } from './printInputs.js';
import { BILLING_RULE_NAMES, cptCode } from '../../shared/charting/billing.js';
import { NOTE_TEMPLATES, SECTION_LABELS } from '../../shared/charting/note.js';
import { NOTE_SECTIONS } from '../../shared/ledger/kinds/notes.js';
import type { StoredEpisode } from '../../shared/ledger/kinds/notes.js';
import type { Db } from '../store/db.js';
import { findEpisode, readNotes } from '../services/notes.js';
import { writeAtomic } from '../store/atomicFile.js';
import { measuresTable, patientFacts, printContext, printFormat } from './clinicalPdf.js';
import type { PrintContext } from './clinicalPdf.js';
import { ReportPdf } from './pdf.js';

/**
 * A signed note on paper (docs/architecture.md#printed-notes): the `note.pdf` job. Everything the
 * signed entry holds, in the note type's section order, with the measures, the billing as signed,
 * the co-signature and the addenda, and a line saying it is a copy of the signed entry, named by
 * its hash, so whoever reads the paper can ask for the entry it copies.
 */

export interface NotePdfData {
  readonly context: PrintContext;
  readonly note: Note;
  /** The episode the note belongs to, as it now stands (null: none, or not known here). */
  readonly episode: StoredEpisode | null;
}

/** The note to print, read from the views; refuses an unknown note and one this computer cannot open. */
export function notePdfData(db: Db, input: NotePdfInput, madeAt: number): NotePdfData {
  const context = printContext(db, input.patientId, madeAt, 'note');
  const note = readNotes(db, input.patientId, input.note)[0];
  if (!note) throw new ApiFailure('not_found', 'There is no such note for this patient.');
  if (!note.body) throw new ApiFailure('forbidden', 'This computer cannot open this note, so it cannot print it.');
  const episode = note.body.episodeId === null ? null : findEpisode(db, input.patientId, note.body.episodeId);
  return { context, note, episode };
}

const ROLE_WORDS: Readonly<Record<string, string>> = { therapist: 'physical therapist', assistant: 'physical therapist assistant' };

/** Draws the note into `sink`; resolves when the last byte is written. */
export async function drawNotePdf(data: NotePdfData, sink: Writable, signal?: AbortSignal): Promise<void> {
  const { context: c, note, episode } = data;
  const body = note.body;
  if (!body) throw new ApiFailure('forbidden', 'This computer cannot open this note, so it cannot print it.');
  const f = printFormat(c);
  const typeName = NOTE_TYPE_NAMES[body.type];
  const pdf = new ReportPdf(sink, {
    title: typeName,
    subtitle: `${c.clinicName} · ${c.patient.name} · ${f.day(body.date)}`,
    footer: `${c.clinicName} · ${typeName.charAt(0).toLowerCase() + typeName.slice(1)} for ${c.patient.name}, ${f.day(body.date)} · printed ${f.time(c.madeAt)}`,
  });
  try {
    signal?.throwIfAborted();
    const author = note.authorName ?? 'a staff member not known here';
    const role = note.authorRole ? ` (${ROLE_WORDS[note.authorRole] ?? note.authorRole})` : '';
    let cosign = 'not needed (written by a therapist)';
    if (note.cosignedBy !== null || note.cosignedAt !== null)
      cosign = `${note.cosignedBy ?? 'a therapist not known here'}${note.cosignedAt === null ? '' : `, ${f.time(note.cosignedAt)}`}`;
    else if (note.awaitingCosign) cosign = 'awaiting a therapist’s co-signature';
    pdf.facts([
      ...patientFacts(c, f),
      ['Note', typeName],
      ['Day of service', f.day(body.date) + (note.visitStart === null ? '' : ` (visit at ${f.time(note.visitStart)})`)],
      ...(episode
        ? [
            ['Episode of care', `${episode.diagnoses.map((d) => `${d.code} ${d.text}`).join('; ')} (from ${f.day(episode.start)})`] as [
              string,
              string,
            ],
          ]
        : []),
      ['Signed by', `${author}${role}, ${f.time(note.at)}`],
      ['Co-signature', cosign],
    ]);

    // The type's template order first; any other section the note holds (a version-1 note) after it.
    const order = [...NOTE_TEMPLATES[body.type].map((s) => s.key), ...NOTE_SECTIONS];
    const seen = new Set<string>();
    const label = (key: (typeof NOTE_SECTIONS)[number]) => NOTE_TEMPLATES[body.type].find((s) => s.key === key)?.label ?? SECTION_LABELS[key];
    for (const key of order) {
      if (seen.has(key)) continue;
      seen.add(key);
      const text = body.sections[key];
      if (text === undefined || text.trim() === '') continue;
      pdf.heading(label(key));
      pdf.paragraph(text);
    }

    signal?.throwIfAborted();
    if (body.measures.length > 0) {
      pdf.heading('Measures');
      measuresTable(pdf, body.measures, f);
    }

    if (body.goals.length > 0 && episode) {
      pdf.heading('Goals');
      const table = pdf.table([
        { header: 'Goal', share: 5 },
        { header: 'Target', share: 3 },
        { header: 'Status as of this note', share: 2 },
      ]);
      for (const g of body.goals) {
        const goal = episode.goals.find((e) => e.id === g.goal);
        table.row([goal?.text ?? 'a goal no longer in the episode', goal?.target ?? '', GOAL_WORDS[g.status]]);
      }
    }

    if (body.billing) {
      const b = body.billing;
      pdf.heading('Billing');
      const table = pdf.table([
        { header: 'Code', share: 1.2 },
        { header: 'Service', share: 5 },
        { header: 'Timed', share: 1 },
        { header: 'Minutes', share: 1.2, align: 'right' },
        { header: 'Units', share: 1, align: 'right' },
      ]);
      for (const line of b.lines)
        table.row([line.code, cptCode(line.code)?.name ?? '', line.timed ? 'yes' : 'no', String(line.minutes), String(line.units)]);
      pdf.facts([
        ['Rule', BILLING_RULE_NAMES[b.rule]],
        ['Total timed minutes', String(b.totalTimedMinutes)],
        ['Total units', String(b.totalUnits)],
      ]);
    }

    if (note.addenda.length > 0) {
      pdf.heading('Addenda');
      for (const a of note.addenda)
        pdf.paragraph(`${f.time(a.at)}, ${a.byName ?? 'a staff member not known here'}: ${a.text ?? '(this computer cannot open this addendum)'}`);
    }

    pdf.heading('About this copy');
    pdf.paragraph(
      `This is a copy of a signed entry of ${c.clinicName}'s record, entry ${note.hash}. ` +
        'A signed note is never changed: corrections and later additions are the addenda printed above.',
    );
  } catch (error) {
    // Finish the document so its stream closes; the caller discards the file.
    await pdf.end().catch(() => undefined);
    throw error;
  }
  await pdf.end();
}

export const GOAL_WORDS = { progressing: 'progressing', met: 'met', not_met: 'not met', discontinued: 'discontinued' } as const;

/** The note of `input` written to `out` through a `.partial-*` file renamed once complete (main/store/atomicFile.ts). */
export async function writeNotePdf(
  db: Db,
  input: NotePdfInput,
  out: string,
  opts: { readonly now: number; readonly signal?: AbortSignal },
): Promise<void> {
  const data = notePdfData(db, input, opts.now);
  await writeAtomic(out, (target) => drawNotePdf(data, target.stream, opts.signal), opts.signal);
}
