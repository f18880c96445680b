import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Chart, Note, Session } from '../../../../shared/api/index.js';
import type { StoredChartNote } from '../../../../shared/ledger/kinds/notes.js';
import { SessionProvider } from '../../kit/SessionContext.js';
import { setClinicLocale } from '../../format.js';
import { LoadedChart } from './ChartView.js';

const session: Session = { staffId: 'd'.repeat(32), name: 'Priya', role: 'therapist', autoLockMinutes: 5, timeZone: 'UTC', locale: 'en-GB' };
const EPISODE = 'e'.repeat(16);

function note(
  n: number,
  body: Omit<StoredChartNote, 'v' | 'appointmentId' | 'episodeId' | 'goals' | 'billing' | 'sections'>,
  more: Partial<Note> = {},
): Note {
  return {
    hash: String(n).padStart(64, '0'),
    at: Date.parse(`${body.date}T10:00:00Z`),
    authorName: 'Sam Lee',
    authorRole: 'assistant',
    readable: true,
    body: { v: 2, appointmentId: null, episodeId: EPISODE, sections: { subjective: 'Stairs easier.' }, goals: [], billing: null, ...body },
    visitStart: null,
    awaitingCosign: false,
    cosignedBy: null,
    cosignedAt: null,
    addenda: [],
    ...more,
  };
}

const chart: Chart = {
  episodes: [
    {
      hash: 'f'.repeat(64),
      at: Date.parse('2026-01-05T09:00:00Z'),
      savedByName: 'Priya Raman',
      readable: true,
      episode: {
        episode: EPISODE,
        referral: { provider: 'Dr. Amara Osei', date: '2026-01-02' },
        diagnoses: [{ code: 'M17.11', text: 'Unilateral primary osteoarthritis, right knee' }],
        bodyRegion: 'knee',
        start: '2026-01-05',
        end: null,
        plan: { visitsPerWeek: 2, weeks: 6, certFrom: '2026-01-05', certTo: '2026-02-15' },
        payer: { name: 'Medicare', rule: 'cms8' },
        goals: [
          {
            id: '1'.repeat(16),
            term: 'long',
            text: 'Climb a flight of stairs',
            target: 'LEFS 60 or more',
            targetDate: '2026-02-15',
            status: 'progressing',
          },
        ],
      },
    },
  ],
  notes: [
    note(3, {
      type: 'progress',
      date: '2026-02-02',
      measures: [
        { kind: 'pain', date: '2026-02-02', side: 'none', site: '', value: 2, unit: 'NPRS' },
        { kind: 'outcome', date: '2026-02-02', instrument: 'lefs', side: 'none', items: [3], score: 52, unit: 'points' },
      ],
    }),
    note(
      2,
      { type: 'daily', date: '2026-01-12', measures: [{ kind: 'pain', date: '2026-01-12', side: 'none', site: '', value: 5, unit: 'NPRS' }] },
      {
        awaitingCosign: true,
        addenda: [{ hash: '9'.repeat(64), at: Date.parse('2026-01-13T08:00:00Z'), byName: 'Sam Lee', text: 'Measured seated.' }],
      },
    ),
    note(1, {
      type: 'evaluation',
      date: '2026-01-05',
      measures: [
        { kind: 'pain', date: '2026-01-05', side: 'none', site: '', value: 7, unit: 'NPRS' },
        { kind: 'outcome', date: '2026-01-05', instrument: 'lefs', side: 'none', items: [1], score: 30, unit: 'points' },
      ],
    }),
  ],
};

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('the chart view (docs/architecture.md#chart-view)', () => {
  setClinicLocale('en-GB');
  const html = renderToStaticMarkup(
    createElement(SessionProvider, { value: session, children: createElement(LoadedChart, { chart, deferTables: false }) }),
  );

  it('heads the episode with its diagnoses, referral, plan of care and goals, and reminds of an overdue re-certification', () => {
    expect(text(html)).toContain('Episode of care: Knee, since 5 Jan 2026');
    expect(text(html)).toContain('M17.11 Unilateral primary osteoarthritis, right knee');
    expect(text(html)).toContain('Dr. Amara Osei, 2 Jan 2026');
    expect(text(html)).toContain('2 visits a week for 6 weeks');
    expect(text(html)).toContain('Climb a flight of stairs Long-term LEFS 60 or more 15 Feb 2026 Progressing');
    expect(text(html)).toMatch(/Re-certification overdue: the plan of care was certified until 15 Feb 2026, \d+ days ago\./);
  });

  it('shows each trend’s latest value and change in numerals, and the same numbers in a table', () => {
    expect(html).toContain('data-trends="2"');
    const [painFigure = '', lefsFigure = ''] = html.split('<figure').slice(1);
    expect(text(painFigure)).toContain('Pain 2/10 on 2 Feb 2026 −5/10 since 5 Jan 2026 (better)');
    expect(text(painFigure)).toContain('Day of service Pain 2 Feb 2026 2/10 12 Jan 2026 5/10 5 Jan 2026 7/10');
    expect(text(lefsFigure)).toContain('52 points');
    expect(text(lefsFigure)).toContain('+22 points since 5 Jan 2026 (better) — clinically important improvement');
    expect(text(lefsFigure)).toContain('MCID 9 points');
    // The canvas is for the eyes; the table (visually hidden until asked for) is what is read out.
    expect(html).toContain('class="trend-canvas" aria-hidden="true"');
    expect(html).toContain('class="grid trend-table visually-hidden"');
  });

  it('lists the notes newest first with their type, author, co-signature state and addenda', () => {
    const timeline = text(html.slice(html.indexOf('Visits and notes')));
    expect(timeline).toContain(
      '2 Feb 2026 Progress note — Sam Lee (Assistant) — — 12 Jan 2026 Daily note (SOAP) — Sam Lee (Assistant) Awaiting co-signature 1 5 Jan 2026 Initial evaluation',
    );
  });
});
