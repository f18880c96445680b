// Patient search over N patients (default 50,000), as the browser host's service runs it.
// Limit, measured in the same run on the same database: an indexed point lookup of one patient
// by id (the cheapest query SQLite can answer). Usage: node bench/patients.mjs [--patients N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { demoPatients } from '../out/node/main/cli/demo.js';
import { openMovelog } from '../out/node/main/core.js';
import { registerPatients, searchPatients } from '../out/node/main/services/patients.js';

const { values } = parseArgs({ options: { patients: { type: 'string', default: '50000' } } });
const N = Number(values.patients);
const dir = mkdtempSync(join(tmpdir(), 'movelog-bench-patients-'));
const movelog = openMovelog(dir, Date.now, { warn() {}, error() {} });
const setup = await movelog.services['clinic.setup'](
  { clinicName: 'Bench', managerName: 'Bench Manager', passphrase: 'bench passphrase' },
  { session: null, bridge: 'cli' },
);
const list = demoPatients(N, 7);
let t = process.hrtime.bigint();
for (let i = 0; i < N; i += 1000) registerPatients({ ledger: movelog.ledger, keystore: movelog.keystore }, list.slice(i, i + 1000), setup.manager.id);
const registerSeconds = Number(process.hrtime.bigint() - t) / 1e9;

function time(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(runs / 2)], p99: samples[Math.floor(runs * 0.99)] };
}
const ids = movelog.db.prepare('SELECT patient_id FROM view_patients LIMIT 500').pluck().all();
const point = movelog.db.prepare('SELECT * FROM view_patients WHERE patient_id = ?');
const limit = time((i) => point.get(ids[i % ids.length]), 2000);
const queries = {
  'family name prefix ("nu")': (i) => searchPatients(movelog.db, ['nu', 'sm', 'pa', 'ok'][i % 4], 50),
  'two words ("maria nunez")': () => searchPatients(movelog.db, 'maria nunez', 50),
  'date of birth': (i) => searchPatients(movelog.db, list[i % N].dateOfBirth, 50),
  'phone digits': (i) => searchPatients(movelog.db, list[i % N].phone.slice(-6), 50),
  'empty query (first page)': () => searchPatients(movelog.db, '', 50),
};
console.log(
  `Patient search — ${N.toLocaleString('en-US')} patients (registered at ${Math.round(N / registerSeconds).toLocaleString('en-US')}/s, sealed)`,
);
console.log(`limit: indexed point lookup p50 ${limit.p50.toFixed(3)} ms, p99 ${limit.p99.toFixed(3)} ms`);
for (const [name, fn] of Object.entries(queries)) {
  const r = time(fn, 200);
  console.log(
    `${name.padEnd(28)} p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms  (p50 ratio to limit ${(r.p50 / limit.p50).toFixed(0)}×; target ≤ 50 ms)`,
  );
}
movelog.close();
rmSync(dir, { recursive: true, force: true });
