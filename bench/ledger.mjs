// Ledger benchmark (issue: the signed, hash-chained ledger). Every rate is printed with the limit
// it is compared against, measured in this same run on this same machine:
//   - sign limit:   node:crypto Ed25519 one-shot signs/s on one core (the OpenSSL limit)
//   - verify limit: node:crypto Ed25519 verifies/s on one core × available cores
// Usage: node bench/ledger.mjs [--entries N] [--singles N] [--smoke]   (run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendStaffEntries, setUpClinic } from '../test/support/ledger-tools.mjs';
import { benchOptions, ratio } from './options.mjs';

const options = benchOptions('node bench/ledger.mjs [--entries N] [--singles N] [--smoke]', {
  entries: { full: 100_000, smoke: 2_000 },
  singles: { full: 2_000, smoke: 50 },
});
const ENTRIES = options.entries;
const SINGLES = options.singles;
const cores = availableParallelism();
// How long each limit is measured: long enough to be steady, except in a smoke run.
const LIMIT_SECONDS = options.smoke ? 0.2 : 2;

function rate(fn, seconds = LIMIT_SECONDS) {
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
// `openssl speed` takes seconds whatever it is asked; a smoke run leaves it out.
const openssl = options.smoke ? null : spawnSync('openssl', ['speed', '-seconds', '2', 'ed25519'], { encoding: 'utf8' });
const opensslLine =
  openssl?.status === 0
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
// Counted, not assumed: setup writes a few entries of its own (genesis, manager, passphrase
// verifier, time zone, … as it grows), and verification must find every entry stored.
const total = movelog.services['ledger.status']().entries;
if (total < ENTRIES + SINGLES) throw new Error(`the ledger holds ${total} entries, fewer than the ${ENTRIES + SINGLES} this bench appended`);
movelog.close();

// Full verification in a separate process (as `movelog verify` runs), with its peak memory.
const verifyRun = spawnSync(process.execPath, [new URL('./verify-run.mjs', import.meta.url).pathname, join(dir, 'movelog.db')], { encoding: 'utf8' });
if (verifyRun.status !== 0) throw new Error(verifyRun.stderr);
const v = JSON.parse(verifyRun.stdout.trim().split('\n').pop());
if (!v.ok) throw new Error(`verification found a problem: ${verifyRun.stdout}`);
if (v.entries !== total) throw new Error(`verification checked ${v.entries} entries, but the ledger holds ${total}`);
const verifyRate = v.entries / v.seconds;
rmSync(dir, { recursive: true, force: true });

const f = (x) => Math.round(x).toLocaleString('en-US');
console.log(
  `Ledger benchmark — ${cores} cores, Node ${process.version}, ${ENTRIES.toLocaleString('en-US')} batched + ${SINGLES} single appends (+ ${total - ENTRIES - SINGLES} written by setup)`,
);
if (opensslLine) console.log(`openssl speed ed25519: ${opensslLine}`);
console.log(`limit  sign (node:crypto, 1 core):            ${f(signLimit)} /s`);
console.log(`limit  verify (node:crypto, 1 core × ${cores}):     ${f(verifyOneCore)} × ${cores} = ${f(verifyLimit)} /s`);
console.log(`batched append (1,000 per transaction):     ${f(batchedRate)} /s   ${ratio(batchedRate / signLimit)} to the sign limit (target ≥ 0.80)`);
console.log(
  `single append with fsync:                   p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms (target p99 ≤ 5 ms), ${f(1000 / (latencies.reduce((a, b) => a + b, 0) / latencies.length))} /s`,
);
console.log(
  `full verification (${f(v.entries)} entries):       ${f(verifyRate)} /s   ${ratio(verifyRate / verifyLimit)} to the verify limit × cores (target ≥ 0.80); peak RSS ${Math.round(v.maxRssMb)} MB`,
);
