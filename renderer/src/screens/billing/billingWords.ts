import type { BillingRow } from '../../../../shared/api/index.js';

/**
 * The billing day in words and numbers (docs/architecture.md#billing-day): a visit's note state
 * and the day's totals. Pure, so it is tested without a screen.
 */
export type NoteState = 'signed' | 'awaiting' | 'unsigned';

export const NOTE_STATE_WORDS: Readonly<Record<NoteState, string>> = {
  signed: 'Signed',
  awaiting: 'Awaiting co-signature',
  unsigned: 'Not yet signed',
};

export const STATUS_WORDS: Readonly<Record<string, string>> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  completed: 'Completed',
  no_show: 'No-show',
  cancelled: 'Cancelled',
  late_cancelled: 'Late cancellation',
};

export function noteState(row: BillingRow): NoteState {
  if (!row.note) return 'unsigned';
  return row.note.awaitingCosign ? 'awaiting' : 'signed';
}

export interface BillingTotals {
  readonly visits: number;
  readonly signed: number;
  readonly awaitingCosign: number;
  readonly unsigned: number;
  /** Units billed by the day's signed notes (those awaiting a co-signature included: they are signed). */
  readonly units: number;
  /** Units per CPT code, in code order. */
  readonly byCode: readonly { readonly code: string; readonly units: number }[];
}

export function billingTotals(rows: readonly BillingRow[]): BillingTotals {
  const byCode = new Map<string, number>();
  let units = 0;
  const states = rows.map(noteState);
  for (const r of rows) {
    const billing = r.note?.billing;
    if (!billing) continue;
    units += billing.totalUnits;
    for (const line of billing.lines) byCode.set(line.code, (byCode.get(line.code) ?? 0) + line.units);
  }
  return {
    visits: rows.length,
    signed: states.filter((s) => s === 'signed').length,
    awaitingCosign: states.filter((s) => s === 'awaiting').length,
    unsigned: states.filter((s) => s === 'unsigned').length,
    units,
    byCode: [...byCode.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, n]) => ({ code, units: n })),
  };
}
