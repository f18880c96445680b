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

/** The CPT codes a PT clinic bills most, timed and untimed (filled in with its source). */
export const CPT_CODES: readonly CptCode[] = [];

export function cptCode(code: string): CptCode | undefined {
  return CPT_CODES.find((c) => c.code === code);
}

/** Units per code and in total under `rule`; lines keep the order given. */
export function billUnits(lines: readonly Intervention[], rule: BillingRule): Billing {
  throw new Error(`billing of ${String(lines.length)} lines under ${rule} is being written`);
}
