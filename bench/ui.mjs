/* global document -- the waitForFunction callbacks below run inside the page */
// The week view and patient search as a person sees them: real browser host, Debian Chromium,
// timing from the click (or keystroke) to the rendered result. Limit, measured in the same run:
// the same navigation to a week with no appointments (the fixed cost of rendering the calendar).
// Usage: node bench/ui.mjs [--appointments N] [--therapists N] [--smoke]
//   (run `npm run build` first; needs Chromium: /usr/bin/chromium, or the path in MOVELOG_CHROMIUM)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedInPage } from './browser-host.mjs';
import { benchOptions, ratio } from './options.mjs';
import { BENCH_PASSPHRASE, seedWeek } from './seed-week.mjs';

// A smoke run keeps more than six therapists, so its days are busy enough to be shown as hour
// counts and the busy-day path runs too (each therapist costs a scrypt verifier, ~0.2 s).
const options = benchOptions('node bench/ui.mjs [--appointments N] [--therapists N] [--smoke]', {
  appointments: { full: 2_000, smoke: 40 },
  therapists: { full: 40, smoke: 8 },
});
const N = options.appointments;
const runs = options.smoke ? 2 : 9;
const searches = options.smoke ? ['nun', 'smi'] : ['nun', 'smi', 'pat', 'oka', 'kim', 'gar', 'ros'];
const dir = mkdtempSync(join(tmpdir(), 'movelog-bench-ui-'));
const now = new Date();
const monday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - ((now.getUTCDay() + 6) % 7) * 86_400_000;
const { movelog } = await seedWeek(dir, N, monday, { therapists: options.therapists });
movelog.close();

const { page, close } = await signedInPage(dir, 'Bench Manager', BENCH_PASSPHRASE);
try {
  const represented = (n) =>
    [...document.querySelectorAll('.rbc-event [data-visits]')].reduce((sum, e) => sum + Number(e.getAttribute('data-visits')), 0) >= n;
  const openSchedule = async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients' }).click();
    const t = Date.now();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
    await page.waitForFunction(represented, N, { timeout: 60_000 });
    return Date.now() - t;
  };
  const weekMs = [];
  const emptyMs = [];
  for (let i = 0; i < runs; i++) {
    // Week with N appointments: from the click on "Schedule" to the last appointment on screen.
    // Every calendar event says how many appointments it stands for (`data-visits`: one for a
    // visit, the hour's count for a busy day shown as visits per hour), so this waits until the
    // events on screen stand for all N.
    weekMs.push(await openSchedule());
    // Limit: the same calendar for an empty week.
    const t = Date.now();
    await page.locator('.rbc-toolbar').getByRole('button', { name: 'Next' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.rbc-event').length === 0);
    emptyMs.push(Date.now() - t);
  }
  // A busy day's hour count opens that day by therapist: from the click to all of that day's
  // visits drawn one by one (only when the week has a day busy enough to be shown as counts).
  const dayMs = [];
  for (let i = 0; i < runs && N > 0; i++) {
    await openSchedule();
    const count = page.locator('.rbc-event.visit-count').first();
    if ((await count.count()) === 0) break;
    const dayVisits = await count.evaluate((e) =>
      [...e.closest('.rbc-day-slot').querySelectorAll('[data-visits]')].reduce((sum, v) => sum + Number(v.getAttribute('data-visits')), 0),
    );
    const t = Date.now();
    await count.click();
    await page.waitForFunction(
      (n) => !document.querySelector('.visit-count') && document.querySelectorAll('.rbc-time-view .rbc-event [data-visits="1"]').length >= n,
      dayVisits,
      { timeout: 60_000 },
    );
    dayMs.push(Date.now() - t);
  }
  // Patient search: from the last keystroke to the result rows.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients' }).click();
  const searchMs = [];
  for (const q of searches) {
    const t = Date.now();
    await page.getByLabel(/Search by name/).fill(q);
    await page.getByRole('table', { name: 'Search results' }).waitFor();
    // Done when every row shown matches this query (not the previous one's rows still on screen).
    await page.waitForFunction((q) => {
      const rows = [...document.querySelectorAll('table[aria-label="Search results"] tbody tr')];
      const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      return (
        rows.length > 0 &&
        rows.every((r) =>
          fold(r.textContent ?? '')
            .split(/[^\p{L}]+/u)
            .some((w) => w.startsWith(q)),
        )
      );
    }, q);
    searchMs.push(Date.now() - t);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`Browser (Chromium, browser host on loopback) — ${N} appointments in one week, ${N} patients`);
  console.log(`limit: empty week rendered            median ${median(emptyMs)} ms`);
  console.log(
    `week view, ${N} appointments rendered   median ${median(weekMs)} ms (${ratio(median(weekMs) / Math.max(1, median(emptyMs)))}× the limit; target ≤ 200 ms)`,
  );
  if (dayMs.length > 0) console.log(`busy day opened from an hour's count   median ${median(dayMs)} ms (that day's visits one by one, by therapist)`);
  console.log(`patient search, keystroke to rows      median ${median(searchMs)} ms (includes the 150 ms typing debounce)`);
} finally {
  await close();
  rmSync(dir, { recursive: true, force: true });
}
