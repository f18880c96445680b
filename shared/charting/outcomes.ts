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

const items = (labels: readonly string[], options: readonly string[]): InstrumentItem[] => labels.map((label) => ({ label, options }));

/** LEFS response options, 0–4 (Binkley et al. 1999). */
const LEFS_OPTIONS = [
  'Extreme difficulty or unable',
  'Quite a bit of difficulty',
  'Moderate difficulty',
  'A little bit of difficulty',
  'No difficulty',
];

/** The six statements of an ODI or NDI section, shortened to their degree (0 least, 5 most disability). */
const SECTION_OPTIONS = ['0 – no problem', '1 – slight', '2 – moderate', '3 – fairly severe', '4 – very severe', '5 – worst possible'];

const QD_DIFFICULTY = ['No difficulty', 'Mild difficulty', 'Moderate difficulty', 'Severe difficulty', 'Unable'];
const QD_SEVERITY = ['None', 'Mild', 'Moderate', 'Severe', 'Extreme'];

/**
 * Every instrument's published items, ranges, missing-item rule and MCID.
 *
 * - LEFS: Binkley JM, Stratford PW, Lott SA, Riddle DL. The Lower Extremity Functional Scale (LEFS):
 *   scale development, measurement properties, and clinical application. Phys Ther 1999;79(4):371–383.
 *   Score = sum of the 20 items (0–80). The paper scores only a complete form and gives no rule for
 *   blanks, and its MDC and MCID (9 points) are for complete forms, so no item may be blank.
 * - ODI: Fairbank JCT, Pynsent PB. The Oswestry Disability Index. Spine 2000;25(22):2940–2953
 *   (version 2.1a). Score = sum / (5 × sections answered) × 100 %: "for every question not
 *   answered, the denominator is reduced by 5". The paper sets no limit; we accept at most 2 blank
 *   sections (8 of 10 answered), the limit we also use for the NDI, which is built on the ODI.
 * - NDI: Vernon H, Mior S. The Neck Disability Index: a study of reliability and validity.
 *   J Manipulative Physiol Ther 1991;14(7):409–415. Raw 0–50, reported as % (× 2); blanks are
 *   handled as in the ODI it is adapted from: sum / (5 × items answered) × 100, at most 2 blank.
 * - QuickDASH: Beaton DE, Wright JG, Katz JN, et al. Development of the QuickDASH: comparison of
 *   three item-reduction approaches. J Bone Joint Surg Am 2005;87(5):1038–1046; scoring as published
 *   by the Institute for Work & Health: ((sum of n responses / n) − 1) × 25, n = items answered;
 *   not computed when more than 1 of the 11 items is blank.
 *
 * Rounding (ours; the publications print the formula, not a rounding rule): the percentage scores
 * (ODI, NDI, QuickDASH) to one decimal, half up, computed in whole numbers so every computer gets
 * the same digits; the LEFS is a whole number already.
 */
export const INSTRUMENTS: Readonly<Record<OutcomeInstrument, InstrumentSpec>> = {
  lefs: {
    id: 'lefs',
    name: 'Lower Extremity Functional Scale (LEFS)',
    items: items(
      [
        'Usual work, housework or school',
        'Usual hobbies, recreation or sport',
        'Getting into or out of the bath',
        'Walking between rooms',
        'Putting on shoes or socks',
        'Squatting',
        'Lifting an object from the floor',
        'Light activities around the home',
        'Heavy activities around the home',
        'Getting into or out of a car',
        'Walking 2 blocks',
        'Walking a mile',
        'Going up or down 10 stairs',
        'Standing for 1 hour',
        'Sitting for 1 hour',
        'Running on even ground',
        'Running on uneven ground',
        'Sharp turns while running fast',
        'Hopping',
        'Rolling over in bed',
      ],
      LEFS_OPTIONS,
    ),
    minResponse: 0,
    maxResponse: 4,
    scoreMin: 0,
    scoreMax: 80,
    unit: 'points',
    higherIsBetter: true,
    maxMissing: 0,
    mcid: 9,
    mcidSource: 'Binkley et al., Phys Ther 1999;79(4):371–383: MCID 9 scale points (90% CI).',
    scoringSource: 'Binkley et al., Phys Ther 1999;79(4):371–383: sum of 20 items scored 0–4 (0–80).',
  },
  odi: {
    id: 'odi',
    name: 'Oswestry Disability Index (ODI 2.1a)',
    items: items(
      ['Pain intensity', 'Personal care', 'Lifting', 'Walking', 'Sitting', 'Standing', 'Sleeping', 'Sex life', 'Social life', 'Travelling'],
      SECTION_OPTIONS,
    ),
    minResponse: 0,
    maxResponse: 5,
    scoreMin: 0,
    scoreMax: 100,
    unit: '%',
    higherIsBetter: false,
    maxMissing: 2,
    mcid: 10,
    mcidSource: 'Ostelo et al., Spine 2008;33(1):90–94 (international consensus): 10 points on the 0–100 scale.',
    scoringSource: 'Fairbank & Pynsent, Spine 2000;25(22):2940–2953: sum / (5 × sections answered) × 100.',
  },
  ndi: {
    id: 'ndi',
    name: 'Neck Disability Index (NDI)',
    items: items(
      ['Pain intensity', 'Personal care', 'Lifting', 'Reading', 'Headaches', 'Concentration', 'Work', 'Driving', 'Sleeping', 'Recreation'],
      SECTION_OPTIONS,
    ),
    minResponse: 0,
    maxResponse: 5,
    scoreMin: 0,
    scoreMax: 100,
    unit: '%',
    higherIsBetter: false,
    maxMissing: 2,
    mcid: 10,
    mcidSource:
      'Stratford et al., Physiother Can 1999;51:107–112: 5 of 50 raw points (10 percentage points), as reviewed by Vernon, J Manipulative Physiol Ther 2008;31:491–502.',
    scoringSource:
      'Vernon & Mior, J Manipulative Physiol Ther 1991;14(7):409–415: raw 0–50 as %; blanks as in the ODI: sum / (5 × items answered) × 100.',
  },
  quickdash: {
    id: 'quickdash',
    name: 'QuickDASH',
    items: [
      ...items(
        [
          'Open a tight or new jar',
          'Heavy household chores',
          'Carry a shopping bag or briefcase',
          'Wash your back',
          'Use a knife to cut food',
          'Recreation with force or impact through the arm',
        ],
        QD_DIFFICULTY,
      ),
      { label: 'Interference with social activities', options: ['Not at all', 'Slightly', 'Moderately', 'Quite a bit', 'Extremely'] },
      {
        label: 'Limited in work or daily activities',
        options: ['Not limited at all', 'Slightly limited', 'Moderately limited', 'Very limited', 'Unable'],
      },
      { label: 'Arm, shoulder or hand pain', options: QD_SEVERITY },
      { label: 'Tingling (pins and needles)', options: QD_SEVERITY },
      {
        label: 'Difficulty sleeping because of pain',
        options: ['No difficulty', 'Mild difficulty', 'Moderate difficulty', 'Severe difficulty', 'So much I can’t sleep'],
      },
    ],
    minResponse: 1,
    maxResponse: 5,
    scoreMin: 0,
    scoreMax: 100,
    unit: '%',
    higherIsBetter: false,
    maxMissing: 1,
    mcid: 15.9,
    mcidSource: 'Franchignoni et al., J Orthop Sports Phys Ther 2014;44(1):30–39: MCID 15.91 points.',
    scoringSource:
      'Beaton et al., J Bone Joint Surg Am 2005;87(5):1038–1046; Institute for Work & Health: ((sum / n) − 1) × 25, at most 1 item blank.',
  },
};

/** Short names for messages. */
const SHORT: Readonly<Record<OutcomeInstrument, string>> = { lefs: 'LEFS', odi: 'ODI', ndi: 'NDI', quickdash: 'QuickDASH' };

/** `numerator / denominator` to one decimal, half up, in whole-number arithmetic (both non-negative). */
function oneDecimal(numerator: number, denominator: number): number {
  return Math.floor((20 * numerator + denominator) / (2 * denominator)) / 10;
}

/** Scores one administration; null items were left blank. */
export function scoreOutcome(instrument: OutcomeInstrument, items: readonly (number | null)[]): OutcomeScore {
  const spec = INSTRUMENTS[instrument];
  const name = SHORT[instrument];
  if (items.length !== spec.items.length)
    return { ok: false, reason: `the ${name} has ${String(spec.items.length)} items, not ${String(items.length)}.` };
  let sum = 0;
  let answered = 0;
  for (const [i, value] of items.entries()) {
    if (value === null) continue;
    if (!Number.isInteger(value) || value < spec.minResponse || value > spec.maxResponse)
      return {
        ok: false,
        reason: `item ${String(i + 1)} is ${String(value)}; answers are whole numbers ${String(spec.minResponse)} to ${String(spec.maxResponse)}.`,
      };
    sum += value;
    answered += 1;
  }
  const blank = items.length - answered;
  if (blank > spec.maxMissing)
    return {
      ok: false,
      reason:
        spec.maxMissing === 0
          ? `${String(blank)} of ${String(items.length)} items are blank; the ${name} is scored only when every item is answered.`
          : `${String(blank)} of ${String(items.length)} items are blank; the ${name} can be scored with at most ${String(spec.maxMissing)} blank.`,
    };
  switch (instrument) {
    case 'lefs':
      // Binkley 1999: the sum of the 20 items.
      return { ok: true, score: sum, answered };
    case 'odi':
    case 'ndi':
      // sum / (5 × answered) × 100, i.e. sum × 20 / answered.
      return { ok: true, score: oneDecimal(sum * 20, answered), answered };
    case 'quickdash':
      // ((sum / n) − 1) × 25 = (sum − n) × 25 / n.
      return { ok: true, score: oneDecimal((sum - answered) * 25, answered), answered };
  }
}
