import type { StoredMeasure } from '../ledger/kinds/notes.js';
import { SIDE_NAMES } from './common.js';
import { MUSCLE_GROUPS } from './mmt.js';
import { INSTRUMENTS } from './outcomes.js';
import { assessRom, romNormal } from './rom.js';

/**
 * A structured measure in words, as the printed note, the progress report and the co-signature
 * queue show it (docs/architecture.md#printed-notes): what was measured, the side, the value with
 * its unit, and how it compares (a range of motion against its normal range, an outcome score's
 * items answered). Pure, so paper and screen say the same.
 */
export interface MeasureLine {
  readonly what: string;
  readonly side: string;
  readonly value: string;
  /** Against the normal range, or how the score was made; '' when there is nothing to add. */
  readonly comment: string;
}

const muscleName = (key: string): string => MUSCLE_GROUPS.find((m) => m.key === key)?.name ?? key.replaceAll('_', ' ');

/** "Knee flexion" for a ROM measure (the table's names; the keys when the table does not know them). */
export function romName(joint: string, motion: string): string {
  const normal = romNormal(joint, motion);
  return normal ? `${normal.jointName} ${normal.motionName.toLowerCase()}` : `${joint.replaceAll('_', ' ')} ${motion.replaceAll('_', ' ')}`;
}

/** An outcome score with its unit: "42 points", "31.8%". */
export function scoreText(score: number, unit: 'points' | '%'): string {
  const n = Number.isInteger(score) ? String(score) : score.toFixed(1);
  return unit === '%' ? `${n}%` : `${n} points`;
}

export function measureLine(m: StoredMeasure): MeasureLine {
  const side = SIDE_NAMES[m.side];
  switch (m.kind) {
    case 'pain':
      return { what: m.site ? `Pain (NPRS), ${m.site}` : 'Pain (NPRS)', side, value: `${String(m.value)}/10`, comment: '' };
    case 'rom': {
      const a = assessRom(m.joint, m.motion, m.degrees);
      const comment = a
        ? `normal 0–${String(a.normal)}°; ${a.limited ? `limited (${String(a.deficit)}° short)` : 'within normal range'}`
        : 'no normal range in the table';
      return { what: `${romName(m.joint, m.motion)} (${m.mode === 'active' ? 'AROM' : 'PROM'})`, side, value: `${String(m.degrees)}°`, comment };
    }
    case 'mmt':
      return { what: `Strength (MMT), ${muscleName(m.muscle)}`, side, value: `${m.grade}/5`, comment: '' };
    case 'outcome': {
      const spec = INSTRUMENTS[m.instrument];
      const answered = m.items.filter((i) => i !== null).length;
      const direction = spec.higherIsBetter ? 'higher is better' : 'lower is better';
      return {
        what: spec.name,
        side,
        value: scoreText(m.score, m.unit),
        comment: `${String(answered)} of ${String(m.items.length)} items answered; ${direction}`,
      };
    }
  }
}

/**
 * What makes two measures the same series over an episode (a progress report compares the first
 * with the latest): pain at one site and side, one motion of one joint on one side in one mode,
 * one muscle on one side, one instrument.
 */
export function measureSeries(m: StoredMeasure): string {
  switch (m.kind) {
    case 'pain':
      return `pain:${m.site.trim().toLowerCase()}:${m.side}`;
    case 'rom':
      return `rom:${m.joint}:${m.motion}:${m.side}:${m.mode}`;
    case 'mmt':
      return `mmt:${m.muscle}:${m.side}`;
    case 'outcome':
      return `outcome:${m.instrument}`;
  }
}

/** An outcome score's change from `first` to `latest`, and whether the improvement reached the instrument's MCID. */
export function outcomeChange(
  first: Extract<StoredMeasure, { kind: 'outcome' }>,
  latest: Extract<StoredMeasure, { kind: 'outcome' }>,
): { change: number; improved: boolean; mcid: number; mcidReached: boolean } {
  const spec = INSTRUMENTS[latest.instrument];
  const change = Math.round((latest.score - first.score) * 10) / 10;
  const improvement = spec.higherIsBetter ? change : -change;
  return { change, improved: improvement > 0, mcid: spec.mcid, mcidReached: improvement >= spec.mcid };
}

/** A signed change: "+12", "−4.5", "0". */
export function signedChange(change: number): string {
  const n = Number.isInteger(change) ? String(Math.abs(change)) : Math.abs(change).toFixed(1);
  if (change > 0) return `+${n}`;
  if (change < 0) return `−${n}`;
  return '0';
}
