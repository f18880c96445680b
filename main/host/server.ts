import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fstatSync, openSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { fail } from '../../shared/api/index.js';
import { contentSecurityPolicy } from '../../shared/csp.js';
import type { Movelog } from '../core.js';
import { serveStatic } from './static.js';
import { parseRequest } from './wire.js';
import { shredOpenFile } from '../store/vault.js';

/**
 * The browser host (docs/architecture.md#one-api-two-bridges): the same services as the Electron app, in a Node process.
 * Serves the built renderer over HTTP and the API over a WebSocket at /api.
 *
 * Guards, in the order they are checked on the WebSocket upgrade:
 *  - only loopback: the server binds 127.0.0.1 and refuses any Host header other than
 *    127.0.0.1:port or localhost:port (DNS rebinding);
 *  - an Origin, when a browser sends one, must be this host's own;
 *  - the per-launch random token (in the URL fragment the host prints, so it never reaches a
 *    server log) must match, compared in constant time; otherwise 401 and no data.
 */
export interface HostOptions {
  readonly movelog: Movelog;
  readonly rendererDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly log?: Pick<Console, 'info' | 'warn' | 'error'>;
}

export interface RunningHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;
const DOWNLOAD_PREFIX = '/download/';

/** `attachment` with the name in ASCII and, for any other characters, RFC 6266 / RFC 8187 `filename*`. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
const BIND_ADDRESS = '127.0.0.1';

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { movelog, rendererDir } = options;
  const log = options.log ?? console;
  if (!existsSync(rendererDir)) {
    throw new Error(`The renderer is not built (${rendererDir} is missing). Run "npm run build" first.`);
  }
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let port = options.port ?? 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const securityHeaders = (): Record<string, string> => ({
    'Content-Security-Policy': contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });

  const http = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if ((req.url ?? '').startsWith(DOWNLOAD_PREFIX)) {
      serveDownload(req, res);
      return;
    }
    serveStatic(rendererDir, req, res, securityHeaders()).catch((error: unknown) => {
      log.error('static file failed', error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  /**
   * A job's file, fetched once (docs/architecture.md#long-work-off-the-main-thread): the token in
   * the path is the one `job.state` gave the session that started the job, valid once and only
   * while that session is signed in; the file is shredded once sent, or when sending failed.
   */
  function serveDownload(req: IncomingMessage, res: ServerResponse): void {
    const token = (req.url ?? '').slice(DOWNLOAD_PREFIX.length);
    if (req.method !== 'GET' || !/^[\w-]{43}$/.test(token)) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...securityHeaders() }).end('Not found');
      return;
    }
    const file = movelog.jobs.takeDownload(token);
    if (!file) {
      res
        .writeHead(404, { 'Content-Type': 'text/plain', ...securityHeaders() })
        .end('This download was fetched already, has expired, or is not yours.');
      return;
    }
    // The file leaves the exports folder before a byte is sent: the open descriptor keeps its
    // contents readable, and they are overwritten once sent (or when sending failed), so no copy
    // is left once the browser has it (docs/architecture.md#long-work-off-the-main-thread).
    let fd: number;
    let size: number;
    try {
      fd = openSync(file.path, 'r+');
      size = fstatSync(fd).size;
      unlinkSync(file.path);
    } catch (error) {
      log.error('download failed', error);
      res.writeHead(500).end();
      file.release();
      return;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      try {
        shredOpenFile(fd);
      } catch (error) {
        log.error('could not overwrite a sent download', error);
      } finally {
        closeSync(fd);
      }
    };
    res.on('close', release);
    const stream = createReadStream('', { fd, start: 0, autoClose: false });
    stream.once('error', (error) => {
      log.error('download failed', error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
      release();
    });
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': file.mime,
      'Content-Length': String(size),
      'Content-Disposition': contentDisposition(file.name),
      'Cache-Control': 'no-store',
    });
    stream.pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const refuse = (socket: Duplex, status: number, reason: string) => {
    log.warn(`refused WebSocket: ${reason}`);
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const offered = Buffer.from(url.searchParams.get('token') ?? '');
    const origin = req.headers.origin;
    if (url.pathname !== '/api') refuse(socket, 404, 'Not Found');
    else if (!allowedHosts().has(req.headers.host ?? '')) refuse(socket, 421, 'Misdirected Request');
    else if (origin !== undefined && !allowedOrigins().has(origin)) refuse(socket, 403, 'Forbidden');
    else if (offered.length !== tokenBytes.length || !timingSafeEqual(offered, tokenBytes)) refuse(socket, 401, 'Unauthorized');
    else wss.handleUpgrade(req, socket, head, (ws) => serveApi(ws));
  });

  function serveApi(ws: WebSocket): void {
    // Each WebSocket (one browser tab) is its own connection with its own session.
    const connection = `ws:${randomUUID()}`;
    ws.on('close', () => {
      movelog.sessions.forget(connection);
      // The tab is gone: its running jobs stop, and their files are shredded.
      void movelog.jobs.forgetConnection(connection);
    });
    ws.on('message', (data: Buffer, isBinary) => {
      const request = isBinary ? null : parseRequest(data.toString('utf8'));
      if (!request) {
        ws.send(JSON.stringify({ id: null, result: fail('invalid_input', 'Malformed request: expected {"id", "call", "input"} as JSON.') }));
        return;
      }
      movelog
        .invoke(connection, 'ws', request.call, request.input)
        .then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: request.id, result }));
        })
        .catch((error: unknown) => log.error('dispatch failed', error));
    });
    ws.on('error', (error) => log.warn(`WebSocket error: ${error.message}`));
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, BIND_ADDRESS, () => {
      http.off('error', reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'Movelog is shutting down');
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
