// Schedule week view: 2,000 appointments in one week, loaded as the `schedule.range` service
// does (with patient, therapist, room and type names and the double-booking flag per visit).
// Limit, measured in the same run on the same database: counting that week's rows over the same
// index (the least SQLite must do to find them). Usage: node bench/schedule.mjs [--appointments N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { demoPatients } from '../out/node/main/cli/demo.js';
import { openMovelog } from '../out/node/main/core.js';
import { registerPatients } from '../out/node/main/services/patients.js';
import { appointmentsInRange, book } from '../out/node/main/services/schedule.js';

const { values } = parseArgs({ options: { appointments: { type: 'string', default: '2000' } } });
const N = Number(values.appointments);
const dir = mkdtempSync(join(tmpdir(), 'movelog-bench-schedule-'));
const m = openMovelog(dir, Date.now, { warn() {}, error() {} });
const cli = { session: null, bridge: 'cli' };
const clinic = await m.services['clinic.setup']({ clinicName: 'Bench', managerName: 'Bench Manager', passphrase: 'bench passphrase' }, cli);
const manager = { session: { staffId: clinic.manager.id, role: 'manager' }, bridge: 'cli' };
const therapists = [];
for (let i = 0; i < 40; i++) therapists.push((await m.services['staff.add']({ name: `Therapist ${i}`, role: 'therapist', licence: null, passphrase: 'therapist passphrase' }, manager)).id);
const type = m.services['schedule.defineType']({ typeId: null, name: 'Follow-up', minutes: 30, category: 'follow_up', active: true }, manager).typeId;
const deps = { ledger: m.ledger, keystore: m.keystore, now: Date.now };
const patients = registerPatients(deps, demoPatients(N, 3), clinic.manager.id);
const monday = Date.UTC(2026, 11, 7);
const desk = { session: { staffId: clinic.manager.id, role: 'manager' }, bridge: 'cli' };
// 40 therapists × 5 days × 10 half-hour slots = 2,000 visits without double bookings.
for (let i = 0; i < N; i++) {
  const t = i % 40;
  const slot = Math.floor(i / 40);
  const start = monday + (slot % 5) * 86_400_000 + 8 * 3_600_000 + Math.floor(slot / 5) * 1_800_000;
  book(deps, { patientId: patients[i], therapistId: therapists[t], roomId: null, typeId: type, start, weeks: 1, allowConflict: true }, desk);
}
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
console.log(`schedule.range, whole clinic    p50 ${range.p50.toFixed(2)} ms, p99 ${range.p99.toFixed(2)} ms  (p50 ratio to limit ${(range.p50 / limit.p50).toFixed(0)}×)`);
console.log(`schedule.range, one therapist   p50 ${one.p50.toFixed(2)} ms, p99 ${one.p99.toFixed(2)} ms`);
m.close();
rmSync(dir, { recursive: true, force: true });
