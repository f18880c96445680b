// Ledger benchmark (issue: the signed, hash-chained ledger). Every rate is printed with the limit
// it is compared against, measured in this same run on this same machine:
//   - sign limit:   node:crypto Ed25519 one-shot signs/s on one core (the OpenSSL limit)
//   - verify limit: node:crypto Ed25519 verifies/s on one core × available cores
// Usage: node bench/ledger.mjs [--entries N] [--singles N]   (run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appendStaffEntries, setUpClinic } from '../test/support/ledger-tools.mjs';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '100000' }, singles: { type: 'string', default: '2000' } } });
const ENTRIES = Number(values.entries);
const SINGLES = Number(values.singles);
const cores = availableParallelism();

function rate(fn, seconds = 2) {
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const message = randomBytes(47);
const signature = sign(null, message, privateKey);
const signLimit = rate(() => sign(null, message, privateKey));
const verifyOneCore = rate(() => verify(null, message, publicKey, signature));
const verifyLimit = verifyOneCore * cores;
const openssl = spawnSync('openssl', ['speed', '-seconds', '2', 'ed25519'], { encoding: 'utf8' });
const opensslLine =
  openssl.status === 0
    ? openssl.stdout
        .split('\n')
        .find((l) => /Ed25519\)/.test(l))
        ?.trim()
    : null;

const dir = mkdtempSync(join(tmpdir(), 'movelog-bench-'));
const { movelog, clinic, stream } = await setUpClinic(dir);

// Batched append: sign + hash + insert + reduce, 1,000 entries per transaction.
let t0 = process.hrtime.bigint();
appendStaffEntries(movelog, clinic, stream, ENTRIES, 1000);
const batchedRate = ENTRIES / (Number(process.hrtime.bigint() - t0) / 1e9);

// Single interactive appends, each its own fsync'd transaction (synchronous=FULL, WAL).
const latencies = [];
for (let i = 0; i < SINGLES; i++) {
  const start = process.hrtime.bigint();
  movelog.ledger.append({
    stream,
    kind: 'staff.added',
    by: clinic.manager.id,
    body: { staffId: 'e'.repeat(31) + (i % 10), name: `Single ${i}`, role: 'therapist', licence: null },
  });
  latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
const total = ENTRIES + SINGLES + 3;
movelog.close();

// Full verification in a separate process (as `movelog verify` runs), with its peak memory.
const verifyRun = spawnSync(process.execPath, [new URL('./verify-run.mjs', import.meta.url).pathname, join(dir, 'movelog.db')], { encoding: 'utf8' });
if (verifyRun.status !== 0) throw new Error(verifyRun.stderr);
const v = JSON.parse(verifyRun.stdout.trim().split('\n').pop());
if (!v.ok || v.entries !== total) throw new Error(`verification failed: ${verifyRun.stdout}`);
const verifyRate = v.entries / v.seconds;
rmSync(dir, { recursive: true, force: true });

const f = (x) => Math.round(x).toLocaleString('en-US');
const r = (x) => x.toFixed(2);
console.log(`Ledger benchmark — ${cores} cores, Node ${process.version}, ${ENTRIES.toLocaleString('en-US')} batched + ${SINGLES} single appends`);
if (opensslLine) console.log(`openssl speed ed25519: ${opensslLine}`);
console.log(`limit  sign (node:crypto, 1 core):            ${f(signLimit)} /s`);
console.log(`limit  verify (node:crypto, 1 core × ${cores}):     ${f(verifyOneCore)} × ${cores} = ${f(verifyLimit)} /s`);
console.log(`batched append (1,000 per transaction):     ${f(batchedRate)} /s   ratio to sign limit ${r(batchedRate / signLimit)} (target ≥ 0.80)`);
console.log(
  `single append with fsync:                   p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms (target p99 ≤ 5 ms), ${f(1000 / (latencies.reduce((a, b) => a + b, 0) / latencies.length))} /s`,
);
console.log(
  `full verification (${f(v.entries)} entries):       ${f(verifyRate)} /s   ratio to verify limit × cores ${r(verifyRate / verifyLimit)} (target ≥ 0.80); peak RSS ${Math.round(v.maxRssMb)} MB`,
);
