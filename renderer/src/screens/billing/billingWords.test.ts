import { describe, expect, it } from 'vitest';
import type { BillingRow } from '../../../../shared/api/index.js';
import { billingTotals, noteState } from './billingWords.js';

const row = (id: string, note: BillingRow['note']): BillingRow => ({
  appointmentId: id.repeat(16),
  patientId: 'a'.repeat(32),
  patientName: 'Zoë Ørsted',
  start: 0,
  clinicianName: 'Sam',
  status: 'completed',
  note,
});
const billed = (lines: [string, number][], awaitingCosign = false): BillingRow['note'] => ({
  hash: 'f'.repeat(64),
  type: 'daily',
  authorName: 'Sam',
  awaitingCosign,
  billing: {
    rule: 'cms8',
    lines: lines.map(([code, units]) => ({ code, minutes: units * 15, timed: true, units })),
    totalTimedMinutes: 0,
    totalUnits: lines.reduce((n, [, u]) => n + u, 0),
  },
});

describe('the billing day', () => {
  it('tells a signed note from one awaiting co-signature and a visit without one', () => {
    expect([noteState(row('1', billed([]))), noteState(row('2', billed([], true))), noteState(row('3', null))]).toEqual([
      'signed',
      'awaiting',
      'unsigned',
    ]);
  });

  it('totals units per code and in all, counting notes awaiting a co-signature (they are signed) and nothing for unsigned visits', () => {
    const rows = [
      row(
        '1',
        billed([
          ['97140', 1],
          ['97110', 2],
        ]),
      ),
      row('2', billed([['97110', 1]], true)),
      row('3', null),
      row('4', { ...billed([]), billing: null } as BillingRow['note']),
    ];
    expect(billingTotals(rows)).toEqual({
      visits: 4,
      signed: 2,
      awaitingCosign: 1,
      unsigned: 1,
      units: 4,
      byCode: [
        { code: '97110', units: 3 },
        { code: '97140', units: 1 },
      ],
    });
    expect(billingTotals([])).toMatchObject({ visits: 0, units: 0, byCode: [] });
  });
});
