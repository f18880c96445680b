import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { chartNote } from '../../../../shared/charting/note.js';
import type { StoredChartNote } from '../../../../shared/ledger/kinds/notes.js';
import { setClinicLocale } from '../../format.js';
import { measureInWords, NoteView } from './NoteView.js';

afterEach(() => setClinicLocale('en-GB'));

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('a signed note as read', () => {
  it('shows a version-1 note as its SOAP sections and its pain as a measure', () => {
    setClinicLocale('en-GB');
    const v1 = {
      type: 'daily',
      appointmentId: null,
      subjective: 'Knee pain on stairs.',
      objective: '',
      assessment: 'Improving.',
      plan: '',
      pain: 4,
    } as const;
    const html = text(renderToStaticMarkup(createElement(NoteView, { body: chartNote(v1, '2026-11-30') })));
    expect(html).toContain('Subjective Knee pain on stairs.');
    expect(html).toContain('Assessment Improving.');
    expect(html).not.toContain('Objective');
    expect(html).toContain('Pain (NPRS) — 4 / 10 30/11/2026');
    expect(html).not.toContain('Billing');
  });

  it('shows sections in the template’s order, measures in words, goal statuses and billing with its rule', () => {
    setClinicLocale('en-GB');
    const body: StoredChartNote = {
      v: 2,
      type: 'progress',
      appointmentId: null,
      episodeId: 'e'.repeat(32),
      date: '2026-12-01',
      sections: { plan: 'Continue twice a week.', subjective: 'Stairs easier.' },
      measures: [
        { kind: 'rom', date: '2026-12-01', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: 95, unit: 'deg' },
        { kind: 'outcome', date: '2026-12-01', instrument: 'lefs', side: 'none', items: Array<number>(20).fill(3), score: 60, unit: 'points' },
      ],
      goals: [
        { goal: 'a'.repeat(32), status: 'met' },
        { goal: 'b'.repeat(32), status: 'progressing' },
      ],
      billing: {
        rule: 'cms8',
        lines: [
          { code: '97110', minutes: 23, timed: true, units: 2 },
          { code: '97161', minutes: 45, timed: false, units: 1 },
        ],
        totalTimedMinutes: 23,
        totalUnits: 3,
      },
    };
    const html = text(renderToStaticMarkup(createElement(NoteView, { body })));
    expect(html.indexOf('Subjective')).toBeLessThan(html.indexOf('Plan'));
    expect(html).toContain('Knee flexion (active) Right 95° (normal 135°, limited)');
    expect(html).toContain('Lower Extremity Functional Scale');
    expect(html).toContain('60 / 80');
    expect(html).toContain('Goals: Progressing 1 · Met 1');
    expect(html).toContain('3 units by the CMS 8-minute rule');
    expect(html).toContain('97161 (untimed) 45 1');
  });

  it('writes a disability index in percent and a muscle grade out of 5', () => {
    expect(measureInWords({ kind: 'outcome', date: '2026-12-01', instrument: 'odi', side: 'none', items: [], score: 28.9, unit: '%' }).value).toBe(
      '28.9 %',
    );
    expect(measureInWords({ kind: 'mmt', date: '2026-12-01', muscle: 'nonexistent_group', side: 'left', grade: '4-', unit: 'grade' })).toEqual({
      name: 'Strength: nonexistent_group',
      side: 'Left',
      value: '4- / 5',
    });
  });
});
