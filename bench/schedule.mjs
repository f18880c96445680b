// Schedule week view: 2,000 appointments in one week, loaded through the `schedule.range` service
// (with patient, therapist, room and type names and the double-booking flag per visit).
// Limit, measured in the same run on the same database: counting that week's rows over the same
// index (the least SQLite must do to find them).
// Usage: node bench/schedule.mjs [--appointments N] [--therapists N] [--smoke]   (run `npm run build` first)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchOptions, ratio } from './options.mjs';
import { seedWeek } from './seed-week.mjs';

// Each therapist costs a passphrase verifier (scrypt, ~0.2 s), so a smoke run has few.
const options = benchOptions('node bench/schedule.mjs [--appointments N] [--therapists N] [--smoke]', {
  appointments: { full: 2_000, smoke: 80 },
  therapists: { full: 40, smoke: 4 },
});
const N = options.appointments;
const RUNS = options.smoke ? 10 : 50;
const dir = mkdtempSync(join(tmpdir(), 'movelog-bench-schedule-'));
const monday = Date.UTC(2026, 11, 7);
const { movelog: m, therapists } = await seedWeek(dir, N, monday, { therapists: options.therapists });
const manager = { session: null, bridge: 'cli' };
const range = (input) => m.services['schedule.range'](input, manager);
const week = { from: monday, to: monday + 7 * 86_400_000 };
// The limit reads the table `schedule.range` reads (view_appointments) directly.
const count = m.db.prepare('SELECT count(*) FROM view_appointments WHERE start < ? AND end > ?').pluck();
function time(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(runs / 2)], p99: samples[Math.floor(runs * 0.99)] };
}
const loaded = range(week);
if (loaded.length !== N || count.get(week.to, week.from) !== N) throw new Error(`the week holds ${loaded.length} appointments, not the ${N} booked`);
const limit = time(() => count.get(week.to, week.from), RUNS);
const all = time(() => range(week), RUNS);
const one = time(() => range({ ...week, therapistId: therapists[0] }), RUNS);
console.log(`Schedule week view — ${loaded.length} appointments in one week, ${therapists.length} therapists`);
console.log(`limit: count of the week's rows over the start index  p50 ${limit.p50.toFixed(2)} ms, p99 ${limit.p99.toFixed(2)} ms`);
console.log(
  `schedule.range, whole clinic    p50 ${all.p50.toFixed(2)} ms, p99 ${all.p99.toFixed(2)} ms  (p50 ${ratio(all.p50 / limit.p50)}× the limit)`,
);
console.log(
  `schedule.range, one therapist   p50 ${one.p50.toFixed(2)} ms, p99 ${one.p99.toFixed(2)} ms  (p50 ${ratio(one.p50 / limit.p50)}× the limit)`,
);
m.close();
rmSync(dir, { recursive: true, force: true });
