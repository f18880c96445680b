import { describe, expect, it } from 'vitest';
import { netnsAvailable } from './harness.js';
import { quantile, soak } from './soak.js';

/** `npm test` runs a few rounds; `npm run soak` runs 100 (SOAK_ROUNDS) and its figures go to docs/benchmarks.md. */
const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 8);
const SEED = Number(process.env.SOAK_SEED ?? 11);
/** The bound stated in docs/benchmarks.md: every device converges within this after each round. */
const CONVERGE_MS = 60_000;

describe('sync soak: two clinics, three devices, stops, starts, signalling restarts and link cuts', () => {
  it(
    `converges after each of ${ROUNDS} seeded rounds (seed ${SEED}), with no crash and no uncaught error`,
    { timeout: 180_000 + ROUNDS * 90_000 },
    async () => {
      if (!netnsAvailable()) throw new Error('This test needs root and `ip netns` (iproute2) to create network namespaces.');
      const report = await soak({ rounds: ROUNDS, seed: SEED, convergeMs: CONVERGE_MS, log: (line) => console.log(line) });
      console.log(
        `soak seed ${report.seed}: ${report.rounds} rounds, convergence p50 ${quantile(report.convergence, 0.5)} ms, p99 ${quantile(report.convergence, 0.99)} ms, max ${quantile(report.convergence, 1)} ms; ${report.crashes.length} crashes, ${report.uncaught.length} uncaught errors`,
      );
      expect(report.crashes).toEqual([]);
      expect(report.uncaught).toEqual([]);
      expect(report.stuck).toEqual([]);
      expect(report.convergence).toHaveLength(ROUNDS);
    },
  );
});
