import type { Role } from '../../shared/api/index.js';

/** Who is calling, as established by the bridge (never taken from the call's input). */
export interface CallContext {
  /** The signed-in staff member, or null when nobody is signed in. */
  readonly session: { readonly staffId: string; readonly role: Role } | null;
  /** Which bridge carried the call, for logs and the access audit. */
  readonly bridge: 'ipc' | 'ws' | 'cli';
  /** The bridge connection (one browser tab or Electron window) the session belongs to. */
  readonly connection?: string;
}
