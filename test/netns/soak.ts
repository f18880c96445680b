/**
 * The sync soak (docs/benchmarks.md, "Sync soak"): two clinics, three devices, each `movelog`
 * process in its own network namespace, two signalling servers. It sets the clinics up exactly as
 * the README's two-clinic example does, on fresh folders (init, init, invite, trust), pairs a second
 * Harbour device, then runs seeded rounds of random writes with random trouble: sync processes
 * stopped (SIGTERM, or SIGKILL as in a power cut) and started together, signalling servers
 * restarted, links cut (for a few seconds, or long enough for WebRTC to give up). After each round every
 * device must converge within `convergeMs`; every process must end by itself with code 0 (never by
 * a signal) and print nothing on stderr (no uncaught error).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Movelog } from '../../main/core.js';
import { viewDigest } from '../../main/ledger/rebuild.js';
import { clinicStream } from '../../main/ledger/streams.js';
import { createNet } from './harness.js';
import type { Net } from './harness.js';
import { clinicId, entryCount, finished, movelog, open, printed, writeMany } from './movelogNet.js';

export interface SoakOptions {
  readonly rounds: number;
  readonly seed: number;
  /** Every device must have converged this long after the round's trouble ended. */
  readonly convergeMs: number;
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly seed: number;
  readonly rounds: number;
  /** Milliseconds from the end of each round's trouble until every device agreed. */
  readonly convergence: number[];
  /** Processes that ended by a signal, or with another code than 0 (with what they printed). */
  readonly crashes: string[];
  /** Processes that printed on stderr (uncaught errors and warnings). */
  readonly uncaught: string[];
  /** Rounds that did not converge in time (with the counts at that moment). */
  readonly stuck: string[];
  /** What each round did, for reading a failure against its seed. */
  readonly actions: string[];
}

const HARBOUR = { clinic: 'Harbour Rehab', manager: 'Lee Chen' };
const SUMMIT = { clinic: 'Summit Physio', manager: 'Ana Ruiz' };
const PORTS = [4444, 4445] as const;
const STOP_TIMEOUT_MS = 20_000;
const PROMPT = 'Do the safety numbers match? [yes/no] ';

/** mulberry32: a small seeded generator, so a seed replays the same rounds. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    subset: <T>(items: readonly T[]): T[] => {
      const picked = items.filter(() => next() < 0.5);
      return picked.length > 0 ? picked : [items[Math.floor(next() * items.length)] as T];
    },
  };
}

const held = (m: Movelog, stream: string) =>
  m.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM entries WHERE stream = ?').get(stream)?.n ?? 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function soak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const rng = generator(options.seed);
  const report: { -readonly [K in keyof SoakReport]: SoakReport[K] } = {
    seed: options.seed,
    rounds: 0,
    convergence: [],
    crashes: [],
    uncaught: [],
    stuck: [],
    actions: [],
  };
  const net: Net = await createNet({ peers: ['a', 'b', 'c'] });
  const opened: Movelog[] = [];
  const urls = PORTS.map((port) => `ws://${net.hubAddress}:${port}`);

  /** A process that must end by itself (or on SIGTERM) with code 0 and nothing on stderr. */
  const watch = (what: string, child: ChildProcessWithoutNullStreams) => {
    const done = finished(child);
    let expected = false;
    let killed = false;
    void done.then((exit) => {
      if (killed) return;
      if (exit.signal !== null || exit.code !== 0 || !expected)
        report.crashes.push(
          `${what}: ${expected ? '' : 'ended by itself, '}exit code ${String(exit.code)}, signal ${String(exit.signal)}\n${exit.stdout}${exit.stderr}`,
        );
      // The question invite and trust ask (on stderr, as prompts are) is the only thing expected there.
      const stderr = exit.stderr.replaceAll(PROMPT, '');
      if (stderr.trim() !== '') report.uncaught.push(`${what}: ${stderr}`);
    });
    return {
      child,
      done,
      /** SIGTERM, then waits for the exit (SIGKILL after STOP_TIMEOUT_MS, reported as a crash). */
      async stop() {
        expected = true;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await done;
        clearTimeout(timer);
      },
      /** A power cut: SIGKILL, no goodbye (not counted as a crash). */
      async kill() {
        killed = true;
        child.kill('SIGKILL');
        await done;
      },
      expectEnd() {
        expected = true;
        return done;
      },
    };
  };

  const servers = new Map<number, ReturnType<typeof watch>>();
  const startServer = async (port: number) => {
    const child = movelog(net, 'hub', ['signal', '--port', String(port)]);
    servers.set(port, watch(`signal :${port}`, child));
    await printed(child, /Signaling server running/);
  };
  /** A one-shot command that must end with code 0. */
  const command = async (peer: string, args: string[]) => {
    const w = watch(`${peer}: movelog ${args[0] ?? ''}`, movelog(net, peer, args));
    const exit = await w.expectEnd();
    if (exit.code !== 0) throw new Error(`movelog ${args.join(' ')} on ${peer} failed (exit ${String(exit.code)}): ${exit.stdout}${exit.stderr}`);
    return exit;
  };

  const dirs = {
    a: mkdtempSync(join(tmpdir(), 'movelog-soak-a-')),
    b: mkdtempSync(join(tmpdir(), 'movelog-soak-b-')),
    c: mkdtempSync(join(tmpdir(), 'movelog-soak-c-')),
  };
  const names = ['a', 'b', 'c'] as const;
  type Name = (typeof names)[number];
  const syncs = new Map<Name, ReturnType<typeof watch>>();
  const startSyncs = async (which: readonly Name[]) => {
    // All at once: the simultaneous starts that once left devices unconnected.
    await Promise.all(
      which.map(async (name) => {
        const child = movelog(net, name, ['sync', '--data', dirs[name], '--quiet', '--checkpoint-seconds', '3600']);
        syncs.set(name, watch(`${name}: movelog sync`, child));
        await printed(child, /Syncing device/);
      }),
    );
  };
  const stopSyncs = async (which: readonly Name[], powerCut = false) => {
    await Promise.all(which.map((name) => (powerCut ? syncs.get(name)?.kill() : syncs.get(name)?.stop()) ?? Promise.resolve()));
    for (const name of which) syncs.delete(name);
  };

  try {
    for (const port of PORTS) await startServer(port);
    // The README's "Trusting another clinic", on fresh folders.
    await command('a', ['init', '--data', dirs.a, '--clinic', HARBOUR.clinic, '--manager', HARBOUR.manager]);
    await command('c', ['init', '--data', dirs.c, '--clinic', SUMMIT.clinic, '--manager', SUMMIT.manager]);
    const invite = watch(
      'a: movelog invite',
      movelog(net, 'a', ['invite', '--data', dirs.a, '--manager', HARBOUR.manager, '--signal', urls[0] ?? '', '--signal', urls[1] ?? '']),
    );
    const code = (await printed(invite.child, /Invitation code: [0-9A-Z-]{14}/)).slice('Invitation code: '.length);
    const trust = watch(
      'c: movelog trust',
      movelog(net, 'c', ['trust', code, '--data', dirs.c, '--signal', urls[0] ?? '', '--manager', SUMMIT.manager]),
    );
    const numbers = await Promise.all([printed(invite.child, /Safety number: [\d ]{47}/), printed(trust.child, /Safety number: [\d ]{47}/)]);
    if (numbers[0] !== numbers[1]) throw new Error(`the safety numbers differ: ${numbers.join(' / ')}`);
    invite.child.stdin.write('yes\n');
    trust.child.stdin.write('yes\n');
    const [invited, trusted] = await Promise.all([invite.expectEnd(), trust.expectEnd()]);
    if (!invited.stdout.includes('"Summit Physio" is trusted') || !trusted.stdout.includes('"Harbour Rehab" is trusted'))
      throw new Error(`trust was not confirmed on both sides:\n${invited.stdout}${invited.stderr}\n${trusted.stdout}${trusted.stderr}`);
    // A second Harbour device.
    const pair = watch('a: movelog pair', movelog(net, 'a', ['pair', '--data', dirs.a, '--manager', HARBOUR.manager]));
    const pairCode = (await printed(pair.child, /Pairing code: [0-9A-Z-]{14}/)).slice('Pairing code: '.length);
    await command('b', ['join', pairCode, '--data', dirs.b, '--signal', urls[1] ?? '', '--label', 'Front desk']);
    const paired = await pair.expectEnd();
    if (paired.code !== 0) throw new Error(`pair failed: ${paired.stdout}${paired.stderr}`);

    await startSyncs(names);
    const a = open({ name: 'a', dir: dirs.a });
    opened.push(a);
    // b holds no clinic until its first entries arrive.
    const converged = (ms: Movelog[]) => {
      const [ma, mb, mc] = ms as [Movelog, Movelog, Movelog];
      const H = clinicStream(clinicId(ma), 'public');
      const S = clinicStream(clinicId(mc), 'public');
      return (
        entryCount(ma) === entryCount(mb) &&
        viewDigest(ma.db) === viewDigest(mb.db) &&
        held(mc, H) === held(ma, H) &&
        held(ma, S) === held(mc, S) &&
        held(mb, S) === held(mc, S)
      );
    };
    const counts = (ms: Movelog[]) => ms.map((m) => `${entryCount(m)} entries`).join(' / ');
    const waitConverged = async (ms: Movelog[]) => {
      const started = Date.now();
      while (Date.now() - started < options.convergeMs) {
        try {
          if (converged(ms)) return Date.now() - started;
        } catch {
          // b before its clinic arrived (no clinic id yet).
        }
        await sleep(100);
      }
      return null;
    };
    const b = open({ name: 'b', dir: dirs.b });
    const c = open({ name: 'c', dir: dirs.c });
    opened.push(b, c);
    const all = [a, b, c];
    const first = await waitConverged(all);
    if (first === null) throw new Error(`the devices did not converge after setting up: ${counts(all)}`);
    log(`set up; converged in ${first} ms`);

    const write = () => {
      for (const [m, i] of [
        [a, 0],
        [b, 1],
        [c, 2],
      ] as const)
        if (rng.next() < 0.7) writeMany(m, rng.int(1, 20), rng.int(0, 1000) + i);
    };

    for (let round = 1; round <= options.rounds; round++) {
      write();
      const roll = rng.next();
      let action: string;
      if (roll < 0.25) {
        const which = rng.subset(names);
        action = `restart sync on ${which.join('+')} at once`;
        await stopSyncs(which);
        write();
        await startSyncs(which);
      } else if (roll < 0.45) {
        const ports = rng.subset(PORTS);
        const withSyncs = rng.next() < 0.5 ? rng.subset(names) : [];
        action = `restart signalling ${ports.join('+')}${withSyncs.length > 0 ? ` and sync on ${withSyncs.join('+')}` : ''}`;
        await Promise.all([...ports.map((port) => servers.get(port)?.stop() ?? Promise.resolve()), stopSyncs(withSyncs)]);
        write();
        await Promise.all([...ports.map((port) => startServer(port)), startSyncs(withSyncs)]);
      } else if (roll < 0.72) {
        const peer = names[rng.int(0, 2)] as Name;
        // Mostly short cuts (WebRTC rides them out); now and then one long enough for ICE to give
        // up, so the devices must find each other again through signalling.
        const ms = roll < 0.65 ? rng.int(1_000, 8_000) : rng.int(35_000, 45_000);
        action = `cut ${peer}'s link for ${ms} ms`;
        net.linkDown(peer);
        write();
        await sleep(ms);
        write();
        net.linkUp(peer);
      } else if (roll < 0.82) {
        const which = rng.subset(names);
        action = `power cut: kill sync on ${which.join('+')} (SIGKILL), start again at once`;
        await stopSyncs(which, true);
        write();
        await startSyncs(which);
      } else {
        const which = rng.subset(names);
        const ms = rng.int(500, 3_000);
        action = `stop sync on ${which.join('+')}, write, start again after ${ms} ms`;
        await stopSyncs(which);
        write();
        await sleep(ms);
        await startSyncs(which);
      }
      const took = await waitConverged(all);
      report.actions.push(`round ${round}: ${action}: ${took === null ? 'NOT CONVERGED' : `${took} ms`}`);
      log(report.actions[report.actions.length - 1] ?? '');
      report.rounds = round;
      if (took === null) {
        report.stuck.push(`round ${round} (${action}): ${counts(all)}`);
        break;
      }
      report.convergence.push(took);
      if (report.crashes.length > 0) break;
    }
    await stopSyncs([...syncs.keys()]);
    await Promise.all([...servers.values()].map((s) => s.stop()));
  } finally {
    for (const m of opened) m.close();
    await net.destroy();
  }
  // Let the exit handlers record the last exits.
  await sleep(100);
  return report;
}

/** The q-quantile of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}
