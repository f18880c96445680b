/**
 * Who may try a passphrase now (docs/architecture.md#sign-in-sessions-and-roles). Every attempt
 * passes `admit` BEFORE the slow scrypt hash, which counts it at once, so guesses sent together
 * are refused without being hashed:
 *
 * - one attempt at a time per staff member and per connection (a tab, a window);
 * - per source (a connection trying one staff member) at most `perSource` failures a minute, and
 *   per connection at most `perConnection` failures a minute whatever staff ids it tries. A
 *   colleague's own tab is another source, so one tab cannot lock a colleague out;
 * - for the whole process at most `globalPerMinute` attempts a minute, which bounds the hashing
 *   work however many connections an attacker opens. While a flood lasts, everyone waits up to a
 *   minute: a delay, never a lockout of one person.
 *
 * An attempt counts as a failure from the moment it is admitted; `succeeded` takes it back.
 */

export interface SignInLimits {
  readonly perSource: number;
  readonly perConnection: number;
  readonly globalPerMinute: number;
}

export const SIGN_IN_LIMITS: SignInLimits = { perSource: 5, perConnection: 10, globalPerMinute: 60 };

const WINDOW_MS = 60_000;

export type Admission =
  { readonly ok: true; readonly attempt: Attempt } | { readonly ok: false; readonly why: 'busy' | 'too_many'; readonly waitMs: number };

export interface Attempt {
  readonly connection: string;
  readonly staffId: string;
  readonly at: number;
}

export class SignInGate {
  private readonly checking = new Set<string>();
  private readonly bySource = new Map<string, number[]>();
  private readonly byConnection = new Map<string, number[]>();
  private global: number[] = [];

  constructor(
    private readonly now: () => number,
    private readonly limits: SignInLimits = SIGN_IN_LIMITS,
  ) {}

  /** Admits one attempt (and counts it) or says why not and how long to wait. */
  admit(connection: string, staffId: string): Admission {
    if (typeof connection !== 'string' || typeof staffId !== 'string') throw new TypeError('connection and staffId must be strings');
    const now = this.now();
    if (this.checking.has(`c:${connection}`) || this.checking.has(`s:${staffId}`)) return { ok: false, why: 'busy', waitMs: 1000 };
    const source = `${connection}\u0000${staffId}`;
    const wait = Math.max(
      this.waitFor(this.recent(this.bySource, source, now), this.limits.perSource, now),
      this.waitFor(this.recent(this.byConnection, connection, now), this.limits.perConnection, now),
      this.waitFor((this.global = this.global.filter((t) => now - t < WINDOW_MS)), this.limits.globalPerMinute, now),
    );
    if (wait > 0) return { ok: false, why: 'too_many', waitMs: wait };
    this.checking.add(`c:${connection}`);
    this.checking.add(`s:${staffId}`);
    this.bySource.set(source, [...(this.bySource.get(source) ?? []), now]);
    this.byConnection.set(connection, [...(this.byConnection.get(connection) ?? []), now]);
    this.global.push(now);
    return { ok: true, attempt: { connection, staffId, at: now } };
  }

  /** The hash is done: the next attempt for this staff member and connection may start. */
  finished(attempt: Attempt): void {
    this.checking.delete(`c:${attempt.connection}`);
    this.checking.delete(`s:${attempt.staffId}`);
  }

  /** The passphrase was right: this source's failures are forgiven (the global rate is not). */
  succeeded(attempt: Attempt): void {
    this.finished(attempt);
    this.bySource.delete(`${attempt.connection}\u0000${attempt.staffId}`);
    const mine = this.byConnection.get(attempt.connection) ?? [];
    const at = mine.indexOf(attempt.at);
    if (at >= 0) mine.splice(at, 1);
  }

  /** Drops what is kept about a connection that closed (its failures stay in the global rate). */
  forget(connection: string): void {
    this.byConnection.delete(connection);
    for (const key of this.bySource.keys()) if (key.startsWith(`${connection}\u0000`)) this.bySource.delete(key);
  }

  private recent(map: Map<string, number[]>, key: string, now: number): number[] {
    const kept = (map.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (kept.length > 0) map.set(key, kept);
    else map.delete(key);
    return kept;
  }

  private waitFor(times: readonly number[], limit: number, now: number): number {
    const oldest = times[times.length - limit];
    return times.length >= limit && oldest !== undefined ? WINDOW_MS - (now - oldest) : 0;
  }
}
