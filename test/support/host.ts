import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function tempDataDir(prefix = 'movelog-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface HostProcess {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly child: ChildProcessWithoutNullStreams;
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * Starts a real `movelog <args>` process (default: `serve` on a free port) and resolves once it
 * prints its URL. Waits on the process's own output, never on a timer.
 */
export async function startHostProcess(dataDir: string, extraArgs: readonly string[] = []): Promise<HostProcess> {
  const child = spawn(process.execPath, ['bin/movelog.js', 'serve', '--data', dataDir, '--port', '0', ...extraArgs], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, MOVELOG_DATA: '' },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output);
      if (match) resolve(match[0]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`movelog serve exited with ${String(code)} before printing its URL:\n${output}`)));
  });
  const parsed = new URL(url);
  const token = new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '';
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token,
    child,
    output: () => output,
    async stop() {
      // Already ended (by itself, or killed by a signal: then exitCode stays null and 'exit' has fired).
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

export interface ApiClient {
  call(name: string, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  send(raw: string): Promise<unknown>;
  close(): Promise<void>;
}

/** A WebSocket API client like the renderer's, for integration tests. */
export async function connectApi(host: Pick<HostProcess, 'port' | 'token'>): Promise<ApiClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${encodeURIComponent(host.token)}`);
  await once(ws, 'open');
  let nextId = 1;
  const waiting = new Map<number | null, (value: unknown) => void>();
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as { id: number | null; result: unknown };
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  return {
    call(name, input = {}) {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve as (value: unknown) => void);
        ws.send(JSON.stringify({ id, call: name, input }));
      });
    },
    send(raw) {
      return new Promise((resolve) => {
        waiting.set(null, resolve);
        ws.send(raw);
      });
    },
    async close() {
      const closed = once(ws, 'close');
      ws.close();
      await closed;
    },
  };
}

/** Attempts a WebSocket upgrade and reports the HTTP status the host answered with. */
export async function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}
