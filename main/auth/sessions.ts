import type { Role } from '../../shared/api/index.js';
import { SignInGate } from './signInGate.js';
import type { SignInLimits } from './signInGate.js';

export interface Session {
  readonly staffId: string;
  readonly name: string;
  readonly role: Role;
  /** The passphrase verifier signed in with: a reset by anyone, on any device, ends the session. */
  credential: string | null;
  lastActivity: number;
}

export type SessionState =
  | { readonly kind: 'none' }
  | { readonly kind: 'active'; readonly session: Session }
  /** Was signed in, but idle longer than the auto-lock time: signed out now. */
  | { readonly kind: 'locked' };

/**
 * Who is signed in on which bridge connection (a browser tab, an Electron window). Sessions live
 * in memory only: a restart signs everybody out. Idle sessions lock server-side too, so a
 * forgotten tab cannot be used after the auto-lock time even if its page never locked itself.
 * Sign-in attempts pass `gate` before their passphrase is hashed (signInGate.ts).
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  readonly gate: SignInGate;

  constructor(
    private readonly now: () => number,
    private readonly idleLimitMs: () => number,
    limits?: SignInLimits,
  ) {
    this.gate = new SignInGate(now, limits);
  }

  state(connection: string | undefined): SessionState {
    if (connection === undefined) return { kind: 'none' };
    const session = this.sessions.get(connection);
    if (!session) return { kind: 'none' };
    if (this.now() - session.lastActivity > this.idleLimitMs()) {
      this.sessions.delete(connection);
      return { kind: 'locked' };
    }
    return { kind: 'active', session };
  }

  touch(connection: string): void {
    const session = this.sessions.get(connection);
    if (session) session.lastActivity = this.now();
  }

  signIn(connection: string, staff: { staffId: string; name: string; role: Role; credential: string | null }): Session {
    const session: Session = { ...staff, lastActivity: this.now() };
    this.sessions.set(connection, session);
    return session;
  }

  /** The staff member changed their own passphrase on this connection: this session stays. */
  renewCredential(connection: string, credential: string): void {
    const session = this.sessions.get(connection);
    if (session) session.credential = credential;
  }

  signOut(connection: string): void {
    this.sessions.delete(connection);
  }

  /**
   * Ends every session of a staff member in this process (deactivated, or passphrase reset), except
   * on `keep`, the connection that changed its own passphrase.
   */
  signOutEverywhere(staffId: string, keep?: string): void {
    for (const [connection, session] of this.sessions) if (session.staffId === staffId && connection !== keep) this.sessions.delete(connection);
  }

  forget(connection: string): void {
    this.sessions.delete(connection);
    this.gate.forget(connection);
  }
}
