// What the benches that run `movelog` in network namespaces share (sync.mjs, consent-share.mjs):
// running the CLI in a namespace, pairing a device, trusting another clinic, waiting for a count.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'movelog.js');
export const PASSPHRASE = 'manager passphrase 1';
const env = { ...process.env, MOVELOG_PASSPHRASE: PASSPHRASE };

/**
 * Runs `movelog ...` in a namespace; `seen` resolves with its output when it prints `until`, or
 * when it exits 0 (no `until`); rejects when it exits otherwise. `output()` is what it printed so far.
 * @param {import('../out/node/main/testing/netns.js').Net} net
 * @param {string} peer
 * @param {readonly string[]} args
 * @param {RegExp} [until]
 */
export function cli(net, peer, args, until) {
  const child = net.spawn(peer, process.execPath, [BIN, ...args], { cwd: ROOT, env });
  let out = '';
  return {
    child,
    /** Everything it printed so far (stdout and stderr). */
    output: () => out,
    /** @type {Promise<string>} */
    seen: new Promise((resolve, reject) => {
      /** @param {Buffer} chunk */
      const on = (chunk) => {
        out += chunk.toString();
        if (until && until.test(out)) resolve(out);
      };
      child.stdout.on('data', on);
      child.stderr.on('data', on);
      child.once('exit', (code) =>
        code === 0 || until ? (until && !until.test(out) ? reject(new Error(out)) : resolve(out)) : reject(new Error(out)),
      );
    }),
  };
}

/** Resolves with the first match of `pattern` in what `child` prints. @param {import('node:child_process').ChildProcess} child @param {RegExp} pattern */
export function printed(child, pattern) {
  let out = '';
  return new Promise((resolve, reject) => {
    /** @param {Buffer} chunk */
    const on = (chunk) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) resolve(match);
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.once('exit', () => reject(new Error(`exited before printing ${String(pattern)}:\n${out}`)));
  });
}

/** Starts `movelog signal` in the hub namespace; returns its URL. @param {import('../out/node/main/testing/netns.js').Net} net */
export async function startSignal(net) {
  await cli(net, 'hub', ['signal', '--port', '4444'], /Signaling server running/).seen;
  return `ws://${net.hubAddress}:4444`;
}

/**
 * Pairs a fresh device (`to`, folder `toDir`) with the clinic of `from` (`pair` / `join CODE`).
 * @param {import('../out/node/main/testing/netns.js').Net} net
 * @param {{ peer: string, dir: string, manager: string }} from
 * @param {{ peer: string, dir: string, label: string }} to
 * @param {string} signal
 */
export async function pairDevice(net, from, to, signal) {
  const pair = cli(net, from.peer, ['pair', '--data', from.dir, '--manager', from.manager, '--signal', signal], /Paired|movelog: /);
  const code = (await printed(pair.child, /Pairing code: ([0-9A-Z-]{14})/))[1];
  await cli(net, to.peer, ['join', code, '--data', to.dir, '--signal', signal, '--label', to.label]).seen;
  await pair.seen;
}

/**
 * Trust between two clinics through an invitation code (`invite` / `trust CODE`), both managers
 * confirming the safety number.
 * @param {import('../out/node/main/testing/netns.js').Net} net
 * @param {{ peer: string, dir: string, manager: string }} inviter
 * @param {{ peer: string, dir: string, manager: string }} answerer
 * @param {string} signal
 */
export async function trustClinics(net, inviter, answerer, signal) {
  const invite = cli(net, inviter.peer, ['invite', '--data', inviter.dir, '--manager', inviter.manager]);
  const code = (await printed(invite.child, /Invitation code: ([0-9A-Z-]{14})/))[1];
  const trust = cli(net, answerer.peer, ['trust', code, '--data', answerer.dir, '--signal', signal, '--manager', answerer.manager]);
  const [a, b] = await Promise.all([printed(invite.child, /Safety number: ([\d ]{47})/), printed(trust.child, /Safety number: ([\d ]{47})/)]);
  if (a[1] !== b[1]) throw new Error(`safety numbers differ: ${a[1]} / ${b[1]}`);
  invite.child.stdin.write('yes\n');
  trust.child.stdin.write('yes\n');
  await Promise.all([invite.seen, trust.seen]);
}

/** Stops a `movelog sync` process (SIGTERM) and waits for it to end. @param {{ child: import('node:child_process').ChildProcess }} s */
export async function stopCli(s) {
  if (s.child.exitCode !== null) return;
  const ended = new Promise((resolve) => s.child.once('exit', resolve));
  s.child.kill('SIGTERM');
  await ended;
}

/** Polls `check` every 20 ms until it is true; throws with `describe()` after `timeoutMs`. @param {() => boolean} check @param {number} timeoutMs @param {() => string} describe */
export async function until(check, timeoutMs, describe) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
