import { extname, isAbsolute, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from '../../shared/csp.js';
import { MIME_TYPES } from '../../main/host/static.js';

/**
 * The app:// protocol that serves the built renderer to the Electron window instead of file://
 * (docs/architecture.md#electron-hardening): a page from app://movelog has its own origin, gets
 * the same CSP as the browser host, and can reach no file outside the renderer folder. Pure, so
 * path traversal is tested under plain Node; app/main/index.ts hands it Electron's requests.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'movelog';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export type RendererFile =
  | { readonly ok: true; readonly file: string; readonly contentType: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404 | 405; readonly reason: string };

/**
 * Maps a request to a file inside `rendererDir`, or refuses it. Paths without an extension get
 * index.html (the renderer routes on the client). Refused: other schemes or hosts, methods other
 * than GET/HEAD, undecodable paths, NUL, backslashes and any `..` segment (encoded or not), and
 * anything that would still resolve outside the folder.
 */
export function resolveRendererFile(rendererDir: string, method: string, requestUrl: string): RendererFile {
  if (!isAbsolute(rendererDir)) throw new RangeError(`rendererDir must be absolute: ${rendererDir}`);
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405, reason: `method ${method}` };
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST)
    return { ok: false, status: 403, reason: `foreign URL ${url.protocol}//${url.host}` };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'undecodable path' };
  }
  if (/[\0\\]/.test(pathname) || pathname.split('/').includes('..')) return { ok: false, status: 403, reason: 'path traversal' };
  const wanted = extname(pathname) === '' ? '/index.html' : pathname;
  const file = normalize(join(rendererDir, wanted));
  if (!file.startsWith(normalize(rendererDir) + sep)) return { ok: false, status: 403, reason: 'outside the renderer' };
  return { ok: true, file, contentType: MIME_TYPES[extname(file)] ?? 'application/octet-stream' };
}

/** Headers of every app:// response: the browser host's policy, with nothing to connect to (IPC needs no connect-src). */
export function rendererHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy([]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
