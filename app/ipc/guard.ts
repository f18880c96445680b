/**
 * Decides whether an IPC message comes from our own renderer: the top-level frame of a Movelog
 * window, loaded from the renderer we shipped (file:// inside the renderer folder, or the dev
 * server in development). Pure so it is tested under plain Node; app/ipc/bind.ts feeds it
 * Electron's WebFrameMain.
 */
export interface SenderFrame {
  readonly url: string;
  /** null for a top-level frame. */
  readonly parent: unknown;
}

export interface TrustedOrigins {
  /** file:// URL of the renderer folder, ending in '/'. */
  readonly rendererFileBase: string;
  /** Dev server origin (http://localhost:5173), only in development. */
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
  if (url.protocol === 'file:') {
    const base = new URL(trusted.rendererFileBase);
    // Compare decoded, normalised paths so `..` segments or encodings cannot escape the folder.
    if (url.host === '' && url.pathname.startsWith(base.pathname)) return { ok: true };
    return { ok: false, reason: `sender file is outside the renderer: ${url.pathname}` };
  }
  if (trusted.devServerOrigin !== null && url.origin === trusted.devServerOrigin) return { ok: true };
  return { ok: false, reason: `sender origin ${url.origin} is not Movelog's` };
}
