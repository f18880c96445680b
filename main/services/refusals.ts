import { readClinic } from '../clinic/queries.js';
import { LedgerError } from '../ledger/ledger.js';
import type { Ledger } from '../ledger/ledger.js';
import { clinicStream } from '../ledger/streams.js';

/** Refused requests recorded one by one per minute for the whole process; the rest are counted. */
export const REFUSALS_PER_MINUTE = 10;
const WINDOW_MS = 60_000;

/**
 * Records refused requests and failed sign-ins as signed `access.refused` entries in the clinic's
 * private stream (docs/architecture.md#access-audit) at a cost bounded by time, whatever the
 * number of connections or staff ids a caller tries: in each minute (for the whole process) the
 * first `REFUSALS_PER_MINUTE` are recorded one by one, the rest only counted per request, and
 * once that minute is over one entry per request says how many more there were. So a flood of
 * sign-ins with random staff ids costs at most 10 entries plus one per kind of request a minute.
 * Counts waiting for their minute to end are written at the next refusal, when a manager lists
 * refusals, and when the data folder closes.
 */
export class RefusalLog {
  private windowStart = -Infinity;
  private recorded = 0;
  private readonly overflow = new Map<string, number>();

  constructor(
    private readonly ledger: Ledger,
    private readonly now: () => number,
  ) {}

  record(by: string | null, call: string, reason: string): void {
    const now = this.now();
    if (now - this.windowStart >= WINDOW_MS) {
      this.flush();
      this.windowStart = now;
      this.recorded = 0;
    }
    if (this.recorded < REFUSALS_PER_MINUTE) {
      this.recorded += 1;
      this.append(by, call, reason);
    } else {
      this.overflow.set(call, (this.overflow.get(call) ?? 0) + 1);
    }
  }

  /** Writes the counts of the minute that is over (or of the current one, when closing). */
  flush(force = false): void {
    if (this.overflow.size === 0 || (!force && this.now() - this.windowStart < WINDOW_MS)) return;
    const counted = [...this.overflow];
    this.overflow.clear();
    for (const [call, count] of counted) {
      const reason = `${count} more like this within a minute, counted but not recorded one by one`;
      this.append(null, call, reason);
    }
  }

  private append(by: string | null, call: string, reason: string): void {
    const clinic = readClinic(this.ledger.db);
    if (!clinic) return;
    try {
      this.ledger.append({
        stream: clinicStream(clinic.id, 'private'),
        kind: 'access.refused',
        by,
        body: { call: call.slice(0, 80), reason: reason.slice(0, 200) },
      });
    } catch (error) {
      // A frozen computer, or a restored one waiting to catch up, writes nothing
      // (docs/architecture.md#what-this-device-may-write, #backups): the request is refused all the
      // same; only its record is lost.
      if (!(error instanceof LedgerError)) throw error;
    }
  }
}
