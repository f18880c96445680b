/* global document, window -- the evaluate callbacks below run inside the page */
// The Chart tab of a patient with many visits, as a therapist opens it: real browser host, Debian
// Chromium, timing from the click on "Chart" until every trend is drawn (uPlot's draw hook; the
// trends section gets `data-drawn` and the page a `movelog:chart-drawn` performance mark). Every
// visit is booked and every note signed through the services (dispatch, as the browser host runs
// them), with pain, range of motion and billing on each note and an outcome measure every tenth.
// Limit, measured in the same run: the same click for a patient with one visit whose one note has
// the same measures (the same charts, one point each: the fixed cost of opening the tab).
// Usage: node bench/chart.mjs [--visits N] [--smoke]
//   (run `npm run build` first; needs Chromium: /usr/bin/chromium, or the path in MOVELOG_CHROMIUM)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedInPage } from './browser-host.mjs';
import { demoPatients } from '../out/node/main/cli/demo.js';
import { openMovelog } from '../out/node/main/core.js';
import { dispatch } from '../out/node/main/services/dispatch.js';
import { benchOptions, ratio } from './options.mjs';

const options = benchOptions('node bench/chart.mjs [--visits N] [--smoke]', { visits: { full: 300, smoke: 20 } });
const N = options.visits;
const runs = options.smoke ? 2 : 9;
const PASSPHRASE = 'bench passphrase';
const TARGET_MS = 150;
const DRAWN_MARK = 'movelog:chart-drawn';
const dir = mkdtempSync(join(tmpdir(), 'movelog-bench-chart-'));

/** A call through dispatch (access, input schema, service, output schema); a refusal stops the bench with its reason. */
async function call(m, name, input, ctx) {
  const result = await dispatch(m.services, name, input, ctx, { warn() {}, error() {} });
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value;
}

/** Twenty LEFS items (0–4 each) summing to `score`. */
const lefsItems = (score) => Array.from({ length: 20 }, (_, i) => Math.max(0, Math.min(4, score - i * 4)));

/** The measures of visit `i` of `n`: pain easing, knee flexion and extension improving, LEFS every tenth visit and at the first. */
function measures(i, n) {
  const progress = n === 1 ? 0 : i / (n - 1);
  const list = [
    { kind: 'pain', side: 'right', site: 'knee', value: Math.round(7 - 5 * progress) },
    { kind: 'rom', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: Math.round(85 + 45 * progress + (i % 3)) },
    { kind: 'rom', joint: 'knee', motion: 'flexion', side: 'right', mode: 'passive', degrees: Math.round(95 + 40 * progress) },
    { kind: 'rom', joint: 'knee', motion: 'extension', side: 'right', mode: 'active', degrees: Math.round(-12 + 10 * progress) },
    { kind: 'rom', joint: 'knee', motion: 'flexion', side: 'left', mode: 'active', degrees: 135 - (i % 2) },
  ];
  if (i % 10 === 0) list.push({ kind: 'outcome', instrument: 'lefs', side: 'none', items: lefsItems(Math.round(28 + 40 * progress)) });
  return list;
}

/** A clinic, a therapist, and two patients: one with `n` visits and notes in one episode of care, one with a single visit (the limit). */
async function seed() {
  const m = openMovelog(dir, Date.now, { warn() {}, error() {} });
  const clinic = await call(
    m,
    'clinic.setup',
    { clinicName: 'Bench', managerName: 'Bench Manager', passphrase: PASSPHRASE, timeZone: 'UTC' },
    {
      session: null,
      bridge: 'cli',
    },
  );
  const manager = { session: { staffId: clinic.manager.id, role: 'manager' }, bridge: 'cli' };
  const therapist = await call(m, 'staff.add', { name: 'Bench Therapist', role: 'therapist', licence: null, passphrase: PASSPHRASE }, manager);
  const asTherapist = { session: { staffId: therapist.id, role: 'therapist' }, bridge: 'cli' };
  const type = (await call(m, 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 30, category: 'follow_up', active: true }, manager))
    .typeId;
  const [many, one] = demoPatients(2, 15);
  const chartPatient = async (details, visits) => {
    const { patientId } = await call(m, 'patient.register', { details, confirmDuplicate: true }, manager);
    // Three visits a week (Monday, Wednesday, Friday at 09:00 UTC), the last in the week before this one.
    const monday = Date.UTC(2026, 0, 5) - Math.ceil(visits / 3) * 7 * 86_400_000;
    const starts = Array.from({ length: visits }, (_, i) => monday + Math.floor(i / 3) * 7 * 86_400_000 + (i % 3) * 2 * 86_400_000 + 9 * 3_600_000);
    const day = (ms) => new Date(ms).toISOString().slice(0, 10);
    // The visits first: planning the patient's care needs them in the therapist's care (docs/architecture.md#break-the-glass).
    const visitIds = [];
    for (const start of starts) {
      const [{ appointmentId }] = await call(
        m,
        'schedule.book',
        { patientId, therapistId: therapist.id, roomId: null, typeId: type, start, weeks: 1, allowConflict: true, allowPast: true },
        manager,
      );
      visitIds.push(appointmentId);
    }
    const episode = await call(
      m,
      'episodes.save',
      {
        patientId,
        episode: {
          referral: { provider: 'Dr. Amara Osei', date: day(starts[0]) },
          diagnoses: [
            { code: 'M17.11', text: 'Unilateral primary osteoarthritis, right knee' },
            { code: 'M25.561', text: 'Pain in right knee' },
          ],
          bodyRegion: 'knee',
          start: day(starts[0]),
          end: null,
          plan: { visitsPerWeek: 3, weeks: 52, certFrom: day(starts[0]), certTo: day(starts[0] + 90 * 86_400_000) },
          payer: { name: 'Medicare', rule: 'cms8' },
          goals: [
            { term: 'short', text: 'Walk without a limp', target: 'Knee flexion 110° or more', targetDate: day(starts[0] + 28 * 86_400_000) },
            { term: 'long', text: 'Climb stairs step over step', target: 'LEFS 60 or more', targetDate: day(starts[0] + 90 * 86_400_000) },
          ],
        },
      },
      asTherapist,
    );
    for (let i = 0; i < visits; i++) {
      const appointmentId = visitIds[i];
      await call(
        m,
        'notes.sign',
        {
          patientId,
          note: {
            type: i === 0 ? 'evaluation' : i % 10 === 0 ? 'progress' : 'daily',
            appointmentId,
            episodeId: episode.episode.episode,
            date: null,
            sections:
              i === 0
                ? { history: 'Right knee pain for three months.', plan: 'Strength and mobility, 3×/week.' }
                : { subjective: 'Stairs easier.', plan: 'Continue.' },
            measures: measures(i, visits),
            goals: [],
            interventions: [
              { code: '97110', minutes: 23 },
              { code: '97140', minutes: 15 },
            ],
          },
        },
        asTherapist,
      );
    }
    return `${details.familyName}, ${details.givenName}`;
  };
  const manyName = await chartPatient({ ...many, givenName: 'Avery', familyName: 'Benchmark', preferredName: null }, N);
  const oneName = await chartPatient({ ...one, givenName: 'Jordan', familyName: 'Baseline', preferredName: null }, 1);
  m.close();
  return { manyName, oneName };
}

const { manyName, oneName } = await seed();
const { page, close } = await signedInPage(dir, 'Bench Therapist', PASSPHRASE);
try {
  // The moment of each click, on the page's own clock (the event's timestamp), for the in-page time.
  await page.evaluate(() => document.addEventListener('click', (e) => (window.benchClickAt = e.timeStamp), true));

  const openRecord = async (name) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients' }).click();
    const back = page.getByRole('button', { name: '← All patients' });
    if (await back.isVisible()) await back.click();
    await page.getByLabel(/Search by name/).fill(name.split(',')[0].toLowerCase());
    await page.getByRole('table', { name: 'Search results' }).getByRole('button', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
  };
  /** From the click on the Chart tab to every trend drawn: [wall ms seen by the bench, in-page ms from the click event to the mark]. */
  const openChart = async (trends) => {
    await page.getByRole('tab', { name: 'Record' }).click();
    await page.getByRole('tab', { name: 'Record', selected: true }).waitFor();
    // The record tab's own calls (notes, visits, who opened it) answered first: main answers one
    // call at a time, and chart.get queued behind them would be timed as theirs.
    await page.waitForFunction(
      () => document.querySelector('[aria-busy="true"]') === null && document.querySelector('.clinical-notes .notes, .clinical-notes .empty'),
    );
    await page.evaluate(() => performance.clearMarks());
    const t = Date.now();
    await page.getByRole('tab', { name: 'Chart' }).click();
    await page.waitForFunction((n) => document.querySelector(`[data-testid="trends"][data-drawn][data-trends="${n}"]`) !== null, trends, {
      timeout: 60_000,
    });
    const wall = Date.now() - t;
    const inPage = await page.evaluate((mark) => performance.getEntriesByName(mark).at(-1).startTime - window.benchClickAt, DRAWN_MARK);
    return [wall, inPage];
  };
  // Pain, knee flexion, knee extension and LEFS on both patients' charts.
  const TRENDS = 4;
  const limit = [];
  const chart = [];
  await openRecord(oneName);
  await page.getByRole('tab', { name: 'Chart' }).click();
  await page.locator(`[data-testid="trends"][data-drawn][data-trends="${TRENDS}"]`).waitFor();
  for (let i = 0; i < runs; i++) limit.push(await openChart(TRENDS));
  await openRecord(manyName);
  await page.getByRole('tab', { name: 'Chart' }).click();
  await page.locator(`[data-testid="trends"][data-drawn][data-trends="${TRENDS}"]`).waitFor();
  // The chart holds every visit's note (the timeline lists the latest 25 and offers the rest).
  const listed = await page.getByRole('region', { name: 'Visits and notes' }).textContent();
  if (!listed.includes(N > 25 ? `Show all ${N} notes` : 'Initial evaluation'))
    throw new Error(`the timeline does not hold ${N} notes: ${listed.slice(0, 300)}`);
  for (let i = 0; i < runs; i++) chart.push(await openChart(TRENDS));

  // Where the time goes: `chart.get` alone, asked from the page on a connection of its own
  // (signed in as the same therapist), until its reply is parsed; the rest is the renderer's.
  const { times: callMs, bytes: replyBytes } = await page.evaluate(
    async ({ name, passphrase, family, runs }) => {
      const url = new URL('/api', window.location.href);
      url.protocol = 'ws:';
      url.searchParams.set('token', window.sessionStorage.getItem('movelog.token') ?? '');
      const socket = new window.WebSocket(url);
      await new Promise((resolve) => (socket.onopen = resolve));
      let next = 1;
      let lastBytes = 0;
      const ask = (call, input) =>
        new Promise((resolve) => {
          const id = next++;
          const listen = (event) => {
            const message = JSON.parse(event.data);
            if (message.id !== id) return;
            socket.removeEventListener('message', listen);
            lastBytes = event.data.length;
            resolve(message.result);
          };
          socket.addEventListener('message', listen);
          socket.send(JSON.stringify({ id, call, input }));
        });
      const choices = (await ask('session.choices', {})).value;
      await ask('session.signIn', { staffId: choices.find((c) => c.name === name).id, passphrase });
      const found = (await ask('patient.search', { query: family })).value;
      const times = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const result = await ask('chart.get', { patientId: found[0].patientId });
        if (!result.ok) throw new Error(result.error.message);
        times.push(performance.now() - t);
      }
      socket.close();
      return { times, bytes: lastBytes };
    },
    { name: 'Bench Therapist', passphrase: PASSPHRASE, family: 'benchmark', runs },
  );

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const wall = (xs) => median(xs.map((x) => x[0]));
  const inPage = (xs) => Math.round(median(xs.map((x) => x[1])));
  console.log(`Browser (Chromium, browser host on loopback) — the Chart tab of a patient with ${N} visits and signed notes, ${TRENDS} trends`);
  console.log(`limit: chart of a patient with one visit   median ${inPage(limit)} ms in page (${wall(limit)} ms seen by the bench)`);
  console.log(
    `chart with ${N} visits drawn   median ${inPage(chart)} ms in page (${wall(chart)} ms seen by the bench; ${ratio(inPage(chart) / Math.max(1, inPage(limit)))}× the limit; target ≤ ${TARGET_MS} ms in page: ${inPage(chart) <= TARGET_MS ? 'met' : 'not met'})`,
  );
  console.log(
    `of which chart.get alone, from the page   median ${Math.round(median(callMs))} ms (${N} notes, read, opened and checked by main, sent and parsed: ${Math.round(replyBytes / 1024)} KiB of JSON)`,
  );
} finally {
  await close();
  rmSync(dir, { recursive: true, force: true });
}
