// What every bench shares: its command line (sizes, and `--smoke`) and how it prints a ratio.
//
// `--smoke` runs a bench at tiny sizes with few repetitions. `npm test` runs every bench that way
// (test/bench-smoke.int.test.ts) to prove that it still runs to the end and prints its ratios; a
// smoke run's figures mean nothing and nothing checks them against a target (docs/benchmarks.md).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

// Every data folder a bench opens (here or in the processes it starts, which inherit the
// environment) is unlocked with a key file made for this run, as an unattended computer's is
// (docs/architecture.md#the-vault): a bench measures Movelog's work, not a passphrase's scrypt.
if (!process.env.MOVELOG_KEY_FILE && !process.env.MOVELOG_CLINIC_PASSPHRASE) {
  const file = join(mkdtempSync(join(tmpdir(), 'movelog-bench-key-')), 'vault.key');
  writeFileSync(file, randomBytes(32), { mode: 0o600 });
  process.env.MOVELOG_KEY_FILE = file;
}

/**
 * Reads a bench's command line. `sizes` names its size options, each with its full and its smoke
 * default (`{ entries: { full: 100_000, smoke: 1_000 } }` for `--entries N`); every size must be a
 * whole number of at least 1. Bad input prints the usage and exits with code 2 before any work.
 * @template {string} K
 * @param {string} usage
 * @param {Record<K, { full: number, smoke: number }>} sizes
 * @returns {{ smoke: boolean } & Record<K, number>}
 */
export function benchOptions(usage, sizes) {
  /** @type {Record<string, { type: 'string' } | { type: 'boolean' }>} */
  const options = { smoke: { type: 'boolean' } };
  for (const name of Object.keys(sizes)) options[name] = { type: 'string' };
  let values;
  try {
    ({ values } = parseArgs({ options }));
  } catch (error) {
    usageError(usage, error instanceof Error ? error.message : String(error));
  }
  const smoke = values.smoke === true;
  /** @type {Record<string, number | boolean>} */
  const chosen = { smoke };
  for (const [name, defaults] of Object.entries(sizes)) {
    const raw = values[name];
    const n = raw === undefined ? (smoke ? defaults.smoke : defaults.full) : Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) usageError(usage, `--${name} must be a whole number of at least 1, not "${String(raw)}".`);
    chosen[name] = n;
  }
  if (smoke) console.log('Smoke run: tiny sizes, few repetitions; it checks that this bench runs, its figures mean nothing.');
  return /** @type {{ smoke: boolean } & Record<K, number>} */ (chosen);
}

/** @param {string} usage @param {string} problem @returns {never} */
function usageError(usage, problem) {
  process.stderr.write(`${problem}\nUsage: ${usage}\n`);
  process.exit(2);
}

/**
 * A ratio as every bench prints it: the word `ratio` and the number, with two significant digits
 * (so a small ratio never shows as 0) and whole numbers from 100 up. The smoke test reads
 * ratios by this form.
 * @param {number} x
 */
export function ratio(x) {
  if (!Number.isFinite(x)) return `ratio ${x}`;
  return `ratio ${Math.abs(x) >= 100 ? Math.round(x).toString() : Number(x.toPrecision(2)).toString()}`;
}
