import { LISTED_PATIENTS_MAX } from '../../shared/ledger/kinds/clinic.js';
import { api, ApiFailure } from '../../shared/api/index.js';
import type { CallName } from '../../shared/api/index.js';
import type { PatientReads } from '../../shared/api/calls/define.js';
import { wallClock } from '../../shared/time.js';
import { clinicTimeZone } from '../clinic/staffQueries.js';
import { readClinic } from '../clinic/queries.js';
import type { Ledger } from '../ledger/ledger.js';
import { clinicStream } from '../ledger/streams.js';
import type { CallContext } from './context.js';
import type { ServiceTable } from './table.js';

/** An `access.listed` entry's patient ids stay under this many bytes, so it fits one sync batch (~12 KB). */
export const LISTED_ID_BYTES_MAX = 7_000;
/** A patient a staff member saw through one call is recorded again after this long (or on another clinic day). */
export const LISTED_AGAIN_AFTER_MS = 15 * 60_000;

/**
 * The access audit of lists (docs/architecture.md#access-audit): records which patients a reply
 * showed, as `access.listed` entries in the clinic's private stream, one per request (several when
 * a reply names more patients than one entry holds), and never again for the same staff member,
 * call and patient within LISTED_AGAIN_AFTER_MS on the same clinic day, so a calendar that asks
 * for the same week again and again costs nothing more. What was recorded is remembered by this
 * process only (a restart may record a list once more). Appended outside the call's own
 * transaction, so a reply that is refused after showing patients (a duplicate warning) is
 * recorded too; a reading that cannot be recorded (a frozen computer, a deactivated staff member)
 * throws, and the reply is not given.
 */
export class ReadLog {
  /** Per staff member, call and clinic day: when each patient was last recorded. */
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(
    private readonly ledger: Ledger,
    private readonly now: () => number,
  ) {}

  listed(ctx: CallContext, call: CallName, patients: readonly string[]): void {
    const session = ctx.session;
    if (!session || patients.length === 0) return;
    const clinic = readClinic(this.ledger.db);
    if (!clinic) return;
    const now = this.now();
    this.forget(now);
    const scope = `${session.staffId} ${call} ${wallClock(now, clinicTimeZone(this.ledger.db)).date}`;
    const seen = this.seen.get(scope);
    const fresh = [...new Set(patients)].filter((id) => seen?.has(id) !== true);
    if (fresh.length === 0) return;
    const stream = clinicStream(clinic.id, 'private');
    const body = { call, role: session.role, via: ctx.bridge, purpose: 'care', mode: 'ordinary' as const };
    this.ledger.appendMany(
      chunkIds(fresh).map((ids) => ({ stream, kind: 'access.listed' as const, by: session.staffId, body: { ...body, patients: ids } })),
    );
    const marks = seen ?? new Map<string, number>();
    for (const id of fresh) marks.set(id, now);
    this.seen.set(scope, marks);
  }

  /** Drops what was recorded longer ago than the window, so the maps hold one window's lists. */
  private forget(now: number): void {
    for (const [scope, marks] of this.seen) {
      for (const [id, at] of marks) {
        if (now - at < LISTED_AGAIN_AFTER_MS && now >= at) break; // insertion order is time order
        marks.delete(id);
      }
      if (marks.size === 0) this.seen.delete(scope);
    }
  }
}

/** Ids in order, in chunks of at most LISTED_PATIENTS_MAX ids and LISTED_ID_BYTES_MAX bytes. */
export function chunkIds(ids: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const id of ids) {
    const size = id.length + 3; // quotes and comma
    if (current.length > 0 && (current.length >= LISTED_PATIENTS_MAX || bytes + size > LISTED_ID_BYTES_MAX)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(id);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Wraps every call the table declares `listed` (shared/api/calls/define.ts) so that the patients
 * its reply names are recorded before the reply goes back, and every call so that a refusal
 * whose message names patients (`ApiFailure.patients`: a duplicate warning, a double booking)
 * is recorded too. No service has to remember it.
 */
export function recordingReads(table: ServiceTable, reads: ReadLog): ServiceTable {
  const wrapped: Record<string, (input: unknown, ctx: CallContext) => unknown> = {};
  for (const [name, run] of Object.entries(table) as [CallName, (input: unknown, ctx: CallContext) => unknown][]) {
    const spec = api[name].reads as PatientReads<unknown, unknown>;
    const refused = (ctx: CallContext, error: unknown): never => {
      if (error instanceof ApiFailure && error.patients.length > 0) reads.listed(ctx, name, error.patients);
      throw error;
    };
    const answered = (input: unknown, ctx: CallContext, value: unknown): unknown => {
      if (spec?.kind === 'listed') reads.listed(ctx, name, spec.patients(value, input));
      return value;
    };
    // Synchronous services stay synchronous (benchmarks and tools call them directly).
    wrapped[name] = (input, ctx) => {
      let value: unknown;
      try {
        value = run(input, ctx);
      } catch (error) {
        return refused(ctx, error);
      }
      if (value instanceof Promise)
        return value.then(
          (v: unknown) => answered(input, ctx, v),
          (error: unknown) => refused(ctx, error),
        );
      return answered(input, ctx, value);
    };
  }
  return wrapped as unknown as ServiceTable;
}
