// Schedule week view: 2,000 appointments in one week, loaded as the `schedule.range` service
// does (with patient, therapist, room and type names and the double-booking flag per visit).
// Limit, measured in the same run on the same database: counting that week's rows over the same
// index (the least SQLite must do to find them). Usage: node bench/schedule.mjs [--appointments N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appointmentsInRange } from '../out/node/main/services/schedule.js';
import { seedWeek } from './seed-week.mjs';

const { values } = parseArgs({ options: { appointments: { type: 'string', default: '2000' } } });
const N = Number(values.appointments);
const dir = mkdtempSync(join(tmpdir(), 'movelog-bench-schedule-'));
const monday = Date.UTC(2026, 11, 7);
const { movelog: m, therapists } = await seedWeek(dir, N, monday);
const week = { from: monday, to: monday + 7 * 86_400_000 };
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
const limit = time(() => count.get(week.to, week.from), 50);
const loaded = appointmentsInRange(m.db, week);
const range = time(() => appointmentsInRange(m.db, week), 50);
const one = time(() => appointmentsInRange(m.db, { ...week, therapistId: therapists[0] }), 50);
console.log(`Schedule week view — ${loaded.length} appointments in one week, ${therapists.length} therapists`);
console.log(`limit: count of the week's rows over the start index  p50 ${limit.p50.toFixed(2)} ms, p99 ${limit.p99.toFixed(2)} ms`);
console.log(
  `schedule.range, whole clinic    p50 ${range.p50.toFixed(2)} ms, p99 ${range.p99.toFixed(2)} ms  (p50 ratio to limit ${(range.p50 / limit.p50).toFixed(0)}×)`,
);
console.log(`schedule.range, one therapist   p50 ${one.p50.toFixed(2)} ms, p99 ${one.p99.toFixed(2)} ms`);
m.close();
rmSync(dir, { recursive: true, force: true });
