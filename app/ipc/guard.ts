/**
 * Decides whether an IPC message comes from our own renderer: the top-level frame of a Movelog
 * window, loaded from app://movelog (app/security/protocol.ts), or from the dev server in an
 * unpackaged development build only (app/security/startup.ts). Pure so it is tested under plain
 * Node; app/ipc/bind.ts feeds it Electron's WebFrameMain.
 */
export interface SenderFrame {
  readonly url: string;
  /** null for a top-level frame. */
  readonly parent: unknown;
}

export interface TrustedOrigins {
  /** The renderer's origin, app://movelog. */
  readonly appOrigin: string;
  /** Dev server origin (http://localhost:5173), only in an unpackaged development build. */
  readonly devServerOrigin: string | null;
}

export type GuardVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function checkSender(frame: SenderFrame | null | undefined, trusted: TrustedOrigins): GuardVerdict {
  if (!frame) return { ok: false, reason: 'no sender frame (the frame was destroyed or navigated)' };
  if (frame.parent !== null) return { ok: false, reason: 'sender is not a top-level frame' };
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return { ok: false, reason: `sender URL is not a URL: ${frame.url.slice(0, 100)}` };
  }
  // URL.origin is "null" for schemes WHATWG does not know, so compare scheme and host.
  const app = new URL(trusted.appOrigin);
  if (url.protocol === app.protocol && url.host === app.host && url.username === '' && url.password === '') return { ok: true };
  if (trusted.devServerOrigin !== null && url.origin === trusted.devServerOrigin) return { ok: true };
  return { ok: false, reason: `sender ${url.protocol}//${url.host} is not Movelog's renderer` };
}
