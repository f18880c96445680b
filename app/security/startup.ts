import { APP_ENTRY_URL, APP_ORIGIN } from './protocol.js';
import type { TrustedOrigins } from '../ipc/guard.js';

/**
 * Where the window loads from, and so which origin IPC trusts. ELECTRON_RENDERER_URL (set by
 * electron-vite's dev server) is honoured only in an unpackaged build and only for a loopback
 * http address: in a packaged build the environment cannot point the window, or IPC trust, at
 * another page (docs/architecture.md#electron-hardening).
 */
export interface RendererSource {
  readonly url: string;
  readonly trusted: TrustedOrigins;
  /** Why ELECTRON_RENDERER_URL was ignored, when it was set and ignored. */
  readonly ignored: string | null;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function rendererSource(isPackaged: boolean, devServerUrl: string | undefined): RendererSource {
  const app: RendererSource = { url: APP_ENTRY_URL, trusted: { appOrigin: APP_ORIGIN, devServerOrigin: null }, ignored: null };
  if (devServerUrl === undefined || devServerUrl === '') return app;
  if (isPackaged) return { ...app, ignored: 'ELECTRON_RENDERER_URL is ignored in a packaged build' };
  let url: URL;
  try {
    url = new URL(devServerUrl);
  } catch {
    return { ...app, ignored: 'ELECTRON_RENDERER_URL is not a URL' };
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
    return { ...app, ignored: `ELECTRON_RENDERER_URL must be an http loopback address, not ${url.origin}` };
  }
  return { url: url.href, trusted: { appOrigin: APP_ORIGIN, devServerOrigin: url.origin }, ignored: null };
}
