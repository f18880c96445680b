/* global window, WebSocket, sessionStorage -- the page.evaluate callback below runs inside the page */
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import {
  addAppointmentType,
  addStaff,
  bookVisitFromRecord,
  openAnaTester,
  registerAnaTester,
  setUpClinic,
  stopHostAfterEach,
  switchTo,
} from './journeys.js';

stopHostAfterEach();

/**
 * Seeds Ana Tester's episode of care and three signed notes with measures through the services,
 * as the note form would send them, on a connection of its own signed in as Priya (the form is
 * another journey's: e2e/charting.spec.ts).
 */
async function seedEpisode(page: Page): Promise<void> {
  const failures = await page.evaluate(
    async ({ lefsFirst, lefsLast }) => {
      const url = new URL('/api', window.location.href);
      url.protocol = 'ws:';
      url.searchParams.set('token', sessionStorage.getItem('movelog.token') ?? '');
      const socket = new WebSocket(url);
      await new Promise((resolve) => (socket.onopen = resolve));
      let next = 1;
      type Result = { ok: boolean; value?: unknown; error?: { message: string } };
      const ask = (call: string, input: unknown) =>
        new Promise<Result>((resolve) => {
          const id = next++;
          const listen = (event: MessageEvent<string>) => {
            const message = JSON.parse(event.data) as { id: number; result: Result };
            if (message.id !== id) return;
            socket.removeEventListener('message', listen);
            resolve(message.result);
          };
          socket.addEventListener('message', listen);
          socket.send(JSON.stringify({ id, call, input }));
        });
      const choices = (await ask('session.choices', {})).value as { id: string; name: string }[];
      await ask('session.signIn', { staffId: choices.find((c) => c.name === 'Priya Raman')?.id, passphrase: 'therapist passphrase' });
      const [ana] = (await ask('patient.search', { query: 'tester' })).value as { patientId: string }[];
      const patientId = ana?.patientId;
      const saved = await ask('episodes.save', {
        patientId,
        episode: {
          referral: { provider: 'Dr. Amara Osei', date: '2026-09-28' },
          diagnoses: [{ code: 'M17.11', text: 'Unilateral primary osteoarthritis, right knee' }],
          bodyRegion: 'knee',
          start: '2026-10-01',
          end: null,
          plan: { visitsPerWeek: 2, weeks: 8, certFrom: '2026-10-01', certTo: '2026-11-28' },
          payer: { name: 'Medicare', rule: 'cms8' },
          goals: [{ term: 'long', text: 'Climb stairs step over step', target: 'LEFS 60 or more', targetDate: '2026-11-26' }],
        },
      });
      if (!saved.ok) return [`episodes.save: ${saved.error?.message ?? ''}`];
      const episodeId = (saved.value as { episode: { episode: string } }).episode.episode;
      const visits: [string, string, number, number, number | null][] = [
        ['evaluation', '2026-10-01', 7, 95, lefsFirst],
        ['daily', '2026-10-15', 5, 110, null],
        ['progress', '2026-11-02', 3, 122, lefsLast],
      ];
      const failed: string[] = [];
      for (const [type, date, pain, flexion, score] of visits) {
        const measures: unknown[] = [
          { kind: 'pain', side: 'right', site: 'knee', value: pain },
          { kind: 'rom', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: flexion },
        ];
        // Twenty LEFS items (0–4 each) summing to the score (Binkley 1999: the score is the sum).
        if (score !== null)
          measures.push({
            kind: 'outcome',
            instrument: 'lefs',
            side: 'none',
            items: Array.from({ length: 20 }, (_, i) => Math.max(0, Math.min(4, score - i * 4))),
          });
        const signed = await ask('notes.sign', {
          patientId,
          note: {
            type,
            appointmentId: null,
            episodeId,
            date,
            sections: type === 'evaluation' ? { history: 'Right knee pain for three months.' } : { subjective: 'Stairs easier.' },
            measures,
            goals: [],
            // No billing: billing names a visit (the billing journey and e2e/charting.spec.ts cover it).
            interventions: [],
          },
        });
        if (!signed.ok) failed.push(`notes.sign ${date}: ${signed.error?.message ?? ''}`);
      }
      socket.close();
      return failed;
    },
    { lefsFirst: 30, lefsLast: 45 },
  );
  expect(failures).toEqual([]);
}

test('a therapist opens the chart of a patient with notes: the latest values at a glance, the same numbers as tables, the re-certification reminder and a note from the timeline', async ({
  page,
}) => {
  await setUpClinic(page, { clock: new Date('2026-11-25T10:00:00Z') });
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
  await addAppointmentType(page);
  await registerAnaTester(page);
  await bookVisitFromRecord(page, 'Priya Raman');

  await switchTo(page, 'Priya Raman', 'therapist passphrase');
  await seedEpisode(page);
  await openAnaTester(page);
  await page.getByRole('tab', { name: 'Chart' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Chart' });

  // The episode's head: diagnosis with its code, the plan, and certification ending in 3 days.
  await expect(panel.getByRole('heading', { name: /Episode of care: Knee, since/ })).toBeVisible();
  await expect(panel).toContainText('M17.11 Unilateral primary osteoarthritis, right knee');
  await expect(panel.getByTestId('cert-reminder')).toContainText(
    'Re-certification due: the plan of care\u2019s certification ends on 28 Nov 2026, in 3 days.',
  );

  // Every trend is drawn, with its latest value and its change since the first in numerals.
  const trends = panel.getByRole('region', { name: 'Trends' });
  await expect(trends).toHaveAttribute('data-drawn', 'true');
  await expect(trends).toHaveAttribute('data-trends', '3');
  const pain = trends.getByRole('figure', { name: 'Pain (NPRS)' });
  await expect(pain.getByTestId('latest')).toHaveText('3/10');
  await expect(pain.getByTestId('change')).toHaveText('−4/10 since 1 Oct 2026 (better)');
  const flexion = trends.getByRole('figure', { name: 'Knee flexion' });
  await expect(flexion.getByTestId('latest')).toHaveText('122°');
  await expect(flexion.locator('.trend-canvas canvas')).toHaveCount(1);
  const lefsTrend = trends.getByRole('figure', { name: /Lower Extremity Functional Scale/ });
  await expect(lefsTrend.getByTestId('latest')).toHaveText('45 points');
  await expect(lefsTrend.getByTestId('change')).toHaveText('+15 points since 1 Oct 2026 (better) — clinically important improvement');

  // The same numbers as a table: always there for a screen reader, shown on request for everyone.
  const painTable = pain.getByRole('table');
  await expect(painTable.getByRole('row')).toHaveText([
    /Day of service\s*Pain, knee \(right\)/,
    /2 Nov 2026\s*3\/10/,
    /15 Oct 2026\s*5\/10/,
    /1 Oct 2026\s*7\/10/,
  ]);
  await pain.getByRole('button', { name: 'Show as a table' }).click();
  await expect(pain.getByRole('button', { name: 'Show as a table' })).toHaveAttribute('aria-pressed', 'true');
  await expect(painTable).toBeVisible();
  await expect(pain.locator('.trend-canvas')).toBeHidden();
  await expect(lefsTrend.getByRole('table')).toContainText('MCID 9 points');
  await expectAccessible(page, 'chart');

  // The timeline opens a note; closing it puts focus back where it was opened.
  const timeline = panel.getByRole('region', { name: 'Visits and notes' });
  await expect(timeline.getByRole('row')).toHaveCount(4);
  const opener = timeline.getByRole('button', { name: '15 Oct 2026' });
  await opener.click();
  const note = timeline.getByRole('article', { name: 'Daily note (SOAP), 15 Oct 2026' });
  await expect(note.getByRole('heading', { name: 'Daily note (SOAP), 15 Oct 2026' })).toBeFocused();
  await expect(note).toContainText('Pain 5/10 (NPRS), knee, right');
  await expect(note).toContainText('Knee flexion, right, active: 110° (normal 135°)');
  await expectAccessible(page, 'chart with a note open');
  await note.getByRole('button', { name: 'Close the note' }).click();
  await expect(opener).toBeFocused();
});

test('the front desk has no Chart tab; a patient without notes says what the chart will show', async ({ page }) => {
  await setUpClinic(page);
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
  await addAppointmentType(page);
  await registerAnaTester(page);
  await bookVisitFromRecord(page, 'Priya Raman');

  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await openAnaTester(page);
  await expect(page.getByRole('tab', { name: 'Record' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Chart' })).toHaveCount(0);

  await switchTo(page, 'Priya Raman', 'therapist passphrase');
  await openAnaTester(page);
  await page.getByRole('tab', { name: 'Chart' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Chart' })).toContainText('No episode of care and no notes yet.');
  await expectAccessible(page, 'chart of a patient without notes');
});
