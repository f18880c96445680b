import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/**
 * A signalling server speaking y-webrtc's protocol (subscribe / unsubscribe / publish on topics,
 * ping → pong), so devices find each other (docs/architecture.md#signalling-and-connection-set-up).
 * Written here rather than run from y-webrtc's bin/server.js because that one prints "localhost"
 * whatever it listens on and ends on the first message that is not JSON; this one says where it
 * really listens, ignores what it cannot read, and can be stopped and started again in a test.
 * It sees only room names (derived from room secrets) and encrypted signalling.
 */
export interface SignalServer {
  /** The address and port it listens on (port 0 asked → the one the system chose). */
  readonly host: string;
  readonly port: number;
  /** ws:// URLs devices can use: one per address of this computer when it listens on all of them. */
  urls(): string[];
  close(): Promise<void>;
}

/** Largest signalling message accepted (an encrypted SDP offer is a few KiB). */
const MAX_MESSAGE_BYTES = 256 * 1024;
/** Topics one connection may subscribe to (a device has one room per trusted clinic, plus its own). */
const MAX_TOPICS = 256;
const PING_MS = 30_000;

export async function startSignalServer(options: { readonly port: number; readonly host?: string }): Promise<SignalServer> {
  const host = options.host ?? '0.0.0.0';
  const topics = new Map<string, Set<WebSocket>>();
  const http = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end('movelog signalling\n');
  });
  const wss = new WebSocketServer({ server: http, maxPayload: MAX_MESSAGE_BYTES });

  const send = (conn: WebSocket, message: string) => {
    if (conn.readyState !== conn.OPEN) return;
    try {
      conn.send(message);
    } catch {
      conn.terminate();
    }
  };

  wss.on('connection', (conn) => {
    const subscribed = new Set<string>();
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) {
        conn.terminate();
        return;
      }
      alive = false;
      try {
        conn.ping();
      } catch {
        conn.terminate();
      }
    }, PING_MS);
    conn.on('pong', () => (alive = true));
    conn.on('error', () => conn.terminate());
    conn.on('close', () => {
      clearInterval(ping);
      for (const topic of subscribed) {
        const members = topics.get(topic);
        members?.delete(conn);
        if (members?.size === 0) topics.delete(topic);
      }
      subscribed.clear();
    });
    conn.on('message', (raw, isBinary) => {
      alive = true;
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(
          Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.concat(Array.isArray(raw) ? raw : [Buffer.from(raw)]).toString('utf8'),
        );
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null) return;
      const m = message as { type?: unknown; topics?: unknown; topic?: unknown };
      const names = Array.isArray(m.topics) ? m.topics.filter((t): t is string => typeof t === 'string' && t.length <= 200) : [];
      switch (m.type) {
        case 'subscribe':
          for (const topic of names) {
            if (subscribed.size >= MAX_TOPICS) break;
            let members = topics.get(topic);
            if (!members) topics.set(topic, (members = new Set()));
            members.add(conn);
            subscribed.add(topic);
          }
          break;
        case 'unsubscribe':
          for (const topic of names) {
            subscribed.delete(topic);
            const members = topics.get(topic);
            members?.delete(conn);
            if (members?.size === 0) topics.delete(topic);
          }
          break;
        case 'publish': {
          if (typeof m.topic !== 'string') return;
          const members = topics.get(m.topic);
          if (!members) return;
          const out = JSON.stringify({ ...m, clients: members.size });
          for (const member of members) send(member, out);
          break;
        }
        case 'ping':
          send(conn, JSON.stringify({ type: 'pong' }));
          break;
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    urls() {
      if (address.address !== '0.0.0.0' && address.address !== '::') return [`ws://${formatHost(address.address)}:${address.port}`];
      const found: string[] = [];
      for (const entries of Object.values(networkInterfaces())) {
        for (const entry of entries ?? []) {
          if (entry.address.startsWith('fe80')) continue;
          if (entry.family === 'IPv4' || address.address === '::') found.push(`ws://${formatHost(entry.address)}:${address.port}`);
        }
      }
      return found;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const formatHost = (address: string) => (address.includes(':') ? `[${address}]` : address);
