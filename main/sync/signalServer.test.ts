import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSignalServer } from './signalServer.js';
import type { SignalServer } from './signalServer.js';

const servers: SignalServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function client(url: string): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(url);
  const queue: Record<string, unknown>[] = [];
  const waiting: ((m: Record<string, unknown>) => void)[] = [];
  ws.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const w = waiting.shift();
    if (w) w(message);
    else queue.push(message);
  });
  const next = () => {
    const m = queue.shift();
    return m ? Promise.resolve(m) : new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve));
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }));
    ws.once('error', reject);
  });
}

describe('signalling server', () => {
  it('relays what is published on a topic to its subscribers, ignores what it cannot read, and says where it listens', async () => {
    const server = await startSignalServer({ port: 0, host: '127.0.0.1' });
    servers.push(server);
    expect(server.urls()).toEqual([`ws://127.0.0.1:${server.port}`]);
    const [a, b] = await Promise.all([client(server.urls()[0] ?? ''), client(server.urls()[0] ?? '')]);
    a.ws.send(JSON.stringify({ type: 'subscribe', topics: ['room-1'] }));
    b.ws.send(JSON.stringify({ type: 'subscribe', topics: ['room-1', 42] }));
    // Not JSON, JSON null, an unknown type: ignored, and the connection stays usable.
    b.ws.send('{not json');
    b.ws.send('null');
    b.ws.send(JSON.stringify({ type: 'nonsense' }));
    b.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await b.next()).toEqual({ type: 'pong' });
    a.ws.send(JSON.stringify({ type: 'publish', topic: 'room-1', data: 'hello' }));
    expect(await b.next()).toEqual({ type: 'publish', topic: 'room-1', data: 'hello', clients: 2 });
    expect(await a.next()).toEqual({ type: 'publish', topic: 'room-1', data: 'hello', clients: 2 });
    b.ws.send(JSON.stringify({ type: 'unsubscribe', topics: ['room-1'] }));
    b.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await b.next()).toEqual({ type: 'pong' });
    a.ws.send(JSON.stringify({ type: 'publish', topic: 'room-1', data: 'again' }));
    expect(await a.next()).toEqual({ type: 'publish', topic: 'room-1', data: 'again', clients: 1 });
    a.ws.close();
    b.ws.close();
  });

  it('lists every IPv4 address when it listens on all of them', async () => {
    const server = await startSignalServer({ port: 0 });
    servers.push(server);
    expect(server.host).toBe('0.0.0.0');
    expect(server.urls()).toContain(`ws://127.0.0.1:${server.port}`);
  });
});
