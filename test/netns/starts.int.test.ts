import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNet, netnsAvailable } from './harness.js';
import type { Net } from './harness.js';
import { finished, PACKAGE_ROOT, startSignal } from './movelogNet.js';

/** Rounds of two devices starting at the same moment (docs/architecture.md#signalling-and-connection-set-up). */
const ROUNDS = Number(process.env.STARTS_ROUNDS ?? 100);
/** A round whose two sides are not connected by then fails the test. */
const ROUND_TIMEOUT_MS = 45_000;

const DEVICES = { a: 'A'.repeat(43), b: 'b'.repeat(43) };

/** Lines a child prints, as they come; `next(pattern)` resolves with the first unread line matching it. */
function lineReader(child: ChildProcessWithoutNullStreams) {
  const seen: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const index = waiting.findIndex((w) => w.pattern.test(line));
      if (index >= 0) waiting.splice(index, 1)[0]?.resolve(line);
      else seen.push(line);
    }
  });
  return {
    next(pattern: RegExp, timeoutMs: number, what: string): Promise<string> {
      const index = seen.findIndex((line) => pattern.test(line));
      if (index >= 0) return Promise.resolve(seen.splice(index, 1)[0] ?? '');
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
        waiting.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
  };
}

describe('two devices that start at the same moment', () => {
  let net: Net;
  const peers: { name: 'a' | 'b'; child: ChildProcessWithoutNullStreams; lines: ReturnType<typeof lineReader>; done: ReturnType<typeof finished> }[] =
    [];

  beforeAll(async () => {
    if (!netnsAvailable()) throw new Error('These tests need root and `ip netns` (iproute2) to create network namespaces.');
    net = await createNet({ peers: ['a', 'b'] });
    const signal = await startSignal(net);
    for (const name of ['a', 'b'] as const) {
      const child = net.spawn(name, process.execPath, [join(PACKAGE_ROOT, 'test', 'netns', 'room-peer.mjs'), DEVICES[name], signal], {
        cwd: PACKAGE_ROOT,
      });
      peers.push({ name, child, lines: lineReader(child), done: finished(child) });
    }
  }, 60_000);

  afterAll(async () => {
    await net.destroy();
  }, 30_000);

  it(`connect in every one of ${ROUNDS} rounds, and leave without a crash`, { timeout: ROUNDS * 20_000 + 60_000 }, async () => {
    const times: number[] = [];
    const leaving: Promise<string>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const room = `starts-${process.pid}-${round}`;
      // Both at once: the same event-loop turn here, a fraction of a millisecond apart there.
      for (const p of peers) p.child.stdin.write(`open ${room}\n`);
      const connected = await Promise.all(
        peers.map((p) => p.lines.next(new RegExp(`^connected ${room} `), ROUND_TIMEOUT_MS, `${p.name} to connect in round ${round}`)),
      );
      times.push(...connected.map((line) => Number(line.split(' ')[2])));
      // Leaving takes the grace period (transport.ts): the next round starts meanwhile.
      for (const p of peers) p.child.stdin.write(`close ${room}\n`);
      leaving.push(
        ...peers.map((p) => p.lines.next(new RegExp(`^closed ${room}$`), ROUND_TIMEOUT_MS * 2, `${p.name} to leave the room of round ${round}`)),
      );
    }
    await Promise.all(leaving);
    for (const p of peers) p.child.stdin.write('quit\n');
    const exits = await Promise.all(peers.map((p) => p.done));
    for (const exit of exits) {
      expect(exit.signal, exit.stderr).toBeNull();
      expect(exit.code, exit.stderr).toBe(0);
      expect(exit.stderr).toBe('');
    }
    times.sort((x, y) => x - y);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
    console.log(`${ROUNDS} simultaneous starts: all connected; time to connect p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
    expect(times).toHaveLength(ROUNDS * 2);
  });
});
