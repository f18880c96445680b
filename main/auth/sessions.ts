import type { Role } from '../../shared/api/index.js';

export interface Session {
  readonly staffId: string;
  readonly name: string;
  readonly role: Role;
  lastActivity: number;
}

export type SessionState =
  | { readonly kind: 'none' }
  | { readonly kind: 'active'; readonly session: Session }
  /** Was signed in, but idle longer than the auto-lock time: signed out now. */
  | { readonly kind: 'locked' };

const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 60_000;

/**
 * Who is signed in on which bridge connection (a browser tab, an Electron window). Sessions live
 * in memory only: a restart signs everybody out. Idle sessions lock server-side too, so a
 * forgotten tab cannot be used after the auto-lock time even if its page never locked itself.
 * Failed sign-ins are throttled per staff member.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly idleLimitMs: () => number,
  ) {}

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

  signIn(connection: string, staff: { staffId: string; name: string; role: Role }): Session {
    const session: Session = { ...staff, lastActivity: this.now() };
    this.sessions.set(connection, session);
    this.failures.delete(staff.staffId);
    return session;
  }

  signOut(connection: string): void {
    this.sessions.delete(connection);
  }

  /** Ends every session of a staff member (deactivated, or passphrase changed by a manager). */
  signOutEverywhere(staffId: string): void {
    for (const [connection, session] of this.sessions) if (session.staffId === staffId) this.sessions.delete(connection);
  }

  /** Milliseconds to wait before another attempt for this staff member, 0 when allowed. */
  throttle(staffId: string): number {
    const recent = (this.failures.get(staffId) ?? []).filter((t) => this.now() - t < FAILURE_WINDOW_MS);
    this.failures.set(staffId, recent);
    const oldest = recent[0];
    return recent.length >= MAX_FAILURES && oldest !== undefined ? FAILURE_WINDOW_MS - (this.now() - oldest) : 0;
  }

  recordFailure(staffId: string): void {
    this.failures.set(staffId, [...(this.failures.get(staffId) ?? []), this.now()]);
  }

  forget(connection: string): void {
    this.sessions.delete(connection);
  }
}
