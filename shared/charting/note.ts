import type { NoteSection, StoredChartNote, StoredNoteBody } from '../ledger/kinds/notes.js';
import type { NOTE_TYPES } from '../ledger/kinds/notes.js';

type NoteType = (typeof NOTE_TYPES)[number];

export interface SectionTemplate {
  readonly key: NoteSection;
  readonly label: string;
  /** What the therapist is prompted to write. */
  readonly hint: string;
}

/**
 * The template of each note type (docs/architecture.md#note-types): the sections it shows, in
 * order. The initial evaluation documents history, systems review, tests and measures,
 * assessment, goals and plan; the daily note is SOAP; the progress note re-measures and updates
 * goals; the discharge summary states outcomes, goal status and the discharge plan.
 */
export const NOTE_TEMPLATES: Readonly<Record<NoteType, readonly SectionTemplate[]>> = {
  evaluation: [
    { key: 'history', label: 'History', hint: 'Mechanism of injury, onset, prior level of function, relevant medical history, medications.' },
    { key: 'systems', label: 'Systems review', hint: 'Cardiovascular/pulmonary, integumentary, musculoskeletal, neuromuscular, communication.' },
    { key: 'tests', label: 'Tests and measures', hint: 'Special tests, palpation, posture, gait; structured measures are recorded below.' },
    { key: 'assessment', label: 'Assessment', hint: 'Clinical impression, impairments, functional limitations, prognosis.' },
    { key: 'goals', label: 'Goals', hint: 'Short- and long-term goals are set on the episode; anything to add about them.' },
    { key: 'plan', label: 'Plan of care', hint: 'Interventions, frequency and duration, home exercise program.' },
  ],
  daily: [
    { key: 'subjective', label: 'Subjective', hint: 'What the patient reports since the last visit.' },
    { key: 'objective', label: 'Objective', hint: 'What was done and observed; measures are recorded below.' },
    { key: 'assessment', label: 'Assessment', hint: 'Response to treatment, progress toward goals.' },
    { key: 'plan', label: 'Plan', hint: 'Next visit, changes to the program.' },
  ],
  progress: [
    { key: 'subjective', label: 'Subjective', hint: 'What the patient reports about their progress.' },
    { key: 'objective', label: 'Objective', hint: 'Re-measurement; measures are recorded below.' },
    { key: 'assessment', label: 'Assessment', hint: 'Progress since the evaluation or last progress note.' },
    { key: 'goals', label: 'Progress toward goals', hint: 'Each goal’s status is set below; say why it changed.' },
    { key: 'plan', label: 'Plan', hint: 'Continue, modify or discharge; updated frequency and duration.' },
  ],
  discharge: [
    { key: 'outcomes', label: 'Outcomes', hint: 'Function at discharge compared with the evaluation; final measures below.' },
    { key: 'assessment', label: 'Assessment', hint: 'Reason for discharge and overall response to care.' },
    { key: 'goals', label: 'Goal status', hint: 'Each goal’s final status is set below.' },
    { key: 'dischargePlan', label: 'Discharge plan', hint: 'Home program, follow-up, referrals.' },
  ],
};

/** Every section's label, for notes whose sections are not their type's template (version 1 notes). */
export const SECTION_LABELS: Readonly<Record<NoteSection, string>> = {
  subjective: 'Subjective',
  history: 'History',
  systems: 'Systems review',
  objective: 'Objective',
  tests: 'Tests and measures',
  assessment: 'Assessment',
  goals: 'Goals',
  outcomes: 'Outcomes',
  plan: 'Plan',
  dischargePlan: 'Discharge plan',
};

/**
 * A stored note in the version-2 shape (docs/architecture.md#note-types). A version-1 note (SOAP
 * and pain now) becomes its four sections and, when pain was recorded, one pain measure on
 * `signedDay` (the clinic day it was signed), side 'none'; nothing else is invented.
 */
export function chartNote(body: StoredNoteBody, signedDay: string): StoredChartNote {
  if ('v' in body) return body;
  const sections: StoredChartNote['sections'] = {};
  for (const key of ['subjective', 'objective', 'assessment', 'plan'] as const) if (body[key] !== '') sections[key] = body[key];
  return {
    v: 2,
    type: body.type,
    appointmentId: body.appointmentId,
    episodeId: null,
    date: signedDay,
    sections,
    measures: body.pain === null ? [] : [{ kind: 'pain', date: signedDay, side: 'none', site: '', value: body.pain, unit: 'NPRS' }],
    goals: [],
    billing: null,
  };
}
