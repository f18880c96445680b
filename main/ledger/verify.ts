import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { CHAIN_ZERO, chainNext, canonicalBytes, entryHash, isHashHex, parseCanonical } from './crypto/index.js';
import type { JsonValue } from './crypto/index.js';
import { validateEntry } from './entry.js';
import type { Entry } from './entry.js';
import { rebuildViews, viewDigest } from './rebuild.js';
import { SignaturePool } from './signaturePool.js';
import { VIEW_SCHEMA } from './viewSchema.js';

/**
 * Full verification of a ledger: every hash, signature, per-author chain (seq/prev), deps, the
 * local chain, and (for a database) that the views equal a rebuild from the entries. Streams the
 * entries page by page, so memory stays flat; signatures are checked on worker threads.
 */
export interface VerifyOptions {
  /** Signature worker threads (default: one per core; 0 = on this thread). */
  readonly workers?: number;
  /** Called now and then with the count checked so far and the total (when known). */
  readonly onProgress?: (checked: number, total: number | null) => void;
}

export interface VerifyProblem {
  /** The entry's position in local order (1-based), or null for a problem not tied to one. */
  readonly n: number | null;
  readonly hash: string | null;
  readonly reason: string;
}

export interface VerifyReport {
  readonly entries: number;
  readonly chainHead: string;
  /** The first problem in local order, or null when everything checked out. */
  readonly problem: VerifyProblem | null;
  /** Views equal a rebuild (null when not checked: a ledger file has no views). */
  readonly viewsMatch: boolean | null;
  readonly forks: number;
  readonly quarantined: number;
}

/** Thrown when verification could not be carried out at all (exit code 2). */
export class CannotVerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotVerifyError';
  }
}

interface Row {
  readonly n: number;
  readonly bytes: Uint8Array;
  readonly hash: string;
  readonly sig: string;
  readonly chain: string;
  /** Columns stored beside the bytes (database only), checked against the entry. */
  readonly columns?: { stream: string; author: string; seq: number; kind: string; height: number };
}

const PAGE = 2000;
const SIG_BATCH = 500;

/**
 * The streaming checker shared by database and file verification. Feed rows in local order;
 * structural problems are found at once, signature problems when their batch returns.
 */
class Checker {
  private expectedN = 1;
  private chain = CHAIN_ZERO;
  private readonly heads = new Map<string, { seq: number; hash: string }>();
  private problems: VerifyProblem[] = [];
  private batch: { n: number[]; authors: string[]; hashes: string[]; sigs: string[] } = { n: [], authors: [], hashes: [], sigs: [] };
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly pool: SignaturePool,
    /** Local position and height of an earlier entry by hash, or undefined when absent. */
    private readonly lookup: (hash: string) => { n: number; height: number } | undefined,
  ) {}

  get checked(): number {
    return this.expectedN - 1;
  }

  get head(): string {
    return this.chain;
  }

  firstProblem(): VerifyProblem | null {
    return this.problems.reduce<VerifyProblem | null>((first, p) => (first === null || (p.n ?? Infinity) < (first.n ?? Infinity) ? p : first), null);
  }

  /** Checks one row; returns false once a structural problem is found (later rows are not read). */
  async add(row: Row): Promise<boolean> {
    const problem = (reason: string): false => {
      this.problems.push({ n: row.n, hash: row.hash, reason });
      return false;
    };
    if (row.n > this.expectedN) {
      const missing = row.n - 1 === this.expectedN ? `entry #${this.expectedN} is missing` : `entries #${this.expectedN}–#${row.n - 1} are missing`;
      this.problems.push({ n: this.expectedN, hash: null, reason: missing });
      return false;
    }
    if (row.n !== this.expectedN) return problem(`entry number ${row.n} is out of order`);
    this.expectedN++;
    let entry: Entry;
    try {
      entry = validateEntry(parseCanonical(row.bytes));
    } catch (error) {
      return problem(`entry is not a valid canonical entry: ${(error as Error).message}`);
    }
    const hash = entryHash(row.bytes);
    if (hash !== row.hash) return problem(`stored hash does not match the entry's bytes (recomputed ${hash})`);
    if (row.columns) {
      const c = row.columns;
      if (c.stream !== entry.stream || c.author !== entry.author || c.seq !== entry.seq || c.kind !== entry.kind) {
        return problem('stored columns (stream, author, seq, kind) disagree with the signed entry');
      }
    }
    const chain = chainNext(this.chain, hash);
    if (row.chain !== chain) return problem(`local chain breaks here (expected ${chain})`);
    this.chain = chain;

    const key = `${entry.stream}\u0000${entry.author}`;
    const head = this.heads.get(key);
    if ((head?.seq ?? 0) + 1 !== entry.seq) return problem(`seq ${entry.seq} does not follow ${head?.seq ?? 0} for this author and stream`);
    if ((head?.hash ?? null) !== entry.prev) return problem("prev is not the hash of the author's previous entry in this stream");
    this.heads.set(key, { seq: entry.seq, hash });
    let height = 1;
    for (const parent of entry.prev === null ? entry.deps : [entry.prev, ...entry.deps]) {
      const found = this.lookup(parent);
      if (!found || found.n >= row.n) return problem(`parent ${parent} is not stored before this entry`);
      height = Math.max(height, found.height + 1);
    }
    if (row.columns && row.columns.height !== height) return problem(`stored height ${row.columns.height} should be ${height}`);

    const b = this.batch;
    b.n.push(row.n);
    b.authors.push(entry.author);
    b.hashes.push(hash);
    b.sigs.push(row.sig);
    if (b.n.length >= SIG_BATCH) await this.flush();
    return true;
  }

  /** Sends the current batch to the pool; waits while too many batches are in flight. */
  async flush(): Promise<void> {
    const b = this.batch;
    if (b.n.length === 0) return;
    this.batch = { n: [], authors: [], hashes: [], sigs: [] };
    const job = this.pool.verify(b.authors, b.hashes, b.sigs).then((failed) => {
      for (const i of failed) this.problems.push({ n: b.n[i] ?? null, hash: b.hashes[i] ?? null, reason: 'signature does not verify' });
    });
    const tracked = job.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    while (this.inFlight.size > Math.max(2, this.pool.size * 3)) await Promise.race(this.inFlight);
  }

  async finish(): Promise<void> {
    await this.flush();
    await Promise.all(this.inFlight);
  }
}

function openReadOnly(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CannotVerifyError(`cannot open ${file}: ${(error as Error).message}`);
  }
  let hasEntries = false;
  try {
    hasEntries = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'entries'").get() !== undefined;
  } catch {
    hasEntries = false;
  }
  if (!hasEntries) {
    db.close();
    throw new CannotVerifyError(`${file} is not a Movelog database (no entries table)`);
  }
  return db;
}

/** Verifies a Movelog database file (read-only: nothing is written). */
export async function verifyDatabase(file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const db = openReadOnly(file);
  const pool = new SignaturePool(options.workers);
  try {
    const total = (db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
    const byHash = db.prepare<[string], { n: number; height: number }>('SELECT local_seq AS n, height FROM entries WHERE hash = ?');
    const checker = new Checker(pool, (hash) => byHash.get(hash));
    const page = db.prepare<[number], { local_seq: number; hash: string; stream: string; author: string; seq: number; kind: string; height: number; bytes: Buffer; sig: string; chain: string }>(
      `SELECT local_seq, hash, stream, author, seq, kind, height, bytes, sig, chain FROM entries WHERE local_seq > ? ORDER BY local_seq LIMIT ${PAGE}`,
    );
    let after = 0;
    let intact = true;
    let lastReport = Date.now();
    outer: for (;;) {
      const rows = page.all(after);
      if (rows.length === 0) break;
      for (const r of rows) {
        const ok = await checker.add({
          n: r.local_seq,
          bytes: new Uint8Array(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength),
          hash: r.hash,
          sig: r.sig,
          chain: r.chain,
          columns: { stream: r.stream, author: r.author, seq: r.seq, kind: r.kind, height: r.height },
        });
        if (!ok) {
          intact = false;
          break outer;
        }
        after = r.local_seq;
      }
      if (options.onProgress && Date.now() - lastReport > 1000) {
        options.onProgress(checker.checked, total);
        lastReport = Date.now();
      }
    }
    if (intact && checker.checked !== total) intact = false;
    await checker.finish();
    options.onProgress?.(checker.checked, total);

    let viewsMatch: boolean | null = null;
    let problem = checker.firstProblem();
    if (!problem && !intact) problem = { n: null, hash: null, reason: `entries table holds ${total} rows but local order covers ${checker.checked}` };
    if (!problem) {
      viewsMatch = viewsEqualRebuild(db);
      if (!viewsMatch) problem = { n: null, hash: null, reason: 'views differ from a rebuild from the entries (a view was edited, or a reducer changed)' };
    }
    const forks = (db.prepare('SELECT count(*) AS n FROM forks').get() as { n: number }).n;
    const quarantined = (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
    return { entries: checker.checked, chainHead: checker.head, problem, viewsMatch, forks, quarantined };
  } finally {
    await pool.close();
    db.close();
  }
}

function viewsEqualRebuild(db: Database.Database): boolean {
  const scratch = new Database(':memory:');
  try {
    scratch.exec(VIEW_SCHEMA);
    rebuildViews(db, scratch);
    return viewDigest(scratch) === viewDigest(db);
  } finally {
    scratch.close();
  }
}

/** Verifies a ledger export (JSON Lines, docs/ledger-format.md). */
export async function verifyLedgerFile(file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const stream = createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) => reject(new CannotVerifyError(`cannot read ${file}: ${error.message}`)));
  });
  await opened;
  const pool = new SignaturePool(options.workers);
  const seen = new Map<string, { n: number; height: number }>();
  const checker = new Checker(pool, (hash) => seen.get(hash));
  let n = 0;
  let lastReport = Date.now();
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      n++;
      if (line === '') return await finish({ n, hash: null, reason: `line ${n} is empty` });
      const row = parseExportLine(line, n);
      if ('reason' in row) return await finish(row);
      const parents = entryParents(row.bytes);
      if (!(await checker.add(row))) break;
      let height = 1;
      for (const p of parents) height = Math.max(height, (seen.get(p)?.height ?? 0) + 1);
      seen.set(row.hash, { n: row.n, height });
      if (options.onProgress && Date.now() - lastReport > 1000) {
        options.onProgress(checker.checked, null);
        lastReport = Date.now();
      }
    }
    await checker.finish();
    options.onProgress?.(checker.checked, null);
    return { entries: checker.checked, chainHead: checker.head, problem: checker.firstProblem(), viewsMatch: null, forks: 0, quarantined: 0 };
  } finally {
    stream.destroy();
    await pool.close();
  }

  async function finish(problem: VerifyProblem): Promise<VerifyReport> {
    await checker.finish();
    const earlier = checker.firstProblem();
    return { entries: checker.checked, chainHead: checker.head, problem: earlier ?? problem, viewsMatch: null, forks: 0, quarantined: 0 };
  }
}

function entryParents(bytes: Uint8Array): string[] {
  try {
    const e = JSON.parse(Buffer.from(bytes).toString('utf8')) as { prev: string | null; deps: string[] };
    return e.prev === null ? e.deps : [e.prev, ...e.deps];
  } catch {
    return [];
  }
}

function parseExportLine(line: string, lineNo: number): Row | VerifyProblem {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { n: lineNo, hash: null, reason: `line ${lineNo} is not JSON` };
  }
  if (typeof value !== 'object' || value === null) return { n: lineNo, hash: null, reason: `line ${lineNo} is not a JSON object` };
  const r = value as { n?: unknown; entry?: unknown; hash?: unknown; sig?: unknown; chain?: unknown };
  if (typeof r.n !== 'number' || typeof r.hash !== 'string' || typeof r.sig !== 'string' || typeof r.chain !== 'string' || !isHashHex(r.chain)) {
    return { n: lineNo, hash: null, reason: `line ${lineNo} lacks n, entry, hash, sig or chain` };
  }
  let bytes: Uint8Array;
  try {
    bytes = canonicalBytes(r.entry as JsonValue);
  } catch (error) {
    return { n: r.n, hash: r.hash, reason: `entry cannot be canonicalized: ${(error as Error).message}` };
  }
  return { n: r.n, bytes, hash: r.hash, sig: r.sig, chain: r.chain };
}
