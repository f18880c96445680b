// The manager's audit report at size (issue #14 item 8, docs/benchmarks.md#audit-report-benchauditmjs):
//   - CSV export of N access entries (default 1,000,000; target ≤ 10 s, memory flat: peak RSS printed
//     against the RSS before the export). Limit, measured in the same run: reading the same rows
//     from view_audit alone (one SELECT, no joins, nothing written).
//   - PDF of 10,000 rows (one staff member's). Limit: the same number of rows drawn by ReportPdf from
//     memory (no database).
//   - The screen's first page at N rows (`audit.rows` through dispatch, as the browser host runs it;
//     target ≤ 100 ms to data), unfiltered and filtered by staff member. Limit: one row by its key.
// The entries are real: signed `access.listed` entries (1–3 patients each) appended 1,000 per
// transaction, spread over 30 days by the clock the ledger signs with.
// Usage: node bench/audit.mjs [--entries N] [--smoke]   (run `npm run build` first)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { openMovelog } from '../out/node/main/core.js';
import { clinicStream } from '../out/node/main/ledger/streams.js';
import { dispatch } from '../out/node/main/services/dispatch.js';
import { writeAuditCsv, writeAuditPdf } from '../out/node/main/reports/auditFiles.js';
import { ReportPdf } from '../out/node/main/reports/pdf.js';
import { benchOptions, ratio } from './options.mjs';

const options = benchOptions('node bench/audit.mjs [--entries N] [--smoke]', { entries: { full: 1_000_000, smoke: 3_000 } });
const N = options.entries;
const RUNS = options.smoke ? 5 : 50;
const START = Date.UTC(2026, 2, 1, 6);
const STEP = Math.max(1, Math.floor((30 * 86_400_000) / N)); // N entries over 30 days
let clock = START;
const dir = mkdtempSync(join(tmpdir(), 'movelog-bench-audit-'));
const movelog = openMovelog(dir, () => clock, { warn() {}, error() {} });
const cli = { session: null, bridge: 'cli' };
const setup = await movelog.services['clinic.setup']({ clinicName: 'Bench', managerName: 'Bench Manager', passphrase: 'bench passphrase' }, cli);
const manager = { session: { staffId: setup.manager.id, role: 'manager' }, bridge: 'ws' };
const staff = [];
for (const [name, role] of [
  ['Ana Torres', 'front_desk'],
  ['Ben Okafor', 'therapist'],
  ['Zoë Müller', 'therapist'],
  ['Ιωάννα Παππά', 'assistant'],
  ['Rare Reader', 'therapist'],
]) {
  const added = await dispatch(movelog.services, 'staff.add', { name, role, licence: null, passphrase: 'bench passphrase' }, manager);
  if (!added.ok) throw new Error(added.error.message);
  staff.push({ id: added.value.id, role });
}
const rare = staff[4];
const common = staff.slice(0, 4);
const stream = clinicStream(setup.id, 'private');
const patients = Array.from({ length: 5_000 }, () => randomBytes(16).toString('hex'));
const calls = ['patient.search', 'schedule.range', 'schedule.conflicts', 'patient.findDuplicates'];

// Seed: every 100th entry is the rare reader's, so the PDF's staff filter selects N / 100 rows.
let t = process.hrtime.bigint();
for (let written = 0; written < N;) {
  const n = Math.min(1000, N - written);
  const drafts = [];
  for (let i = 0; i < n; i++) {
    const k = written + i;
    const who = k % 100 === 0 ? rare : common[k % common.length];
    const named = 1 + (k % 3);
    drafts.push({
      stream,
      kind: 'access.listed',
      by: who.id,
      body: {
        call: calls[k % calls.length],
        role: who.role,
        via: 'ws',
        purpose: 'care',
        mode: 'ordinary',
        patients: Array.from({ length: named }, (_, j) => patients[(k * 7 + j) % patients.length]),
      },
    });
  }
  clock += STEP * n;
  movelog.ledger.appendMany(drafts);
  written += n;
}
const seedSeconds = Number(process.hrtime.bigint() - t) / 1e9;
const dbBytes = statSync(join(dir, 'movelog.db')).size;
const month = { from: '2026-03-01', to: '2026-04-30' };

function ms(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
function time(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn(i);
    samples.push(ms(start));
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(runs / 2)], p99: samples[Math.min(runs - 1, Math.floor(runs * 0.99))] };
}
const mb = (bytes) => `${Math.round(bytes / 1e6)} MB`;

// CSV limit: the rows read from the view alone.
t = process.hrtime.bigint();
let limitRows = 0;
for (const row of movelog.db.prepare('SELECT * FROM view_audit ORDER BY at DESC, hash DESC').iterate()) if (row.hash) limitRows++;
const csvLimitMs = ms(t);

// CSV export, sampling RSS at every progress report.
global.gc?.();
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const csvFile = join(dir, 'audit.csv');
t = process.hrtime.bigint();
const csv = await writeAuditCsv(movelog.db, month, csvFile, {
  onProgress: () => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  },
});
const csvMs = ms(t);
const csvBytes = statSync(csvFile).size;
if (csv.rows < N) throw new Error(`the CSV holds ${csv.rows} rows, not the ${N} written`);

// PDF of the rare reader's rows (N / 100), and its limit: as many rows drawn from memory.
const pdfFilter = { ...month, staffId: rare.id };
t = process.hrtime.bigint();
const pdf = await writeAuditPdf(movelog.db, pdfFilter, join(dir, 'audit.pdf'), { integrity: null, madeBy: 'Bench Manager', now: clock });
const pdfMs = ms(t);
const sink = new Writable({ write: (_c, _e, done) => done() });
t = process.hrtime.bigint();
const drawn = new ReportPdf(sink, { title: 'Limit', footer: 'limit', orientation: 'landscape' });
const table = drawn.table([
  { header: 'When', share: 2 },
  { header: 'Who', share: 3 },
  { header: 'What', share: 6 },
  { header: 'Computer', share: 2 },
  { header: 'Clinic', share: 2 },
  { header: 'Entry', share: 1.2 },
]);
for (let i = 0; i < pdf.rows; i++) {
  table.row([
    '2026-03-03 14:05',
    'Rare Reader (therapist)',
    'saw patients in a list · 2 patients · request patient.search',
    'Front desk',
    'Bench',
    '0123456789',
  ]);
  if (i % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
}
await drawn.end();
const pdfLimitMs = ms(t);

// The screen's first page: 100 rows, newest first, as the browser host answers it.
const page = (filter) => {
  const start = process.hrtime.bigint();
  return dispatch(movelog.services, 'audit.rows', { filter, after: null, limit: 100 }, manager).then((r) => {
    if (!r.ok || r.value.rows.length === 0) throw new Error(`audit.rows: ${r.ok ? 'no rows' : r.error.message}`);
    return ms(start);
  });
};
async function timeAsync(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await fn());
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(runs / 2)], p99: samples[Math.min(runs - 1, Math.floor(runs * 0.99))] };
}
const anyHash = movelog.db.prepare('SELECT hash FROM view_audit LIMIT 1').get().hash;
const point = movelog.db.prepare('SELECT * FROM view_audit WHERE hash = ?');
const pointLimit = time(() => point.get(anyHash), RUNS * 20);
const first = await timeAsync(() => page(month), RUNS);
const byStaff = await timeAsync(() => page({ ...month, staffId: rare.id }), RUNS);
t = process.hrtime.bigint();
const summary = await dispatch(movelog.services, 'audit.summary', { filter: month }, manager);
const summaryMs = ms(t);
if (!summary.ok) throw new Error(summary.error.message);

const met = (ok) => (ok ? 'met' : 'NOT MET');
console.log(
  `Audit report — ${N.toLocaleString('en-US')} access entries (seeded at ${Math.round(N / seedSeconds).toLocaleString('en-US')}/s, signed, 1,000 a transaction; database ${mb(dbBytes)})`,
);
console.log(`limit: view_audit read alone ${limitRows.toLocaleString('en-US')} rows in ${(csvLimitMs / 1000).toFixed(2)} s`);
console.log(
  `CSV export (${csv.rows.toLocaleString('en-US')} rows, ${mb(csvBytes)}) ${(csvMs / 1000).toFixed(2)} s, ${ratio(csvMs / csvLimitMs)}× the limit; target ≤ 10 s: ${met(csvMs <= 10_000)}; RSS ${mb(rssBefore)} before, peak ${mb(rssPeak)} (+${mb(rssPeak - rssBefore)})`,
);
console.log(
  `PDF (${pdf.rows.toLocaleString('en-US')} rows) ${(pdfMs / 1000).toFixed(2)} s, ${ratio(pdfMs / pdfLimitMs)}× the limit (the same rows drawn from memory: ${(pdfLimitMs / 1000).toFixed(2)} s)`,
);
console.log(`limit: one row by its key p50 ${pointLimit.p50.toFixed(3)} ms`);
console.log(
  `first page (100 rows of ${csv.rows.toLocaleString('en-US')}) p50 ${first.p50.toFixed(2)} ms, p99 ${first.p99.toFixed(2)} ms, ${ratio(first.p50 / pointLimit.p50)}× the limit; target ≤ 100 ms: ${met(first.p99 <= 100)}`,
);
console.log(
  `first page, one staff member (${pdf.rows.toLocaleString('en-US')} rows) p50 ${byStaff.p50.toFixed(2)} ms, p99 ${byStaff.p99.toFixed(2)} ms, ${ratio(byStaff.p50 / pointLimit.p50)}× the limit; target ≤ 100 ms: ${met(byStaff.p99 <= 100)}`,
);
console.log(`summary (count by action and staff over ${summary.value.total.toLocaleString('en-US')} rows) ${summaryMs.toFixed(0)} ms`);
movelog.close();
rmSync(dir, { recursive: true, force: true });
