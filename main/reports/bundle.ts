import { once } from 'node:events';
import type { Db } from '../store/db.js';
import { CHAIN_ZERO, canonicalBytes } from '../ledger/crypto/index.js';
import type { JsonValue } from '../ledger/crypto/index.js';
import { homeClinicId } from '../ledger/home.js';
import { clinicOfStream, patientOfStream } from '../ledger/streams.js';
import { storedTimeZone } from '../views/clinic.js';
import { DEFAULT_TIME_ZONE } from '../../shared/time.js';
import { writeAtomic } from '../store/atomicFile.js';
import { AUDIT_CLINIC_KINDS, auditInstantRange, matchesAuditFilter, parseAuditFilter } from './filter.js';
import type { AuditFilter } from './filter.js';

/** The first line's `bundle` member: this format (docs/ledger-format.md §16). */
export const AUDIT_BUNDLE_FORMAT = 'movelog/audit-bundle/v1';

export interface ReportOptions {
  /** Called now and then with the lines written so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborting removes the partial file; `out` is left as it was. */
  readonly signal?: AbortSignal;
}

interface StoredRow {
  readonly n: number;
  readonly hash: string;
  readonly bytes: Buffer;
  readonly sig: string;
}

interface Parsed {
  readonly stream: string;
  readonly author: string;
  readonly kind: string;
  readonly at: number;
  readonly by: string | null;
  readonly body: unknown;
}

const PAGE = 2000;
const FLUSH_BYTES = 1 << 16;

/**
 * Writes a self-verifying audit bundle (docs/ledger-format.md §16, docs/architecture.md#audit-bundle):
 * the audit entries the filter selects, exactly as stored and signed; the entries an outsider
 * needs to check who signed them (clinic geneses, device enrolments, staff entries); the newest
 * witnessed checkpoint of this database's local chain that covers them, with its witnesses; and
 * the local chain's links (the hash at every position) from the first selected entry to the
 * checkpoint or the last selected entry. Read-only on `db`; written atomically. Returns the number
 * of selected entries and the patients they name, whose reading the caller records (the bundle
 * shows patient ids; docs/architecture.md#access-audit).
 */
export async function writeAuditBundle(
  db: Db,
  filter: AuditFilter,
  out: string,
  opts: ReportOptions = {},
): Promise<{ rows: number; patients: readonly string[] }> {
  const f = parseAuditFilter(filter);
  const clinic = homeClinicId(db);
  if (clinic === null) throw new Error('This folder holds no clinic yet: there is nothing to report.');
  const zone = storedTimeZone(db, clinic) ?? DEFAULT_TIME_ZONE;
  const range = auditInstantRange(f, zone);
  const deviceClinic = new Map(
    db
      .prepare<[], { key: string; clinic_id: string }>('SELECT key, clinic_id FROM view_devices')
      .all()
      .map((d) => [d.key, d.clinic_id]),
  );

  // Pass 1: which positions are selected (only their numbers are kept; the bytes are read again while writing).
  const selected: number[] = [];
  // The patients the selected entries name (their streams, the lists that showed them): the caller
  // records that the bundle showed them (docs/architecture.md#access-audit).
  const patients = new Set<string>();
  const needs = new Needs();
  // The writing clinic's genesis is always there: the header names the clinic (docs/ledger-format.md §16.3).
  needs.clinics.add(clinic);
  const conditions = [`(stream LIKE 'p:%' OR kind LIKE 'access.%' OR kind IN (${AUDIT_CLINIC_KINDS.map((k) => `'${k}'`).join(', ')}))`];
  const params: string[] = [];
  if (f.action !== undefined) {
    conditions.push('kind = ?');
    params.push(f.action);
  }
  if (f.patientId !== undefined) {
    conditions.push("(stream LIKE ? OR kind = 'access.listed')");
    params.push(`p:${f.patientId}/%`);
  }
  const candidates = db.prepare<(string | number)[], StoredRow>(
    `SELECT local_seq AS n, hash, bytes, sig FROM entries WHERE local_seq > ? AND ${conditions.join(' AND ')} ORDER BY local_seq LIMIT ${PAGE}`,
  );
  for (let after = 0; ;) {
    if (opts.signal?.aborted) throw abortError();
    const rows = candidates.all(after, ...params);
    if (rows.length === 0) break;
    for (const r of rows) {
      after = r.n;
      const e = parse(r.bytes);
      if (!matchesAuditFilter(e, f, range, (id) => deviceClinic.get(e.author) === id)) continue;
      selected.push(r.n);
      needs.entry(e);
      for (const p of patientsNamed(e)) patients.add(p);
    }
  }

  const first = selected[0];
  const last = selected[selected.length - 1];
  const checkpoint = first === undefined || last === undefined ? undefined : chooseCheckpoint(db, first, last);
  const context = new Map<string, StoredRow>();
  const witnesses: string[] = [];
  if (checkpoint) {
    const signed = db.prepare<[string], StoredRow>('SELECT local_seq AS n, hash, bytes, sig FROM entries WHERE hash = ?').get(checkpoint.hash);
    if (!signed) throw new Error(`the checkpoint ${checkpoint.hash} is in the views but not among the entries`);
    addContext(signed);
    // One countersignature per witnessing device (its first), by devices other than the checkpoint's.
    const rows = db
      .prepare<[string], StoredRow & { author: string }>(
        `SELECT local_seq AS n, hash, bytes, sig, author FROM entries
          WHERE kind = 'checkpoint.witnessed' AND json_extract(CAST(bytes AS TEXT), '$.body.checkpoint') = ? ORDER BY local_seq`,
      )
      .all(checkpoint.hash);
    const by = new Set<string>([parse(signed.bytes).author]);
    for (const w of rows) {
      if (by.has(w.author)) continue;
      by.add(w.author);
      addContext(w);
      witnesses.push(w.hash);
    }
  }
  resolveContext(db, needs, addContext);

  const segment = first === undefined || last === undefined ? null : { first, last: Math.max(last, checkpoint?.size ?? 0) };
  const header = {
    bundle: AUDIT_BUNDLE_FORMAT,
    checkpoint: checkpoint?.hash ?? null,
    clinic,
    filter: f as unknown as JsonValue,
    period: { from: new Date(range.from).toISOString(), until: new Date(range.until).toISOString() },
    segment,
    selected: selected.length,
    witnesses: witnesses.sort(),
    zone,
  };
  const total = context.size + (segment ? segment.last - segment.first + 2 : 0);
  let done = 0;
  let lastReport = 0;
  const progress = () => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (now - lastReport < 250 && done < total) return;
    lastReport = now;
    opts.onProgress(done, total);
  };

  await writeAtomic(
    out,
    async (target) => {
      let buffered: Buffer[] = [];
      let size = 0;
      const put = async (...parts: Buffer[]) => {
        for (const p of parts) {
          buffered.push(p);
          size += p.length;
        }
        if (size >= FLUSH_BYTES) await flush();
      };
      const flush = async () => {
        if (buffered.length === 0) return;
        const chunk = Buffer.concat(buffered);
        buffered = [];
        size = 0;
        // Backpressure: wait for the stream to drain (once() rejects if the stream fails instead).
        if (!target.stream.write(chunk)) await once(target.stream, 'drain');
      };
      await put(Buffer.from(canonicalBytes(header as unknown as JsonValue)), NL);
      for (const row of [...context.values()].sort((a, b) => a.n - b.n)) {
        await put(Buffer.from('{"context":'), row.bytes, Buffer.from(`,"hash":"${row.hash}","sig":"${row.sig}"}\n`));
        done++;
      }
      progress();
      if (segment) {
        const before =
          segment.first === 1
            ? CHAIN_ZERO
            : (db.prepare<[number], { chain: string }>('SELECT chain FROM entries WHERE local_seq = ?').get(segment.first - 1)?.chain ?? null);
        if (before === null) throw new Error(`entry #${segment.first - 1} is missing from this database`);
        await put(Buffer.from(`{"n":${segment.first - 1},"chain":"${before}"}\n`));
        done++;
        const isSelected = new Set(selected);
        const page = db.prepare<[number, number], { n: number; hash: string; chain: string }>(
          `SELECT local_seq AS n, hash, chain FROM entries WHERE local_seq >= ? AND local_seq <= ? ORDER BY local_seq LIMIT ${PAGE}`,
        );
        const full = db.prepare<[number], { bytes: Buffer; sig: string }>('SELECT bytes, sig FROM entries WHERE local_seq = ?');
        for (let next = segment.first; next <= segment.last;) {
          if (opts.signal?.aborted) throw abortError();
          const rows = page.all(next, segment.last);
          if (rows.length === 0 || rows[0]?.n !== next) throw new Error(`entry #${next} is missing from this database`);
          for (const r of rows) {
            if (r.n !== next) throw new Error(`entry #${next} is missing from this database`);
            next++;
            if (isSelected.has(r.n)) {
              const stored = full.get(r.n);
              if (!stored) throw new Error(`entry #${r.n} is missing from this database`);
              // The stored bytes verbatim, as signed (docs/ledger-format.md §4): never re-encoded.
              await put(
                Buffer.from(`{"n":${r.n},"entry":`),
                stored.bytes,
                Buffer.from(`,"hash":"${r.hash}","sig":"${stored.sig}","chain":"${r.chain}"}\n`),
              );
            } else {
              await put(Buffer.from(`{"n":${r.n},"hash":"${r.hash}"}\n`));
            }
            done++;
          }
          progress();
        }
      }
      await flush();
    },
    opts.signal,
  );
  opts.onProgress?.(total, total);
  return { rows: selected.length, patients: [...patients] };

  function addContext(row: StoredRow): void {
    if (context.has(row.hash)) return;
    context.set(row.hash, row);
    needs.entry(parse(row.bytes));
  }
}

const NL = Buffer.from('\n');

/**
 * The checkpoint the links are checked against (docs/ledger-format.md §16.1): one of this local
 * chain (its chain value is this database's at its size) that another device countersigned. Of
 * those covering every selected entry, the one witnessed by devices of the most clinics, then the
 * earliest (the shortest links); when none covers them all, the newest, which covers the most.
 */
function chooseCheckpoint(db: Db, first: number, last: number): { hash: string; size: number } | undefined {
  const ours = `FROM view_checkpoints c JOIN entries e ON e.local_seq = c.size AND e.chain = c.chain
     JOIN view_witnesses w ON w.checkpoint = c.hash AND w.witness != c.device LEFT JOIN view_devices d ON d.key = w.witness`;
  return (
    db
      .prepare<[number], { hash: string; size: number }>(
        `SELECT c.hash, c.size ${ours} WHERE c.size >= ? GROUP BY c.hash ORDER BY count(DISTINCT d.clinic_id) DESC, c.size ASC LIMIT 1`,
      )
      .get(last) ??
    db
      .prepare<[number], { hash: string; size: number }>(
        `SELECT c.hash, c.size ${ours} WHERE c.size >= ? GROUP BY c.hash ORDER BY c.size DESC LIMIT 1`,
      )
      .get(first)
  );
}

function abortError(): Error {
  const error = new Error('Cancelled: nothing was written.');
  error.name = 'AbortError';
  return error;
}

/** The patient ids an entry names: its patient stream's, or the patients of a list. */
function patientsNamed(e: Parsed): string[] {
  const own = patientOfStream(e.stream);
  if (own !== null) return [own];
  if (e.kind !== 'access.listed' || typeof e.body !== 'object' || e.body === null) return [];
  const listed = (e.body as { patients?: unknown }).patients;
  return Array.isArray(listed) ? listed.filter((p): p is string => typeof p === 'string') : [];
}

function parse(bytes: Buffer): Parsed {
  return JSON.parse(bytes.toString('utf8')) as Parsed;
}

/** What the bundle must hold so that each author and staff member of its entries can be checked. */
class Needs {
  readonly authors = new Set<string>();
  readonly staff = new Set<string>();
  readonly clinics = new Set<string>();
  private readonly done = new Set<string>();

  entry(e: Parsed): void {
    this.authors.add(e.author);
    if (e.by !== null) this.staff.add(e.by);
    const c = clinicOfStream(e.stream);
    if (c) this.clinics.add(c.clinicId);
  }

  /** The next need not yet met, marked as met. */
  next(): { readonly what: 'author' | 'staff' | 'clinic'; readonly id: string } | null {
    for (const [what, set] of [
      ['author', this.authors],
      ['staff', this.staff],
      ['clinic', this.clinics],
    ] as const) {
      for (const id of set) {
        const key = `${what}:${id}`;
        if (this.done.has(key)) continue;
        this.done.add(key);
        return { what, id };
      }
    }
    return null;
  }
}

/**
 * Adds, until nothing more is needed, the entries that establish every author (its clinic's
 * genesis when it founded the clinic, else its first enrolment), every staff member acting
 * (their `staff.added`) and every clinic named (its genesis); each added entry brings its own
 * author, staff member and clinic, so the chain of enrolments goes back to a founder.
 */
function resolveContext(db: Db, needs: Needs, add: (row: StoredRow) => void): void {
  const founded = db.prepare<[string], StoredRow>(
    "SELECT local_seq AS n, hash, bytes, sig FROM entries WHERE kind = 'clinic.created' AND author = ? ORDER BY local_seq LIMIT 1",
  );
  const enrolled = db.prepare<[string], StoredRow>(
    `SELECT local_seq AS n, hash, bytes, sig FROM entries
      WHERE kind = 'device.enrolled' AND json_extract(CAST(bytes AS TEXT), '$.body.device') = ? ORDER BY local_seq LIMIT 1`,
  );
  const added = db.prepare<[string], StoredRow>(
    `SELECT local_seq AS n, hash, bytes, sig FROM entries
      WHERE kind = 'staff.added' AND json_extract(CAST(bytes AS TEXT), '$.body.staffId') = ? ORDER BY local_seq LIMIT 1`,
  );
  const genesis = db.prepare<[string], StoredRow>(
    "SELECT local_seq AS n, hash, bytes, sig FROM entries WHERE kind = 'clinic.created' AND stream = ? ORDER BY local_seq LIMIT 1",
  );
  for (let need = needs.next(); need !== null; need = needs.next()) {
    let row: StoredRow | undefined;
    if (need.what === 'author') row = founded.get(need.id) ?? enrolled.get(need.id);
    else if (need.what === 'staff') row = added.get(need.id);
    else row = genesis.get(`c:${need.id}/public`);
    if (!row) throw new Error(`this database does not hold the entry that establishes the ${need.what} ${need.id}`);
    add(row);
  }
}
