import { execFileSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished } from '../support/cli.js';
import { createNet, netnsAvailable } from './harness.js';
import type { Net } from './harness.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGE_ROOT = join(HERE, '..', '..');
const NODE = process.execPath;
const ECHO_PORT = '7401';
const SIGNAL_PORT = '4444';

/** Resolves once the child prints a line matching `pattern`; rejects if it exits first. */
function printed(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<void> {
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (pattern.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`exited ${String(code)} before printing ${String(pattern)}:\n${output}`)));
  });
}

function echoOnce(net: Net, from: string, to: string): ReturnType<typeof finished> {
  return finished(net.spawn(from, NODE, [join(HERE, 'echo-client.mjs'), net.address(to), ECHO_PORT, '2000'], { cwd: PACKAGE_ROOT }));
}

function namespacesOnHost(): string {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
}

describe('network namespace harness', () => {
  const nets: Net[] = [];
  beforeAll(() => {
    // Multi-peer tests need root and `ip netns` (CI runs as root; .ci/run installs iproute2).
    if (!netnsAvailable()) throw new Error('These tests need root and `ip netns` (iproute2) to create network namespaces.');
  });
  afterAll(async () => {
    for (const net of nets) await net.destroy();
  });

  it('connects peers over a private bridge, partitions and heals them, and cleans up', { timeout: 60_000 }, async () => {
    const net = await createNet({ peers: ['a', 'b'] });
    nets.push(net);
    expect(net.address('a')).not.toBe(net.address('b'));
    expect(namespacesOnHost()).toContain(net.namespace('a'));

    const server = net.spawn('a', NODE, [join(HERE, 'echo-server.mjs'), net.address('a'), ECHO_PORT], { cwd: PACKAGE_ROOT });
    await printed(server, /^listening /m);

    const first = await echoOnce(net, 'b', 'a');
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^echo hello from \d+/);
    expect(first.code).toBe(0);

    // b's bridge port goes down: b keeps its address and routes, but nothing reaches a.
    net.linkDown('b');
    const cut = await echoOnce(net, 'b', 'a');
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/echo-client: /);

    net.linkUp('b');
    // Carrier comes back asynchronously; allow a few tries rather than assert any timing.
    let healed = await echoOnce(net, 'b', 'a');
    for (let attempt = 1; attempt < 10 && healed.code !== 0; attempt++) healed = await echoOnce(net, 'b', 'a');
    expect(healed.stderr).toBe('');
    expect(healed.code).toBe(0);

    await net.destroy();
    await net.destroy(); // idempotent
    expect(server.exitCode !== null || server.signalCode !== null).toBe(true);
    const left = namespacesOnHost();
    for (const peer of ['hub', 'a', 'b']) expect(left).not.toContain(net.namespace(peer));
  });

  it('opens a WebRTC data channel between two namespaces with no ICE servers', { timeout: 60_000 }, async () => {
    const net = await createNet({ peers: ['a', 'b'] });
    nets.push(net);

    // y-webrtc's own signalling server, in the hub; it listens on every address of the hub namespace.
    const signalling = net.spawn('hub', NODE, ['node_modules/y-webrtc/bin/server.js'], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, HOST: net.hubAddress, PORT: SIGNAL_PORT },
    });
    await printed(signalling, /Signaling server running/);

    const url = `ws://${net.hubAddress}:${SIGNAL_PORT}`;
    const script = join(HERE, 'rtc-peer.mjs');
    const [offer, answer] = await Promise.all([
      finished(net.spawn('a', NODE, [script, 'offer', url, 'netns-check'], { cwd: PACKAGE_ROOT })),
      finished(net.spawn('b', NODE, [script, 'answer', url, 'netns-check'], { cwd: PACKAGE_ROOT })),
    ]);
    const report = `offer:\n${offer.stdout}${offer.stderr}\nanswer:\n${answer.stdout}${answer.stderr}`;
    expect(offer.code, report).toBe(0);
    expect(answer.code, report).toBe(0);
    expect(offer.stdout).toMatch(/\[offer\] got pong/);
    expect(answer.stdout).toMatch(/\[answer\] got ping/);
    // The only host candidates are the namespace addresses: nothing from the host leaked in.
    expect(offer.stdout).toContain(net.address('a'));
    expect(answer.stdout).toContain(net.address('b'));

    await net.destroy();
    const left = namespacesOnHost();
    for (const peer of ['hub', 'a', 'b']) expect(left).not.toContain(net.namespace(peer));
  });
});
