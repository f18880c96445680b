/**
 * Billing units for physical-therapy CPT codes (docs/architecture.md#billing-units).
 *
 * - `cms8`: the CMS 8-minute rule (Medicare Claims Processing Manual, Chapter 5, §20.2): the
 *   total minutes of all timed codes give the units (8–22 minutes one unit, 23–37 two, …), full
 *   15-minute units go to each code, and the units left go to the codes with the most minutes left.
 * - `eights`: the per-code "rule of eights" many commercial payers use (AMA CPT "substantial
 *   portion"): each timed code on its own, one unit per 15 minutes plus one for 8 or more left.
 *
 * Untimed (service-based) codes are one unit each, whatever their minutes.
 */
export const BILLING_RULES = ['cms8', 'eights'] as const;
export type BillingRule = (typeof BILLING_RULES)[number];
export const BILLING_RULE_NAMES: Readonly<Record<BillingRule, string>> = {
  cms8: 'CMS 8-minute rule (total timed minutes)',
  eights: 'Rule of eights (each code on its own)',
};

export interface CptCode {
  /** Five digits, or a HCPCS level II code such as G0283. */
  readonly code: string;
  /** Short descriptor as shown to staff. */
  readonly name: string;
  /** Timed codes are billed in 15-minute units; untimed codes once per visit. */
  readonly timed: boolean;
}

/** One intervention as charted: a code and its minutes of direct, one-on-one time. */
export interface Intervention {
  readonly code: string;
  readonly minutes: number;
}

export interface BilledLine {
  readonly code: string;
  readonly minutes: number;
  readonly timed: boolean;
  readonly units: number;
}

export interface Billing {
  readonly rule: BillingRule;
  readonly lines: readonly BilledLine[];
  readonly totalTimedMinutes: number;
  readonly totalUnits: number;
}

/** Where the codes, their descriptors and their timed/untimed status come from. */
export const CPT_SOURCE =
  'AMA CPT® descriptors (abbreviated); timed (“each 15 minutes”) or service-based status as in the CMS list of therapy codes (Medicare Claims Processing Manual, Ch. 5, §20) and HCPCS level II for G0283.';

/**
 * The CPT codes a PT clinic bills most, timed and untimed (CPT_SOURCE). A code is timed when its
 * CPT descriptor says "each 15 minutes"; evaluations, supervised modalities and group therapy are
 * service-based (one unit per visit).
 */
export const CPT_CODES: readonly CptCode[] = [
  // Timed: "each 15 minutes" of direct, one-on-one contact.
  { code: '97110', name: 'Therapeutic exercise', timed: true },
  { code: '97112', name: 'Neuromuscular re-education', timed: true },
  { code: '97113', name: 'Aquatic therapy with therapeutic exercise', timed: true },
  { code: '97116', name: 'Gait training', timed: true },
  { code: '97124', name: 'Massage', timed: true },
  { code: '97140', name: 'Manual therapy techniques', timed: true },
  { code: '97530', name: 'Therapeutic activities', timed: true },
  { code: '97535', name: 'Self-care/home management training', timed: true },
  { code: '97537', name: 'Community/work reintegration training', timed: true },
  { code: '97542', name: 'Wheelchair management training', timed: true },
  { code: '97032', name: 'Electrical stimulation, attended (manual)', timed: true },
  { code: '97033', name: 'Iontophoresis', timed: true },
  { code: '97035', name: 'Ultrasound', timed: true },
  { code: '97750', name: 'Physical performance test or measurement', timed: true },
  { code: '97760', name: 'Orthotic management and training, initial', timed: true },
  { code: '97761', name: 'Prosthetic training, initial', timed: true },
  // Untimed (service-based): one unit per visit whatever the minutes.
  { code: '97161', name: 'PT evaluation, low complexity', timed: false },
  { code: '97162', name: 'PT evaluation, moderate complexity', timed: false },
  { code: '97163', name: 'PT evaluation, high complexity', timed: false },
  { code: '97164', name: 'PT re-evaluation', timed: false },
  { code: '97010', name: 'Hot or cold packs', timed: false },
  { code: '97012', name: 'Mechanical traction', timed: false },
  { code: '97014', name: 'Electrical stimulation, unattended', timed: false },
  { code: 'G0283', name: 'Electrical stimulation, unattended (Medicare)', timed: false },
  { code: '97016', name: 'Vasopneumatic device', timed: false },
  { code: '97018', name: 'Paraffin bath', timed: false },
  { code: '97022', name: 'Whirlpool', timed: false },
  { code: '97026', name: 'Infrared', timed: false },
  { code: '97028', name: 'Ultraviolet', timed: false },
  { code: '97150', name: 'Therapeutic procedures, group (2 or more)', timed: false },
];

export function cptCode(code: string): CptCode | undefined {
  return CPT_CODES.find((c) => c.code === code);
}

/** Units for `minutes` of timed treatment: none below 8, one for 8–22, then one more each 15 (8–22, 23–37, 38–52, …). */
export function unitsForMinutes(minutes: number): number {
  return Math.floor(minutes / 15) + (minutes % 15 >= 8 ? 1 : 0);
}

/**
 * Units per code and in total under `rule`; lines keep the order given. A code listed more than
 * once is one line with the minutes added (CMS counts a code's minutes together), kept where it
 * first appears. An unknown code, or minutes that are not a whole number from 0 to 480, throw:
 * the input schema (InterventionInput) refuses them first, so a throw here is a programming error.
 */
export function billUnits(lines: readonly Intervention[], rule: BillingRule): Billing {
  const merged: { code: string; minutes: number; timed: boolean }[] = [];
  for (const line of lines) {
    const cpt = cptCode(line.code);
    if (cpt === undefined) throw new Error(`${line.code} is not a CPT code in the billing list.`);
    if (!Number.isInteger(line.minutes) || line.minutes < 0 || line.minutes > 480)
      throw new Error(`${line.code} has ${String(line.minutes)} minutes; minutes are a whole number from 0 to 480.`);
    const seen = merged.find((m) => m.code === line.code);
    if (seen) seen.minutes += line.minutes;
    else merged.push({ code: cpt.code, minutes: line.minutes, timed: cpt.timed });
  }
  const totalTimedMinutes = merged.reduce((sum, m) => sum + (m.timed ? m.minutes : 0), 0);
  const units = rule === 'cms8' ? cms8Units(merged) : merged.map((m) => (m.timed ? unitsForMinutes(m.minutes) : 1));
  const billed = merged.map((m, i) => ({ code: m.code, minutes: m.minutes, timed: m.timed, units: units[i] ?? 0 }));
  return { rule, lines: billed, totalTimedMinutes, totalUnits: billed.reduce((sum, l) => sum + l.units, 0) };
}

/**
 * CMS 8-minute rule (Medicare Claims Processing Manual, Ch. 5, §20.2): the total timed minutes give
 * the units; each timed code first gets its full 15-minute units, then the units left go one each
 * to the codes with the most minutes left over (ties: the order given, as the manual lets the
 * provider choose when the times are equal). Untimed codes are one unit each.
 */
function cms8Units(lines: readonly { minutes: number; timed: boolean }[]): number[] {
  const units = lines.map((l) => (l.timed ? Math.floor(l.minutes / 15) : 1));
  const totalTimed = lines.reduce((sum, l) => sum + (l.timed ? l.minutes : 0), 0);
  const fullUnits = lines.reduce((sum, l) => sum + (l.timed ? Math.floor(l.minutes / 15) : 0), 0);
  let left = unitsForMinutes(totalTimed) - fullUnits;
  const byRemainder = lines
    .map((l, i) => ({ i, rest: l.minutes % 15, timed: l.timed }))
    .filter((r) => r.timed && r.rest > 0)
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  // The units left never exceed the codes with minutes left over (each remainder is < 15), so
  // every unit left lands on a code that has minutes to account for it.
  for (const r of byRemainder) {
    if (left <= 0) break;
    units[r.i] = (units[r.i] ?? 0) + 1;
    left -= 1;
  }
  return units;
}
