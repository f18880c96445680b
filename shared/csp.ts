/**
 * The one Content-Security-Policy of Movelog's renderer, whichever host serves it: the browser
 * host (main/host/server.ts, over HTTP) and the Electron window (app/security/protocol.ts, over
 * app://). Only `connect-src` differs: the browser host talks to its API over a WebSocket, the
 * Electron window over IPC and so connects to nothing beyond itself.
 * (docs/architecture.md#electron-hardening)
 */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
  for (const source of connectSources) {
    if (!/^(?:ws|wss|http|https):\/\/[a-z0-9.[\]:-]+$/i.test(source)) throw new RangeError(`not a connect-src origin: ${source}`);
  }
  return [
    "default-src 'self'",
    ["connect-src 'self'", ...connectSources].join(' '),
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}
