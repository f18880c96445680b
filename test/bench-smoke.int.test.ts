// Every bench in bench/ runs in `npm test`, in its smoke mode (`--smoke`: tiny sizes, few
// repetitions), as a child process against the build (out/), so a bench cannot rot unnoticed
// (docs/benchmarks.md#smoke-runs). This checks that each runs to the end and prints each of its
// ratios as a finite positive number; it never looks at how long anything took.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { netnsAvailable } from './netns/harness.js';
import { finished } from './support/cli.js';
import { PACKAGE_ROOT } from './support/host.js';

const running = new Set<ChildProcess>();

/** Runs `node bench/<file> <args>` in its own process group, so a hung bench's browser and hosts can be ended with it. */
function bench(file: string, args: readonly string[] = ['--smoke']) {
  const child = spawn(process.execPath, [`bench/${file}`, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, MOVELOG_DATA: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  return finished(child).finally(() => running.delete(child));
}

// A bench still running when its test ends (it failed or timed out) goes, with everything it started.
afterEach(() => {
  for (const child of running) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // already gone
    }
  }
  running.clear();
});

/** The numbers after the word `ratio` on a line (bench/options.mjs prints every ratio that way). */
function ratiosOn(line: string): number[] {
  return [...line.matchAll(/\bratio ([^\s×);,]+)/g)].map((m) => Number(m[1]));
}

/**
 * Runs one bench in smoke mode and checks its output: it says it is a smoke run, exits 0, and
 * prints a line starting with each of `ratioLines` that carries finite positive ratios, and a
 * line starting with each of `otherLines`.
 */
async function smoke(file: string, ratioLines: readonly string[], otherLines: readonly string[] = []) {
  const run = await bench(file);
  const context = `bench/${file} --smoke\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
  expect(run.code, context).toBe(0);
  const lines = run.stdout.split('\n');
  expect(lines[0], context).toMatch(/^Smoke run: /);
  for (const start of ratioLines) {
    const line = lines.find((l) => l.startsWith(start));
    expect(line, `no line starting "${start}" in ${context}`).toBeDefined();
    const ratios = ratiosOn(line ?? '');
    expect(ratios.length, `no ratio on "${line}"`).toBeGreaterThan(0);
    for (const r of ratios) {
      expect(Number.isFinite(r), `ratio on "${line}" is not a finite number`).toBe(true);
      expect(r, `ratio on "${line}" is not positive`).toBeGreaterThan(0);
    }
  }
  for (const start of otherLines)
    expect(
      lines.some((l) => l.startsWith(start)),
      `no line starting "${start}" in ${context}`,
    ).toBe(true);
  return run;
}

describe('benches in smoke mode (bench/*.mjs --smoke, against the build)', () => {
  it('ledger.mjs: batched appends, single appends, and full verification of every entry it counts', async () => {
    const run = await smoke('ledger.mjs', ['batched append', 'full verification'], ['single append with fsync']);
    // Verification checked exactly the entries the ledger holds: the bench's own plus setup's.
    const header = /(\d[\d,]*) batched \+ (\d+) single appends \(\+ (\d+) written by setup\)/.exec(run.stdout);
    const verified = /full verification \(([\d,]+) entries\)/.exec(run.stdout);
    const n = (s: string | undefined) => Number((s ?? '').replaceAll(',', ''));
    expect(header && verified, run.stdout).toBeTruthy();
    expect(n(verified?.[1])).toBe(n(header?.[1]) + n(header?.[2]) + n(header?.[3]));
    expect(n(header?.[3])).toBeGreaterThan(0);
  });

  it('patients.mjs: every kind of patient search against the point lookup', async () => {
    await smoke('patients.mjs', [
      'family name prefix',
      'two words',
      'date of birth',
      'phone digits',
      'empty query',
      'name + year',
      'name + date',
      'phone prefix all share',
      'phone as typed',
    ]);
  });

  it('schedule.mjs: schedule.range for the whole clinic and for one therapist', async () => {
    await smoke('schedule.mjs', ['schedule.range, whole clinic', 'schedule.range, one therapist']);
  });

  it('audit.mjs: CSV export, PDF and the first page of the audit report, each against its limit', async () => {
    const run = await smoke(
      'audit.mjs',
      ['CSV export', 'PDF', 'first page (', 'first page, one staff member'],
      ['limit: view_audit read alone', 'summary'],
    );
    // The CSV held every entry seeded (and setup's).
    const seeded = Number(/— ([\d,]+) access entries/.exec(run.stdout)?.[1]?.replaceAll(',', ''));
    const rows = Number(/CSV export \(([\d,]+) rows/.exec(run.stdout)?.[1]?.replaceAll(',', ''));
    expect(rows).toBeGreaterThan(seeded);
  });

  it('sign.mjs: notes.sign of a charted note against the bare sealed append', async () => {
    await smoke('sign.mjs', ['notes.sign p99'], ['limit: sealed note appended alone']);
  });

  it('ui.mjs: week view, busy day and patient search in Chromium', async () => {
    await smoke('ui.mjs', ['week view'], ['limit: empty week rendered', "busy day opened from an hour's count", 'patient search, keystroke to rows']);
  });

  it('chart.mjs: the Chart tab of a patient with many visits in Chromium, against a one-visit chart', async () => {
    await smoke('chart.mjs', ['chart with'], ['limit: chart of a patient with one visit', 'of which chart.get alone']);
  });

  it('sync.mjs: bootstrap over WebRTC between network namespaces, against hypercore (hypercore.mjs)', async () => {
    if (!netnsAvailable()) throw new Error('bench/sync.mjs needs root and `ip netns` (iproute2) to create network namespaces.');
    await smoke('sync.mjs', ['bootstrap rate', 'wire bytes'], ['limit: hypercore', 'converged in']);
  });

  it(
    'consent-share.mjs: a grant for many patients at once to a newly trusted clinic, against a new device bootstrapping the same entries; revocation to no key',
    { timeout: 240_000 },
    async () => {
      if (!netnsAvailable()) throw new Error('bench/consent-share.mjs needs root and `ip netns` (iproute2) to create network namespaces.');
      await smoke(
        'consent-share.mjs',
        ['share rate', 'revocation to no key at Summit, one patient'],
        ['limit: bootstrap', 'grants written', 'revocation to no key at Summit, the other'],
      );
    },
  );

  it('hypercore.mjs on its own prints its replication rate as JSON', async () => {
    const run = await smoke('hypercore.mjs', []);
    const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as { blocks: number; blocksPerSecond: number };
    expect(result.blocks).toBeGreaterThan(0);
    expect(Number.isFinite(result.blocksPerSecond) && result.blocksPerSecond > 0).toBe(true);
  });

  it('a bench refuses a size that is not a whole number, before doing any work', async () => {
    const run = await bench('ledger.mjs', ['--entries', '0']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      '--entries must be a whole number of at least 1, not "0".\nUsage: node bench/ledger.mjs [--entries N] [--singles N] [--smoke]\n',
    );
  });
});
