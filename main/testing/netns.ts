/**
 * A private network for multi-process peer-to-peer tests, built from Linux network namespaces.
 *
 * Topology made by `createNet({ peers: ['a', 'b'] })`:
 *
 *     hub namespace:  br0 (10.213.N.1/24) ── v0, v1, …   (bridge ports, one per peer)
 *     peer a:         eth0 (10.213.N.10/24) ── veth ── v0 in the hub
 *     peer b:         eth0 (10.213.N.11/24) ── veth ── v1 in the hub
 *
 * Every interface is created directly inside one of the harness's namespaces (never in the host's
 * namespace, not even for a moment), so interface names only need to be unique per namespace, and
 * deleting the namespaces removes every link. Nothing is connected to the host's interfaces and
 * there is no NAT: traffic cannot leave these namespaces. Each peer has a default route via the
 * bridge address because libwebrtc gathers no ICE candidates without one.
 *
 * Namespaces are named `mlt<pid>-<seq>-<hub|peer>` so that `cleanupStale()` can find the ones
 * left behind by a killed run (their pid no longer exists) and remove them.
 *
 * Needs root (CAP_SYS_ADMIN + CAP_NET_ADMIN) and iproute2; check `netnsAvailable()` first.
 */
import { execFileSync, spawn as spawnProcess } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export const NETNS_PREFIX = 'mlt';

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface Net {
  /** The peer names, in the order given to `createNet`. */
  readonly peers: readonly string[];
  /** The bridge's address in the hub namespace; a signalling server spawned in 'hub' listens here. */
  readonly hubAddress: string;
  /** The peer's IPv4 address on the private subnet. */
  address(peer: string): string;
  /** The namespace name of a peer or of the hub, for `ip netns exec` by hand. */
  namespace(peer: string): string;
  /**
   * Runs `command args…` inside the namespace of `peer` (or the hub) with stdin/stdout/stderr piped.
   * The caller must consume stdout/stderr if the process writes a lot. `destroy()` kills it.
   */
  spawn(peer: string, command: string, args: readonly string[], options?: SpawnOptions): ChildProcessWithoutNullStreams;
  /** Cuts the peer off (its bridge port goes down; the peer keeps its address and routes). */
  linkDown(peer: string): void;
  /** Reconnects a peer cut off by `linkDown`. */
  linkUp(peer: string): void;
  /** Kills every process spawned through this net (SIGTERM, then SIGKILL), then deletes its namespaces. Idempotent. */
  destroy(): Promise<void>;
}

export const HUB = 'hub';
const BRIDGE = 'br0';
const PEER_IF = 'eth0';
const KILL_GRACE_MS = 2_000;
const PEER_NAME = /^[a-z0-9]{1,12}$/;

/** Runs `ip …` and returns stdout; on failure throws an error naming the command and ip's own message. */
function ip(args: readonly string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`\`ip ${args.join(' ')}\` failed: ${describeExecError(error)}`, { cause: error });
  }
}

function describeExecError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { stderr, message } = error as { stderr?: unknown; message?: unknown };
    const text = typeof stderr === 'string' ? stderr : Buffer.isBuffer(stderr) ? stderr.toString('utf8') : '';
    if (text.trim() !== '') return text.trim();
    if (typeof message === 'string') return message;
  }
  return String(error);
}

/** Best effort: used on cleanup paths, where one failure must not stop the rest. */
function tryIp(args: readonly string[]): void {
  try {
    ip(args);
  } catch {
    // Already gone, or nothing we can do about it here.
  }
}

function listNamespaces(): string[] {
  // Lines look like "name" or "name (id: 3)".
  return ip(['netns', 'list'])
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGKILLs every process still running inside a namespace (including ones not spawned by us). */
function killNamespaceProcesses(ns: string): void {
  let pids: number[];
  try {
    pids = ip(['netns', 'pids', ns])
      .split('\n')
      .map((line) => Number.parseInt(line.trim(), 10))
      .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
}

function deleteNamespace(ns: string): void {
  killNamespaceProcesses(ns);
  tryIp(['netns', 'delete', ns]);
}

let available: boolean | undefined;

/** True when this process can create network namespaces (root, iproute2 present, not blocked by a sandbox). */
export function netnsAvailable(): boolean {
  if (available !== undefined) return available;
  available = false;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return available;
  const probe = `${NETNS_PREFIX}${process.pid}-probe`;
  try {
    ip(['netns', 'list']);
    ip(['netns', 'add', probe]);
    ip(['-n', probe, 'link', 'add', 'p0', 'type', 'bridge']);
    available = true;
  } catch {
    // Not permitted here.
  } finally {
    tryIp(['netns', 'delete', probe]);
  }
  return available;
}

const OWNED = new RegExp(`^${NETNS_PREFIX}(\\d+)-`);

/** Deletes namespaces (and kills anything still running in them) left behind by harness runs whose process is gone. */
export function cleanupStale(): void {
  for (const ns of listNamespaces()) {
    const match = OWNED.exec(ns);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    deleteNamespace(ns);
  }
}

/** Every live net of this process, for the synchronous exit-time safety net. */
const liveNets = new Set<{ kill(): void }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const net of liveNets) net.kill();
    liveNets.clear();
  });
}

let sequence = 0;

function subnetFor(pid: number, seq: number): number {
  // 10.213.1.0/24 … 10.213.254.0/24. The namespaces are private, so a clash would be harmless;
  // a per-run subnet just keeps addresses distinct when reading logs of parallel runs.
  return ((pid + seq * 37) % 254) + 1;
}

/** Builds the hub + per-peer namespaces; on any failure, removes what was already made and rethrows. */
export async function createNet(options: { peers: readonly string[] }): Promise<Net> {
  const peers = [...options.peers];
  if (peers.length === 0) throw new Error('createNet: give at least one peer');
  if (peers.length > 200) throw new Error('createNet: at most 200 peers');
  for (const peer of peers) {
    if (!PEER_NAME.test(peer) || peer === HUB) {
      throw new Error(`createNet: peer name ${JSON.stringify(peer)} must match ${String(PEER_NAME)} and not be "${HUB}"`);
    }
  }
  if (new Set(peers).size !== peers.length) throw new Error(`createNet: duplicate peer names in ${peers.join(', ')}`);

  installExitHook();
  cleanupStale();

  sequence += 1;
  const base = `${NETNS_PREFIX}${process.pid}-${sequence}`;
  const subnet = `10.213.${subnetFor(process.pid, sequence)}`;
  const hubNs = `${base}-${HUB}`;
  const hubAddress = `${subnet}.1`;
  const peerIndex = new Map(peers.map((peer, index) => [peer, index]));
  const nsOf = (peer: string): string => {
    if (peer === HUB) return hubNs;
    if (!peerIndex.has(peer)) throw new Error(`unknown peer ${JSON.stringify(peer)} (peers: ${peers.join(', ')})`);
    return `${base}-${peer}`;
  };
  const indexOf = (peer: string): number => {
    const index = peerIndex.get(peer);
    if (index === undefined) throw new Error(`unknown peer ${JSON.stringify(peer)} (peers: ${peers.join(', ')})`);
    return index;
  };
  const addressOf = (peer: string): string => `${subnet}.${10 + indexOf(peer)}`;
  const bridgePort = (peer: string): string => `v${indexOf(peer)}`;

  const created: string[] = [];
  const children = new Set<ChildProcessWithoutNullStreams>();
  let destroyed = false;

  const killAllNow = (): void => {
    for (const child of children) signalGroup(child, 'SIGKILL');
    children.clear();
    // Peers first: deleting a peer namespace removes its veth pair; the hub last removes the bridge.
    for (const ns of [...created].reverse()) deleteNamespace(ns);
    created.length = 0;
  };
  const handle = { kill: killAllNow };
  liveNets.add(handle);

  try {
    ip(['netns', 'add', hubNs]);
    created.push(hubNs);
    ip(['-n', hubNs, 'link', 'set', 'lo', 'up']);
    // forward_delay 0: a port that comes back up forwards at once (STP is off by default anyway).
    ip(['-n', hubNs, 'link', 'add', BRIDGE, 'type', 'bridge', 'forward_delay', '0']);
    ip(['-n', hubNs, 'address', 'add', `${hubAddress}/24`, 'dev', BRIDGE]);
    ip(['-n', hubNs, 'link', 'set', BRIDGE, 'up']);
    for (const peer of peers) {
      const ns = nsOf(peer);
      ip(['netns', 'add', ns]);
      created.push(ns);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      // Both ends are born inside namespaces: the port in the hub, eth0 straight into the peer's.
      ip(['-n', hubNs, 'link', 'add', bridgePort(peer), 'type', 'veth', 'peer', 'name', PEER_IF, 'netns', ns]);
      ip(['-n', hubNs, 'link', 'set', bridgePort(peer), 'master', BRIDGE]);
      ip(['-n', hubNs, 'link', 'set', bridgePort(peer), 'up']);
      ip(['-n', ns, 'address', 'add', `${addressOf(peer)}/24`, 'dev', PEER_IF]);
      ip(['-n', ns, 'link', 'set', PEER_IF, 'up']);
      ip(['-n', ns, 'route', 'add', 'default', 'via', hubAddress, 'dev', PEER_IF]);
    }
  } catch (error) {
    killAllNow();
    liveNets.delete(handle);
    throw error;
  }

  const net: Net = {
    peers,
    hubAddress,
    address: addressOf,
    namespace: nsOf,
    spawn(peer, command, args, spawnOptions = {}) {
      if (destroyed) throw new Error('Net.spawn: this net has been destroyed');
      const child = spawnProcess('ip', ['netns', 'exec', nsOf(peer), command, ...args], {
        env: spawnOptions.env ?? process.env,
        cwd: spawnOptions.cwd,
        stdio: 'pipe',
        // Its own process group, so that destroy() also reaches anything the command starts.
        detached: true,
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      // A failed spawn (e.g. no `ip`) is reported through 'exit'/'error'; don't crash the test process.
      child.once('error', () => children.delete(child));
      return child;
    },
    linkDown(peer) {
      if (destroyed) throw new Error('Net.linkDown: this net has been destroyed');
      ip(['-n', hubNs, 'link', 'set', bridgePort(peer), 'down']);
    },
    linkUp(peer) {
      if (destroyed) throw new Error('Net.linkUp: this net has been destroyed');
      ip(['-n', hubNs, 'link', 'set', bridgePort(peer), 'up']);
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      const running = [...children];
      for (const child of running) signalGroup(child, 'SIGTERM');
      await Promise.all(running.map((child) => waitForExit(child, KILL_GRACE_MS)));
      killAllNow();
      liveNets.delete(handle);
    },
  };
  return Promise.resolve(net);
}

function hasExited(child: ChildProcessWithoutNullStreams): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function signalGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
  if (child.pid === undefined || hasExited(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

async function waitForExit(child: ChildProcessWithoutNullStreams, graceMs: number): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      resolve();
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
