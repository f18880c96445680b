import { createHash, webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebrtcConn, WebrtcProvider } from 'y-webrtc';
import type { Room, SignalingConn } from 'y-webrtc';
import type * as Y from 'yjs';
import { DEVICE_KEY } from './doc.js';
import { messageProblem } from './guard.js';
import type { ValueShape } from './guard.js';

export interface TransportOptions {
  readonly roomName: string;
  readonly password: string;
  readonly doc: Y.Doc;
  /** This device's key, announced to the room's members (awareness and signalling). */
  readonly device: string;
  /** Signalling servers (`ws://host:port`), all used at once, so no single one is required. */
  readonly signaling: readonly string[];
  /** STUN/TURN servers from the clinic's settings. Default none: never a public third-party server. */
  readonly iceServers?: readonly { urls: string | string[]; username?: string; credential?: string }[];
  /** Called when a peer sent something unacceptable; the peer is disconnected and shunned a while. */
  readonly onRejected?: (peer: string, reason: string, sample: Uint8Array) => void;
  /** The document's shape, when it is not a replication room (pairing). */
  readonly shape?: ValueShape;
}

export interface PeerLink {
  readonly peerId: string;
  /** The device key the peer announced, when it did. */
  readonly device: string | null;
  readonly connected: boolean;
}

/** What a room looks like from this device now (status and the Network page). */
export interface RoomView {
  /** Devices heard in the room lately: through signalling, or over a connection. */
  readonly seen: string[];
  /** Devices connected now (their awareness arrived over a WebRTC connection). */
  readonly connected: string[];
  /** Signalling servers connected now, of those configured. */
  readonly signalling: { readonly connected: number; readonly total: number };
}

export interface Transport {
  /** Device keys of the members this device hears from now (excluding itself). */
  liveMembers(): string[];
  links(): PeerLink[];
  view(): RoomView;
  /**
   * Leaves the room. Members are told first (so they close their side: a WebRTC connection must
   * not be closed from both sides at once, see `leave`); when the process is ending (see
   * `endingProcess`) the connections are left to the process's end and never closed here.
   */
  close(): Promise<void>;
}

/** A peer that sent something unacceptable is ignored this long. */
const SHUN_MS = 60_000;
/** Most WebRTC connections per room. */
const MAX_CONNS = 64;
/** A connection attempt not connected after this long is abandoned and made again (doubling each time). */
const ATTEMPT_MS = 5_000;
const ATTEMPT_MAX_MS = 40_000;
/** Every member announces itself this often (plus jitter): members that lost each other meet again. */
const ANNOUNCE_MS = 15_000;
/** A signalling socket not open within this long is given up and made again (lib0's backoff). */
const CONNECT_TIMEOUT_MS = 4_000;
/** A connection older than this that the peer asks to replace is taken for dead. */
const STALE_AFTER_MS = 5_000;
/** A connection over which nothing arrived for this long is dead (awareness is renewed every 15 s). */
const SILENT_MS = 40_000;
/** A device heard through signalling counts as seen this long. */
const SEEN_MS = 45_000;
/**
 * How long a member waits after a peer said it is leaving before closing its side. The leaving
 * process ends (or waits) meanwhile, so the two sides never close one connection at the same time.
 */
export const LEAVE_GRACE_MS = 2_000;
/** How long a room closing in a process that goes on waits for its members to close their side. */
const CLOSE_WAIT_MS = LEAVE_GRACE_MS + 2_000;
/**
 * Data-channel message "I am leaving this room" (one byte; y-webrtc's own messages are 0–4). It is
 * handled here and never reaches y-webrtc.
 */
const MESSAGE_LEAVING = 7;

let wrtcModule: unknown = null;

/**
 * WebRTC for Node (@roamhq/wrtc, a native module), loaded on first use rather than at import, so
 * a build where it cannot load (e.g. an Electron main process it was not built for) still runs
 * everything but sync, and says why sync cannot start.
 */
function loadWrtc(): unknown {
  if (wrtcModule) return wrtcModule;
  try {
    wrtcModule = createRequire(import.meta.url)('@roamhq/wrtc');
    return wrtcModule;
  } catch (error) {
    throw new Error(`Sync cannot start: WebRTC (@roamhq/wrtc) could not be loaded on this computer (${(error as Error).message}).`);
  }
}

let ending = false;

/**
 * This process is about to end (`movelog sync` stopped, a one-shot command done): rooms closed
 * from now on tell their members and leave the WebRTC connections to the process's end instead of
 * closing them. @roamhq/wrtc has crashed (SIGSEGV) when a connection was closed on one side while
 * the other side was closing it too; a process that ends closes nothing, and its members close
 * their side after `LEAVE_GRACE_MS`, once it is gone (docs/architecture.md#leaving-a-room).
 */
export function endingProcess(): void {
  ending = true;
}

/**
 * The signalling socket lib0 (and so y-webrtc) opens. y-webrtc sends some messages after an
 * asynchronous encryption step, by which time the socket may be closed or reconnecting; `ws` then
 * throws ("WebSocket is not open: readyState 0"), uncaught, which ended `movelog sync`. A message
 * that cannot go now is dropped instead (members announce themselves again on every reconnect and
 * every `ANNOUNCE_MS`). What a server sends that is not JSON is dropped too, rather than thrown by
 * lib0's `JSON.parse` inside the socket's event handler.
 */
class SignallingSocket extends WebSocket {
  /**
   * lib0 closes a socket that heard nothing for 30 s (the link is gone) and reconnects once it has
   * closed; a graceful close over a dead link takes another 30 s (ws's closing handshake timeout).
   * Measured: a device cut off for 40 s found its signalling server again 16–28 s after the link
   * came back. Ended at once instead.
   */
  override close(): void {
    this.terminate();
  }

  override send(data: unknown, ...rest: unknown[]): void {
    if (this.readyState !== WebSocket.OPEN) return;
    try {
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    } catch {
      // Closed meanwhile: the same as not open.
    }
  }

  constructor(address: string | URL) {
    // A connection attempt to a server whose packets are dropped would otherwise wait for TCP to
    // give up (minutes of SYN retries) before lib0 tries again.
    super(address, { handshakeTimeout: CONNECT_TIMEOUT_MS });
    // lib0 sets `onmessage`; the handler it sets runs inside a guard.
    const attribute = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
    if (!attribute?.get || !attribute.set) return;
    Object.defineProperty(this, 'onmessage', {
      configurable: true,
      get: (): unknown => attribute.get?.call(this),
      set: (handler: unknown) => {
        attribute.set?.call(
          this,
          typeof handler === 'function'
            ? (event: unknown) => {
                try {
                  (handler as (event: unknown) => void)(event);
                } catch {
                  // Not JSON, or not a message lib0 or y-webrtc could handle: ignored.
                }
              }
            : handler,
        );
      },
    });
  }
}

interface SimplePeerLike {
  readonly initiator: boolean;
  listeners(event: 'data'): ((data: Uint8Array) => void)[];
  removeAllListeners(event?: string): void;
  on(event: string, listener: (...args: never[]) => void): void;
  send(data: Uint8Array): void;
  signal(data: unknown): void;
  destroy(): void;
}

interface Conn {
  readonly remotePeerId: string;
  readonly peer: SimplePeerLike;
  connected: boolean;
  closed: boolean;
  glareToken: number | undefined;
  destroy(): void;
}

interface SignallingClient {
  readonly url: string;
  readonly connected: boolean;
  send(message: unknown): void;
}

/** The rooms of this process by name: signalling messages are routed to them by topic. */
const controls = new Map<string, { onSignal(data: unknown): void; onSignallingConnected(conn: SignallingClient): void }>();
const patched = new WeakSet<object>();

/**
 * y-webrtc's handling of signalling is replaced (its `SignalingConn` sockets and `WebrtcConn`
 * connections are kept), because in y-webrtc 10.3:
 * - two peers that announce at once both offer, and the side that accepts the other's offer hands
 *   it to the connection that already made its own, which @roamhq/wrtc refuses
 *   (ERR_SET_REMOTE_DESCRIPTION); the other side then waits for an answer forever: no retry;
 * - every message arrives once per signalling server, so with two servers every offer and answer
 *   was applied twice;
 * - a stray answer throws (TypeError, uncaught) and a stray candidate opens a connection that
 *   never completes.
 * Here (perfect negotiation without rollback): the member whose device key sorts first offers, the
 * other nudges it (a directed announce) and answers; if both offered anyway, the leading side's
 * offer stands and the other replaces its connection with an answering one; an attempt not
 * connected in time is abandoned and made again with backoff; duplicate messages are dropped.
 * Peers that announce no device key (plain y-webrtc) are handled as y-webrtc does (glare tokens).
 * Wire format unchanged: announces just carry a `device` field y-webrtc ignores.
 */
function patchSignalling(conn: SignalingConn): void {
  if (patched.has(conn)) return;
  patched.add(conn);
  const observers = (conn as unknown as { _observers: Map<string, Set<(...args: unknown[]) => void>> })._observers;
  const client = conn as unknown as SignallingClient;
  observers.set(
    'message',
    new Set([
      (message: unknown) => {
        if (typeof message !== 'object' || message === null) return;
        const m = message as { type?: unknown; topic?: unknown; data?: unknown };
        if (m.type !== 'publish' || typeof m.topic !== 'string') return;
        controls.get(m.topic)?.onSignal(m.data);
      },
    ]),
  );
  observers.set(
    'connect',
    new Set([
      () => {
        for (const control of controls.values()) control.onSignallingConnected(client);
      },
    ]),
  );
}

/** y-webrtc's signalling encryption (AES-GCM under the room password's key, lib0 `writeAny`), so plain y-webrtc peers interoperate. */
async function encryptSignal(key: webcrypto.CryptoKey, data: unknown): Promise<string> {
  const plain = encoding.createEncoder();
  encoding.writeAny(plain, data as Parameters<typeof encoding.writeAny>[1]);
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const cipher = new Uint8Array(await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoding.toUint8Array(plain)));
  const out = encoding.createEncoder();
  encoding.writeVarString(out, 'AES-GCM');
  encoding.writeVarUint8Array(out, iv);
  encoding.writeVarUint8Array(out, cipher);
  return Buffer.from(encoding.toUint8Array(out)).toString('base64');
}

async function decryptSignal(key: webcrypto.CryptoKey, text: string): Promise<unknown> {
  const d = decoding.createDecoder(Buffer.from(text, 'base64'));
  if (decoding.readVarString(d) !== 'AES-GCM') return null;
  const iv = decoding.readVarUint8Array(d);
  const cipher = decoding.readVarUint8Array(d);
  const plain = new Uint8Array(await webcrypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, cipher));
  return decoding.readAny(decoding.createDecoder(plain));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * y-webrtc over WebRTC from @roamhq/wrtc (Node has neither WebRTC nor, before Node 22, a global
 * WebSocket), with this module's signalling, connection set-up and leaving (above). Every message
 * from a peer passes `messageProblem` before y-webrtc sees it, and anything y-webrtc or Yjs throws
 * while applying it is caught: a peer that sends garbage is disconnected and ignored for a minute,
 * never crashed on.
 */
export function openTransport(options: TransportOptions): Transport {
  if (controls.has(options.roomName)) throw new Error('This room is already open in this process.');
  (globalThis as { WebSocket?: unknown }).WebSocket = SignallingSocket;
  const wrtc = loadWrtc();
  const provider = new WebrtcProvider(options.roomName, options.doc, {
    signaling: [...options.signaling],
    password: options.password,
    maxConns: MAX_CONNS,
    filterBcConns: true,
    peerOpts: { wrtc, config: { iceServers: options.iceServers ?? [] } },
  });
  // The room is left by `close`, never by destroying the document (peer.ts destroys it after).
  options.doc.off('destroy', (provider as unknown as { readonly destroy: () => void }).destroy);
  for (const conn of provider.signalingConns as SignalingConn[]) patchSignalling(conn);
  provider.awareness.setLocalState({ device: options.device });

  const clients = () => provider.signalingConns as unknown as SignallingClient[];
  /** Sends one message through every connected signalling server (members drop the copies). */
  const fanout: SignallingClient = {
    url: 'all',
    connected: true,
    send: (message: unknown) => {
      for (const client of clients()) if (client.connected) client.send(message);
    },
  };

  const shunned = new Map<string, number>();
  const deviceOf = new Map<string, string>();
  const heard = new Map<string, number>();
  const started = new WeakMap<Conn, number>();
  /** When each connection connected, and when something last arrived over it. */
  const connectedAt = new WeakMap<Conn, number>();
  const lastData = new WeakMap<Conn, number>();
  const attempts = new Map<string, number>();
  const recent: string[] = [];
  const recentSet = new Set<string>();
  let room: Room | null = null;
  let key: webcrypto.CryptoKey | null = null;
  let closing = false;
  let queue: Promise<void> = Promise.resolve();

  const conns = () => (room?.webrtcConns ?? new Map()) as unknown as Map<string, Conn>;
  const isShunned = (peerId: string) => (shunned.get(peerId) ?? 0) > Date.now();

  const publish = (data: Record<string, unknown>, via: SignallingClient = fanout) => {
    if (!room || !key) return;
    const topic = room.name;
    void encryptSignal(key, data)
      .then((text) => via.send({ type: 'publish', topic, data: text }))
      .catch(() => undefined);
  };
  const announce = (to?: string, via?: SignallingClient) => {
    if (!room || closing) return;
    publish({ type: 'announce', from: room.peerId, device: options.device, ...(to === undefined ? {} : { to }) }, via);
  };

  /** True when this side offers to `peerId`, false when the peer does, null when it announced no device key. */
  const leads = (peerId: string): boolean | null => {
    const theirs = deviceOf.get(peerId);
    if (!theirs || !room) return null;
    // The same device in two processes should not happen (one process per data folder); the room
    // peer ids still order them.
    return theirs === options.device ? room.peerId < peerId : options.device < theirs;
  };

  const attemptMs = (peerId: string) => Math.min(ATTEMPT_MS * 2 ** (attempts.get(peerId) ?? 0), ATTEMPT_MAX_MS) * (1 + Math.random() / 4);

  /** Abandons a connection: out of the room first, then destroyed outside any WebRTC callback. */
  const drop = (peerId: string, conn: Conn) => {
    if (room && room.webrtcConns.get(peerId) === (conn as unknown)) room.webrtcConns.delete(peerId);
    conn.closed = true;
    conn.connected = false;
    conn.peer.removeAllListeners('close');
    conn.peer.removeAllListeners('signal');
    conn.peer.removeAllListeners('error');
    conn.peer.on('error', () => undefined);
    setImmediate(() => conn.peer.destroy());
  };

  /** Closes a connection this side decided to end (after the peer left, or misbehaved). */
  const end = (conn: Conn) => setImmediate(() => conn.destroy());

  const reject = (peerId: string, conn: Conn, reason: string, sample: Uint8Array) => {
    shunned.set(peerId, Date.now() + SHUN_MS);
    options.onRejected?.(peerId, reason, sample.subarray(0, 1024));
    end(conn);
  };

  const onLeaving = (peerId: string, conn: Conn) => {
    heard.delete(peerId);
    // Both sides leaving at once (a room closed on both): only the leading side closes.
    if (closing && leads(peerId) === false) return;
    setTimeout(() => {
      if (!conn.closed) end(conn);
    }, LEAVE_GRACE_MS).unref();
  };

  const open = (peerId: string, initiator: boolean): Conn => {
    if (!room) throw new Error('room not ready');
    const conn = new WebrtcConn(fanout as unknown as SignalingConn, initiator, peerId, room) as unknown as Conn;
    room.webrtcConns.set(peerId, conn as unknown as WebrtcConn);
    started.set(conn, Date.now());
    const peer = conn.peer;
    peer.on('connect', () => {
      attempts.delete(peerId);
      connectedAt.set(conn, Date.now());
      lastData.set(conn, Date.now());
    });
    const handlers = peer.listeners('data');
    peer.removeAllListeners('data');
    peer.on('data', (data: Uint8Array) => {
      lastData.set(conn, Date.now());
      if (data.length === 1 && data[0] === MESSAGE_LEAVING) {
        onLeaving(peerId, conn);
        return;
      }
      const problem = messageProblem(data, options.shape);
      if (problem) {
        reject(peerId, conn, problem, data);
        return;
      }
      try {
        for (const handler of handlers) handler(data);
      } catch (error) {
        reject(peerId, conn, `could not apply message: ${(error as Error).message}`, data);
      }
    });
    return conn;
  };

  /**
   * A connection this side holds as connected but the peer evidently does not (it asked for a new
   * one): after a long link cut one side's connection can fail while the other's lingers for tens
   * of seconds. Not within STALE_AFTER_MS of connecting, when the peer's message may predate it.
   */
  const stale = (conn: Conn) => conn.connected && Date.now() - (connectedAt.get(conn) ?? 0) > STALE_AFTER_MS;

  const onAnnounce = (from: string, directed: boolean) => {
    if (!room) return;
    const existing = conns().get(from);
    if (existing && !existing.closed) {
      // A directed announce says the peer holds no connection to this device.
      if (!(directed && stale(existing)) && (existing.connected || Date.now() - (started.get(existing) ?? 0) < attemptMs(from))) return;
      drop(from, existing);
    }
    if (conns().size >= MAX_CONNS) return;
    if (leads(from) === false) {
      announce(from);
      return;
    }
    open(from, true);
  };

  const onPeerSignal = (from: string, data: { signal?: unknown; token?: unknown }) => {
    const signal = data.signal;
    if (typeof signal !== 'object' || signal === null) return;
    const type = (signal as { type?: unknown }).type;
    const existing = conns().get(from);
    const live = existing && !existing.closed ? existing : null;
    if (type === 'offer') {
      if (live) {
        // An offer over a connection held as connected: the peer lost it and starts again.
        if (live.connected && !stale(live)) return;
        if (live.peer.initiator && !live.connected) {
          const lead = leads(from);
          const oursStands = lead ?? (live.glareToken !== undefined && typeof data.token === 'number' && live.glareToken > data.token);
          if (oursStands) return;
        }
        drop(from, live);
      }
      if (conns().size >= MAX_CONNS) return;
      open(from, false).peer.signal(signal);
      return;
    }
    // Answers and candidates belong to an attempt in progress; anything else is stale.
    if (!live || (type === 'answer' && (!live.peer.initiator || live.connected))) return;
    live.peer.signal(signal);
  };

  const handle = (data: unknown) => {
    if (!room || typeof data !== 'object' || data === null) return;
    const d = data as { type?: unknown; from?: unknown; to?: unknown; device?: unknown };
    if (typeof d.from !== 'string' || d.from.length === 0 || d.from.length > 64 || d.from === room.peerId) return;
    if (d.to !== undefined && d.to !== room.peerId) return;
    const from = d.from;
    if (typeof d.device === 'string' && DEVICE_KEY.test(d.device)) deviceOf.set(from, d.device);
    heard.set(from, Date.now());
    if (closing || isShunned(from)) return;
    if (d.type === 'announce') onAnnounce(from, d.to === room.peerId);
    else if (d.type === 'signal') onPeerSignal(from, data);
  };

  const control = {
    onSignal(raw: unknown) {
      if (typeof raw !== 'string' || raw.length > 64 * 1024) return;
      // The same message through several signalling servers: handled once.
      const digest = createHash('sha256').update(raw).digest('base64');
      if (recentSet.has(digest)) return;
      recentSet.add(digest);
      recent.push(digest);
      if (recent.length > 512) recentSet.delete(recent.shift() ?? '');
      // In order: a candidate handled before its offer would be lost.
      queue = queue.then(async () => {
        if (!key) return;
        try {
          handle(await decryptSignal(key, raw));
        } catch {
          // Not for this room's key, or malformed: ignored.
        }
      });
    },
    onSignallingConnected(conn: SignallingClient) {
      if (!room || closing) return;
      conn.send({ type: 'subscribe', topics: [room.name] });
      announce(undefined, conn);
    },
  };
  controls.set(options.roomName, control);

  void provider.key.then((derived: webcrypto.CryptoKey | null) => {
    room = provider.room;
    key = derived;
    if (!room || closing) return;
    // y-webrtc disconnects every room when the process exits (closing its WebRTC connections);
    // leaving is `close`'s job, and an ending process closes nothing (see endingProcess).
    process.off('exit', room._beforeUnloadHandler);
    // y-webrtc re-broadcasts every update it applies, including those just received from a peer
    // (gossip for partial meshes), and copies each one, encrypted, to the in-process
    // BroadcastChannel (meant for browser tabs). Here every member connects to every other and each
    // republishes what others lack from its own log, so both only cost bandwidth and CPU: measured,
    // the echo alone doubled the bytes on the wire. Send only this device's own changes.
    const forward = room._docUpdateHandler;
    const current = room;
    room.doc.off('update', forward);
    room._docUpdateHandler = (update: Uint8Array, origin: unknown) => {
      if (origin !== current) forward(update, origin);
    };
    room.doc.on('update', room._docUpdateHandler);
    room.bcconnected = false;
    for (const client of clients()) if (client.connected) control.onSignallingConnected(client);
  });

  // Attempts that did not connect in time are made again; every member announces itself now and then.
  const watchdog = setInterval(() => {
    if (!room || closing) return;
    // Forget peers (room instances: a device that restarts comes back under a new id) gone a while.
    const now = Date.now();
    for (const [peerId, at] of heard) if (now - at > SEEN_MS) heard.delete(peerId);
    for (const peerId of deviceOf.keys()) {
      if (heard.has(peerId) || conns().has(peerId)) continue;
      deviceOf.delete(peerId);
      attempts.delete(peerId);
    }
    for (const [peerId, conn] of conns()) {
      // Members renew their awareness every 15 s: a connection silent for longer than
      // SILENT_MS is dead (a long link cut), whatever WebRTC still says.
      if (conn.connected && !conn.closed && now - (lastData.get(conn) ?? now) > SILENT_MS) {
        drop(peerId, conn);
        announce(peerId);
        continue;
      }
      if (conn.connected || conn.closed) continue;
      if (Date.now() - (started.get(conn) ?? 0) < attemptMs(peerId)) continue;
      drop(peerId, conn);
      attempts.set(peerId, Math.min((attempts.get(peerId) ?? 0) + 1, 8));
      announce(peerId);
    }
  }, 1_000);
  let announcer: NodeJS.Timeout;
  const scheduleAnnounce = () => {
    announcer = setTimeout(
      () => {
        announce();
        scheduleAnnounce();
      },
      ANNOUNCE_MS + Math.random() * 5_000,
    );
  };
  scheduleAnnounce();

  const liveMembers = () => {
    const result = new Set<string>();
    for (const [client, state] of provider.awareness.getStates()) {
      const device = (state as { device?: unknown }).device;
      if (client !== options.doc.clientID && typeof device === 'string' && DEVICE_KEY.test(device) && device !== options.device) result.add(device);
    }
    return [...result];
  };

  let closed: Promise<void> | null = null;
  return {
    liveMembers,
    links() {
      return [...conns().values()].map((c) => ({ peerId: c.remotePeerId, device: deviceOf.get(c.remotePeerId) ?? null, connected: c.connected }));
    },
    view() {
      const connected = liveMembers();
      const seen = new Set(connected);
      const now = Date.now();
      for (const [peerId, at] of heard) {
        const device = deviceOf.get(peerId);
        if (now - at <= SEEN_MS && device && device !== options.device) seen.add(device);
      }
      return {
        seen: [...seen].sort(),
        connected: connected.sort(),
        signalling: { connected: clients().filter((c) => c.connected).length, total: clients().length },
      };
    },
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(watchdog);
        clearTimeout(announcer);
        await provider.key;
        // Members learn at once that this device left (awareness), and close their side of each
        // connection after LEAVE_GRACE_MS (MESSAGE_LEAVING).
        provider.awareness.setLocalState(null);
        for (const conn of conns().values()) {
          if (!conn.connected) continue;
          try {
            conn.peer.send(Uint8Array.of(MESSAGE_LEAVING));
          } catch {
            // Closing already.
          }
        }
        if (room) for (const client of clients()) if (client.connected) client.send({ type: 'unsubscribe', topics: [room.name] });
        if (ending) {
          // Give the messages time to leave; the process then ends with the connections open.
          await sleep(150);
          controls.delete(options.roomName);
          return;
        }
        const until = Date.now() + CLOSE_WAIT_MS;
        while (Date.now() < until && [...conns().values()].some((c) => c.connected && !c.closed)) await sleep(100);
        controls.delete(options.roomName);
        provider.disconnect();
        provider.destroy();
        // Let y-webrtc close what is left before the caller closes the database or exits.
        await sleep(100);
      })();
      return closed;
    },
  };
}
