import { brokenCheckpoints, witnessedCheckpoints } from './checkpoints.js';
import type { WitnessedCheckpoint } from './checkpoints.js';
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3-multiple-ciphers';
import { CHAIN_ZERO, chainNext, isHashHex } from './crypto/index.js';
import { rebuildViews, viewDigest } from './rebuild.js';
import { CheckPool } from './checkPool.js';
import { Keystore } from './keystore.js';
import type { EntryCheckResult } from './checkEntry.js';
import { isPlainDatabase, openDatabaseReadOnly, StoreError } from '../store/db.js';
import { createViews, storedViewSchemaVersion, VIEW_SCHEMA_VERSION } from '../views/index.js';

/**
 * Full verification of a ledger: every hash, signature, per-author chain (seq/prev), deps, the
 * local chain, and (for a database) that the views equal a rebuild from the entries. Streams the
 * entries page by page, so memory stays flat; signatures are checked on worker threads.
 */
export interface VerifyOptions {
  /** Signature worker threads (default: one per core; 0 = on this thread). */
  readonly workers?: number;
  /**
   * The data directory's keystore master key, to open sealed bodies when rebuilding the views.
   * Without it, views holding patient data cannot be compared (reported as not checked).
   */
  readonly keystoreMasterKey?: Buffer | null;
  /** The database's SQLCipher key, from the folder's vault (null or absent: an unencrypted database). */
  readonly dbKey?: Buffer | null;
  /** This data directory's device key, to check its witnessed checkpoints against its chain. */
  readonly device?: string | null;
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
  /** Why the views were not compared (null when they were, or for a ledger file). */
  readonly viewsNotChecked: 'no keystore' | 'other view schema' | null;
  readonly forks: number;
  readonly quarantined: number;
  /** This device's witnessed checkpoints and whether the local chain matches each (null: device unknown). */
  readonly checkpoints: readonly WitnessedCheckpoint[] | null;
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

interface Parent {
  readonly n: number;
  readonly height: number;
  readonly stream: string;
  readonly author: string;
}

const PAGE = 2000;
const CHECK_BATCH = 256;

/**
 * The streaming checker shared by database and file verification. Rows are fed in local order;
 * batches go to the check pool (canonical form, hash, signature) and come back in order, where
 * the checks that need earlier entries run: numbering, local chain, author chains, parents.
 */
class Checker {
  private expectedN = 1;
  private processed = 0;
  private chain = CHAIN_ZERO;
  private readonly heads = new Map<string, { seq: number; hash: string }>();
  private problem: VerifyProblem | null = null;
  private batch: Row[] = [];
  private readonly queue: { rows: Row[]; results: Promise<EntryCheckResult[]> }[] = [];

  constructor(
    private readonly pool: CheckPool,
    /** Position, height, stream and author of an earlier entry by hash, or undefined when absent. */
    private readonly lookup: (hash: string) => Parent | undefined,
    /** Told of every entry that passed, in order (for lookups that are not backed by a database). */
    private readonly record: (hash: string, parent: Parent) => void = () => undefined,
  ) {}

  get checked(): number {
    return this.processed;
  }

  get head(): string {
    return this.chain;
  }

  get firstProblem(): VerifyProblem | null {
    return this.problem;
  }

  /** Queues one row; false once a problem has been found (later rows need not be read). */
  async add(row: Row): Promise<boolean> {
    if (this.problem) return false;
    if (row.n !== this.expectedN) {
      await this.drain();
      if (this.stopped()) return false;
      if (row.n > this.expectedN) {
        const missing = row.n - 1 === this.expectedN ? `entry #${this.expectedN} is missing` : `entries #${this.expectedN}–#${row.n - 1} are missing`;
        this.problem = { n: this.expectedN, hash: null, reason: missing };
      } else {
        this.problem = { n: row.n, hash: row.hash, reason: `entry number ${row.n} is out of order` };
      }
      return false;
    }
    this.expectedN++;
    this.batch.push(row);
    if (this.batch.length >= CHECK_BATCH) this.dispatch();
    while (this.queue.length > Math.max(2, this.pool.size * 4)) await this.processHead();
    return !this.stopped();
  }

  /** A method, not a field read, because awaits in between may have set the problem. */
  private stopped(): boolean {
    return this.problem !== null;
  }

  private dispatch(): void {
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    this.queue.push({ rows, results: this.pool.check(rows.map((r) => ({ bytes: r.bytes, hash: r.hash, sig: r.sig }))) });
  }

  private async processHead(): Promise<void> {
    const head = this.queue.shift();
    if (!head) return;
    const results = await head.results;
    for (let i = 0; i < head.rows.length && !this.problem; i++) {
      const reason = this.checkInOrder(head.rows[i] as Row, results[i] as EntryCheckResult);
      if (reason) this.problem = { n: (head.rows[i] as Row).n, hash: (head.rows[i] as Row).hash, reason };
    }
  }

  /** The checks that need the entries before this one. Returns the problem, or null. */
  private checkInOrder(row: Row, result: EntryCheckResult): string | null {
    if (result.error !== null) return result.error;
    if (row.columns) {
      const c = row.columns;
      if (c.stream !== result.stream || c.author !== result.author || c.seq !== result.seq || c.kind !== result.kind) {
        return 'stored columns (stream, author, seq, kind) disagree with the signed entry';
      }
    }
    const chain = chainNext(this.chain, row.hash);
    if (row.chain !== chain) return `local chain breaks here (expected ${chain})`;
    const key = `${result.stream}\u0000${result.author}`;
    const last = this.heads.get(key);
    if ((last?.seq ?? 0) + 1 !== result.seq) return `seq ${result.seq} does not follow ${last?.seq ?? 0} for this author and stream`;
    if ((last?.hash ?? null) !== result.prev) return "prev is not the hash of the author's previous entry in this stream";
    let height = 1;
    for (const parent of result.prev === null ? result.deps : [result.prev, ...result.deps]) {
      const found = this.lookup(parent);
      if (!found || found.n >= row.n) return `parent ${parent} is not stored before this entry`;
      if (parent !== result.prev && (found.stream !== result.stream || found.author === result.author)) {
        return `dep ${parent} is not another author's entry in the same stream`;
      }
      height = Math.max(height, found.height + 1);
    }
    if (row.columns && row.columns.height !== height) return `stored height ${row.columns.height} should be ${height}`;
    this.chain = chain;
    this.heads.set(key, { seq: result.seq, hash: row.hash });
    this.record(row.hash, { n: row.n, height, stream: result.stream, author: result.author });
    this.processed++;
    return null;
  }

  /** Checks everything queued so far. */
  async drain(): Promise<void> {
    this.dispatch();
    while (this.queue.length > 0) await this.processHead();
  }
}

function openReadOnly(file: string, key: Buffer | null): Database.Database {
  if (!key && existsSync(file) && !isPlainDatabase(file)) {
    throw new CannotVerifyError(`${file} is encrypted or is not a database: verify it with its data folder's vault ("movelog verify --data DIR").`);
  }
  let db: Database.Database;
  try {
    db = openDatabaseReadOnly(file, key);
  } catch (error) {
    throw new CannotVerifyError(error instanceof StoreError ? error.message : `cannot open ${file}: ${(error as Error).message}`);
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
  const db = openReadOnly(file, options.dbKey ?? null);
  const pool = new CheckPool(options.workers);
  try {
    const total = (db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
    const byHash = db.prepare<[string], Parent>('SELECT local_seq AS n, height, stream, author FROM entries WHERE hash = ?');
    const checker = new Checker(pool, (hash) => byHash.get(hash));
    const page = db.prepare<
      [number],
      {
        local_seq: number;
        hash: string;
        stream: string;
        author: string;
        seq: number;
        kind: string;
        height: number;
        bytes: Buffer;
        sig: string;
        chain: string;
      }
    >(
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
    await checker.drain();
    options.onProgress?.(checker.checked, total);
    if (intact && checker.checked !== total) intact = false;

    let viewsMatch: boolean | null = null;
    let problem: VerifyProblem | null = checker.firstProblem;
    if (!problem && !intact) problem = { n: null, hash: null, reason: `entries table holds ${total} rows but local order covers ${checker.checked}` };
    const sealedKeys =
      (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'patient_keys'").get() as { n: number }).n > 0
        ? (db.prepare('SELECT count(*) AS n FROM patient_keys').get() as { n: number }).n
        : 0;
    const keystore = options.keystoreMasterKey ? new Keystore(db, options.keystoreMasterKey) : null;
    // Views built by another view schema are rebuilt when Movelog next opens this data
    // (docs/architecture.md#views); this read-only check cannot compare them.
    const sameSchema = storedViewSchemaVersion(db) === VIEW_SCHEMA_VERSION;
    let viewsNotChecked: VerifyReport['viewsNotChecked'] = null;
    if (!problem && !sameSchema) viewsNotChecked = 'other view schema';
    else if (!problem && sealedKeys > 0 && !keystore) viewsNotChecked = 'no keystore';
    else if (!problem) {
      viewsMatch = viewsEqualRebuild(db, keystore);
      if (!viewsMatch)
        problem = { n: null, hash: null, reason: 'views differ from a rebuild from the entries (a view was edited, or a reducer changed)' };
    }
    const forks = (db.prepare('SELECT count(*) AS n FROM forks').get() as { n: number }).n;
    const quarantined = (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
    const checkpoints = options.device ? witnessedCheckpoints(db, options.device) : null;
    const broken = checkpoints ? brokenCheckpoints(checkpoints)[0] : undefined;
    if (!problem && broken) {
      problem = {
        n: broken.size,
        hash: null,
        reason: `the local chain after ${broken.size} entries differs from the checkpoint ${broken.witnesses} other device(s) witnessed`,
      };
    }
    return { entries: checker.checked, chainHead: checker.head, problem, viewsMatch, viewsNotChecked, forks, quarantined, checkpoints };
  } finally {
    await pool.close();
    db.close();
  }
}

/** Rebuilds the views into a scratch in-memory database made from the current DDL and compares. */
function viewsEqualRebuild(db: Database.Database, keystore: Keystore | null): boolean {
  const scratch = new Database(':memory:');
  try {
    createViews(scratch);
    rebuildViews(db, keystore, scratch);
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
  const pool = new CheckPool(options.workers);
  const seen = new Map<string, Parent>();
  const checker = new Checker(
    pool,
    (hash) => seen.get(hash),
    (hash, parent) => seen.set(hash, parent),
  );
  let n = 0;
  let lastReport = Date.now();
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      n++;
      if (line === '') return await finish({ n, hash: null, reason: `line ${n} is empty` });
      const row = parseExportLine(line, n);
      if ('reason' in row) return await finish(row);
      if (!(await checker.add(row))) break;
      if (options.onProgress && Date.now() - lastReport > 1000) {
        options.onProgress(checker.checked, null);
        lastReport = Date.now();
      }
    }
    await checker.drain();
    options.onProgress?.(checker.checked, null);
    return {
      entries: checker.checked,
      chainHead: checker.head,
      problem: checker.firstProblem,
      viewsMatch: null,
      viewsNotChecked: null,
      forks: 0,
      quarantined: 0,
      checkpoints: null,
    };
  } finally {
    stream.destroy();
    await pool.close();
  }

  async function finish(problem: VerifyProblem): Promise<VerifyReport> {
    await checker.drain();
    const earlier = checker.firstProblem;
    return {
      entries: checker.checked,
      chainHead: checker.head,
      problem: earlier ?? problem,
      viewsMatch: null,
      viewsNotChecked: null,
      forks: 0,
      quarantined: 0,
      checkpoints: null,
    };
  }
}

const LINE_PREFIX = /^\{"n":(\d+),"entry":/;
const LINE_TAIL = ',"hash":"';

/**
 * Parses one export line. The entry is taken as the exact bytes between `"entry":` and the
 * fixed-length tail, so a line whose entry is not in canonical form is caught (not re-encoded).
 */
function parseExportLine(line: string, lineNo: number): Row | VerifyProblem {
  const prefix = LINE_PREFIX.exec(line);
  const tailAt = line.lastIndexOf(LINE_TAIL);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { n: lineNo, hash: null, reason: `line ${lineNo} is not JSON` };
  }
  if (!prefix || tailAt < 0 || typeof value !== 'object' || value === null) {
    return { n: lineNo, hash: null, reason: `line ${lineNo} is not {"n":…,"entry":…,"hash":…,"sig":…,"chain":…} as exported` };
  }
  const r = value as { n?: unknown; hash?: unknown; sig?: unknown; chain?: unknown };
  if (typeof r.n !== 'number' || typeof r.hash !== 'string' || typeof r.sig !== 'string' || typeof r.chain !== 'string' || !isHashHex(r.chain)) {
    return { n: lineNo, hash: null, reason: `line ${lineNo} lacks n, entry, hash, sig or chain` };
  }
  const bytes = new TextEncoder().encode(line.slice(prefix[0].length, tailAt));
  return { n: r.n, bytes, hash: r.hash, sig: r.sig, chain: r.chain };
}
