/**
 * Standardized outcome measures, scored exactly as published, missing-item rules included
 * (docs/architecture.md#outcome-measures): LEFS, Oswestry Disability Index, Neck Disability
 * Index, QuickDASH. Item responses are stored as charted; the score is computed here, by the same
 * function on every computer, and sealed into the signed note with the responses.
 */
export const OUTCOME_INSTRUMENTS = ['lefs', 'odi', 'ndi', 'quickdash'] as const;
export type OutcomeInstrument = (typeof OUTCOME_INSTRUMENTS)[number];

export interface InstrumentItem {
  /** Short label of the item (the form shows the published item's topic, not its full wording). */
  readonly label: string;
  /** The response options, lowest value first; option i is value `minResponse + i`. */
  readonly options: readonly string[];
}

export interface InstrumentSpec {
  readonly id: OutcomeInstrument;
  readonly name: string;
  readonly items: readonly InstrumentItem[];
  /** Value of the first response option (0 for LEFS, ODI, NDI; 1 for QuickDASH). */
  readonly minResponse: number;
  readonly maxResponse: number;
  /** The score's range and unit as published. */
  readonly scoreMin: number;
  readonly scoreMax: number;
  readonly unit: 'points' | '%';
  /** True when a higher score means better function (LEFS); false for disability indexes. */
  readonly higherIsBetter: boolean;
  /** Most items that may be left blank for the score to be valid. */
  readonly maxMissing: number;
  /** Minimal clinically important difference, in score units, and where it comes from. */
  readonly mcid: number;
  readonly mcidSource: string;
  /** The publication the scoring follows. */
  readonly scoringSource: string;
}

export type OutcomeScore = { readonly ok: true; readonly score: number; readonly answered: number } | { readonly ok: false; readonly reason: string };

/** Every instrument's published items, ranges, missing-item rule and MCID (filled in with its sources). */
export const INSTRUMENTS: Readonly<Record<OutcomeInstrument, InstrumentSpec>> = {} as Readonly<Record<OutcomeInstrument, InstrumentSpec>>;

/** Scores one administration; null items were left blank. */
export function scoreOutcome(instrument: OutcomeInstrument, items: readonly (number | null)[]): OutcomeScore {
  throw new Error(`scoring of ${instrument} (${String(items.length)} items) is being written`);
}
