import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import { DEVICE_KEY } from './doc.js';
import { messageProblem } from './guard.js';
import type { ValueShape } from './guard.js';

export interface TransportOptions {
  readonly roomName: string;
  readonly password: string;
  readonly doc: Y.Doc;
  /** This device's key, announced to the room's members (awareness). */
  readonly device: string;
  /** Signalling servers (`ws://host:port`); several, so no single one is required. */
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
  readonly connected: boolean;
}

export interface Transport {
  /** Device keys of the members this device hears from now (excluding itself). */
  liveMembers(): string[];
  links(): PeerLink[];
  destroy(): void;
}

const SHUN_MS = 60_000;

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

interface SimplePeerLike {
  listeners(event: 'data'): ((data: Uint8Array) => void)[];
  removeAllListeners(event: 'data'): void;
  on(event: 'data', listener: (data: Uint8Array) => void): void;
  destroy(): void;
}

/**
 * y-webrtc over WebRTC from @roamhq/wrtc (Node has neither WebRTC nor, before Node 22, a global
 * WebSocket). Every message from a peer passes `messageProblem` before y-webrtc sees it, and
 * anything y-webrtc or Yjs throws while applying it is caught: a peer that sends garbage is
 * disconnected and ignored for a minute, never crashed on.
 */
export function openTransport(options: TransportOptions): Transport {
  const globals = globalThis as { WebSocket?: unknown };
  globals.WebSocket ??= WebSocket;
  const shunned = new Map<string, number>();
  const provider = new WebrtcProvider(options.roomName, options.doc, {
    signaling: [...options.signaling],
    password: options.password,
    maxConns: 64,
    filterBcConns: true,
    peerOpts: { wrtc: loadWrtc(), config: { iceServers: options.iceServers ?? [] } },
  });
  provider.awareness.setLocalState({ device: options.device });
  // y-webrtc re-broadcasts every update it applies, including those just received from a peer
  // (gossip for partial meshes), and copies each one, encrypted, to the in-process
  // BroadcastChannel (meant for browser tabs). Here every member connects to every other and each
  // republishes what others lack from its own log, so both only cost bandwidth and CPU: measured,
  // the echo alone doubled the bytes on the wire. Send only this device's own changes.
  void provider.key.then(() => {
    const room = provider.room;
    if (!room) return;
    const forward = room._docUpdateHandler;
    room.doc.off('update', forward);
    room._docUpdateHandler = (update: Uint8Array, origin: unknown) => {
      if (origin !== room) forward(update, origin);
    };
    room.doc.on('update', room._docUpdateHandler);
    room.bcconnected = false;
  });

  const reject = (peerId: string, peer: SimplePeerLike, reason: string, sample: Uint8Array) => {
    shunned.set(peerId, Date.now() + SHUN_MS);
    options.onRejected?.(peerId, reason, sample.subarray(0, 1024));
    peer.destroy();
  };

  provider.on('peers', ({ added }: { added: string[] }) => {
    for (const peerId of added) {
      const conn = provider.room?.webrtcConns.get(peerId);
      if (!conn) continue;
      const peer = conn.peer as SimplePeerLike;
      if ((shunned.get(peerId) ?? 0) > Date.now()) {
        peer.destroy();
        continue;
      }
      const handlers = peer.listeners('data');
      peer.removeAllListeners('data');
      peer.on('data', (data: Uint8Array) => {
        const problem = messageProblem(data, options.shape);
        if (problem) {
          reject(peerId, peer, problem, data);
          return;
        }
        try {
          for (const handler of handlers) handler(data);
        } catch (error) {
          reject(peerId, peer, `could not apply message: ${(error as Error).message}`, data);
        }
      });
    }
  });

  return {
    liveMembers() {
      const result = new Set<string>();
      for (const [client, state] of provider.awareness.getStates()) {
        const device = (state as { device?: unknown }).device;
        if (client !== options.doc.clientID && typeof device === 'string' && DEVICE_KEY.test(device) && device !== options.device) result.add(device);
      }
      return [...result];
    },
    links() {
      return [...(provider.room?.webrtcConns.values() ?? [])].map((c) => ({ peerId: c.remotePeerId, connected: c.connected }));
    },
    destroy() {
      provider.awareness.setLocalState(null);
      provider.destroy();
    },
  };
}
