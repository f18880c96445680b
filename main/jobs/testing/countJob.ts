import { setImmediate as nextTurn } from 'node:timers/promises';
import { writeAtomic } from '../../store/atomicFile.js';
import type { JobRun } from '../kind.js';

/**
 * A job kind's module for tests only (tests register it through `registerJobKind`; Movelog never
 * does): writes `rows` numbered lines through writeAtomic, reporting progress every 10 lines.
 * `holdAt`: after that many lines it waits for Cancel (or, with `ignoreCancel`, blocks its thread
 * for good: the runner must terminate it). `gate`: before writing, blocks its thread synchronously
 * until the test stores 1 in the shared buffer (proves the job is not on the main thread).
 */
export interface CountInput {
  readonly rows: number;
  readonly holdAt?: number;
  readonly ignoreCancel?: boolean;
  readonly gate?: SharedArrayBuffer;
}

export const run: JobRun<CountInput, { rows: number; entries: number }> = async (db, input, out, { onProgress, signal }) => {
  const entries = (db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  if (input.gate) {
    const flag = new Int32Array(input.gate);
    onProgress?.(0, input.rows);
    while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0);
  }
  if (!out) throw new Error('the count job writes a file');
  await writeAtomic(
    out,
    async (target) => {
      for (let i = 1; i <= input.rows; i++) {
        target.stream.write(`${String(i)}\n`);
        if (i % 10 === 0) onProgress?.(i, input.rows);
        if (i === input.holdAt) {
          // Busy, never looking at the signal: only terminating the worker stops it.
          if (input.ignoreCancel) for (;;) Math.random();
          await new Promise<void>((resolve) => {
            if (signal?.aborted) resolve();
            signal?.addEventListener('abort', () => resolve(), { once: true });
          });
        }
        if (i % 10 === 0 || i === input.holdAt) {
          await nextTurn();
          signal?.throwIfAborted();
        }
      }
    },
    signal,
  );
  return { rows: input.rows, entries };
};
