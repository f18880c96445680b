import { brokenCheckpoints, witnessedCheckpoints } from './checkpoints.js';
import type { Witness, WitnessedCheckpoint } from './checkpoints.js';
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3-multiple-ciphers';
import { CHAIN_ZERO, chainNext, isHashHex } from './crypto/index.js';
import { viewTableDigest } from './rebuild.js';
import { CheckPool } from './checkPool.js';
import { Keystore } from './keystore.js';
import type { EntryCheckResult } from './checkEntry.js';
import { isPlainDatabase, openExistingDatabase, StoreError } from '../store/db.js';
import { validateEntry } from './entry.js';
import type { JsonValue } from './crypto/index.js';
import { PolicyReplay } from './replay.js';
import type { Freeze } from './replay.js';
import { storedViewSchemaVersion, VIEW_SCHEMA_VERSION, VIEW_TABLES } from '../views/index.js';
import { migrate } from '../store/migrate.js';
import { MIGRATIONS } from '../store/migrations/index.js';

/**
 * Full verification of a ledger (docs/architecture.md#verification): every hash, signature,
 * per-author chain (seq/prev), deps and the local chain; for a database also the admission policy
 * replayed over the whole history, the views against that replay's rebuild (those that need no key
 * even without the keystore), the append-only triggers, equivocation proofs held, and the local
 * chain against the newest witnessed checkpoint kept outside the database. Streams the entries
 * page by page, so memory stays flat; signatures are checked on worker threads.
 */
export interface VerifyOptions {
  /** Signature worker threads (default: one per core; 0 = on this thread). */
  readonly workers?: number;
  /**
   * The data directory's keystore master key, to open sealed bodies when rebuilding the views.
   * Without it, what the views hold from sealed bodies cannot be compared: the report lists those
   * tables (docs/architecture.md#verify-without-the-keystore); everything else still is.
   */
  readonly keystoreMasterKey?: Buffer | null;
  /** The database's SQLCipher key, from the folder's vault (null or absent: an unencrypted database). */
  readonly dbKey?: Buffer | null;
  /**
   * This data directory's device key: its witnessed checkpoints are checked against its chain, and
   * the entries it wrote against the rules for its own writes (not frozen, acting staff active).
   */
  readonly device?: string | null;
  /**
   * The newest checkpoint of this device that other devices witnessed, as this device last saw it,
   * kept OUTSIDE the database (the wrapped vault), so a rollback of the database cannot erase it
   * (docs/architecture.md#rollback-and-truncation). Null or absent: removal of the newest entries
   * cannot be detected, and the report says so.
   */
  readonly witness?: Witness | null;
  /** Called now and then with the count checked so far and the total (when known). */
  readonly onProgress?: (checked: number, total: number | null) => void;
  /** Stops the verification between pages (it rejects with the signal's reason); a job's Cancel (docs/architecture.md#long-work-off-the-main-thread). */
  readonly signal?: AbortSignal;
  /** How often onProgress is called, in ms (default 1000; 0: after every page). */
  readonly progressEveryMs?: number;
}

export interface VerifyProblem {
  /** The entry's position in local order (1-based), or null for a problem not tied to one. */
  readonly n: number | null;
  readonly hash: string | null;
  readonly reason: string;
}

/** Which view tables were compared with the rebuild, and why the others were not. */
export interface ViewComparison {
  /** Compared in full. */
  readonly compared: readonly string[];
  /** Compared on their clear columns only: without the keystore, sealed columns cannot be re-derived. */
  readonly clearColumnsOnly: readonly string[];
  readonly notCompared: readonly { readonly table: string; readonly why: string }[];
  /** Compared tables that differ from the rebuild. */
  readonly differ: readonly string[];
}

export interface VerifyReport {
  readonly entries: number;
  readonly chainHead: string;
  /** The first problem: the first in local order, else the first of the database-wide ones; null when everything checked out. */
  readonly problem: VerifyProblem | null;
  /** Every problem found (the entries stop at their first; database-wide ones are all listed). */
  readonly problems: readonly VerifyProblem[];
  /** Whether the view tables compared equal a rebuild (null when none was compared, or a ledger file). */
  readonly viewsMatch: boolean | null;
  /** Which view tables were compared and which not, and why (null for a ledger file, which has no views). */
  readonly views: ViewComparison | null;
  /** Whether the admission policy was replayed over every entry (a database whose entries all verified). */
  readonly policyReplayed: boolean;
  /**
   * The witnessed checkpoint the local chain was checked against, and whether it still holds; null
   * when none was given (truncation of the newest entries cannot then be detected).
   */
  readonly witness: (Witness & { readonly holds: boolean }) | null;
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
  /** When the database stored it (database only). */
  readonly receivedAt?: number;
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
    /** Judges an entry that passed every other check, in local order: why it is not allowed, or null. */
    private readonly judge: ((row: Row, height: number) => string | null) | null = null,
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
    const refused = this.judge?.(row, height) ?? null;
    if (refused !== null) return refused;
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
    // Sorts stay in memory (temp_store): comparing views sorts rows that hold patient data.
    db = openExistingDatabase(file, key, { readonly: true });
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
  try {
    return await verifyOpenDatabase(db, options);
  } finally {
    db.close();
  }
}

/**
 * Verifies a database already open (read-only) on this thread: a job's worker opens its own
 * connection and calls this (docs/architecture.md#long-work-off-the-main-thread). `dbKey` is unused here.
 */
export async function verifyOpenDatabase(db: Database.Database, options: VerifyOptions = {}): Promise<VerifyReport> {
  options.signal?.throwIfAborted();
  const pool = new CheckPool(options.workers);
  const device = options.device ?? null;
  let replay: PolicyReplay | null = null;
  try {
    const keystore = options.keystoreMasterKey ? new Keystore(db, options.keystoreMasterKey) : null;
    const freeze = device === null ? null : freezeOf(db, device);
    // The policy replay is the views' rebuild: one pass over the entries, in local order, on this
    // thread while the workers check signatures (docs/architecture.md#policy-replay).
    const scratch = new PolicyReplay(keystore, device, freeze);
    replay = scratch;
    const total = (db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
    const byHash = db.prepare<[string], Parent>('SELECT local_seq AS n, height, stream, author FROM entries WHERE hash = ?');
    const checker = new Checker(pool, (hash) => byHash.get(hash), undefined, judgeBy(scratch));
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
        received_at: number;
      }
    >(
      `SELECT local_seq, hash, stream, author, seq, kind, height, bytes, sig, chain, received_at FROM entries WHERE local_seq > ? ORDER BY local_seq LIMIT ${PAGE}`,
    );
    let after = 0;
    let intact = true;
    let lastReport = Date.now();
    const every = options.progressEveryMs ?? 1000;
    outer: for (;;) {
      options.signal?.throwIfAborted();
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
          receivedAt: r.received_at,
        });
        if (!ok) {
          intact = false;
          break outer;
        }
        after = r.local_seq;
      }
      if (options.onProgress && Date.now() - lastReport >= every) {
        options.onProgress(checker.checked, total);
        lastReport = Date.now();
      }
    }
    await checker.drain();
    options.signal?.throwIfAborted();
    options.onProgress?.(checker.checked, total);
    if (intact && checker.checked !== total) intact = false;

    const problems: VerifyProblem[] = [];
    if (checker.firstProblem) problems.push(checker.firstProblem);
    else if (!intact) problems.push({ n: null, hash: null, reason: `entries table holds ${total} rows but local order covers ${checker.checked}` });
    const entriesOk = problems.length === 0;

    // Views built by another view schema are rebuilt when Movelog next opens this data
    // (docs/architecture.md#views); this read-only check cannot compare them.
    const sameSchema = storedViewSchemaVersion(db) === VIEW_SCHEMA_VERSION;
    const sealedKeys =
      (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'patient_keys'").get() as { n: number }).n > 0
        ? (db.prepare('SELECT count(*) AS n FROM patient_keys').get() as { n: number }).n
        : 0;
    const views = compareViews(db, entriesOk ? scratch.finish() : null, {
      sameSchema,
      keyless: keystore === null && sealedKeys > 0,
    });
    const viewsMatch = views.compared.length + views.clearColumnsOnly.length === 0 ? null : views.differ.length === 0;
    if (views.differ.length > 0) {
      problems.push({
        n: null,
        hash: null,
        reason: `views differ from a rebuild from the entries (a view was edited, or a reducer changed): ${views.differ.join(', ')}`,
      });
    }

    const witness = options.witness ? checkWitness(db, options.witness, total) : null;
    if (entriesOk && witness && !witness.holds) {
      const fewer = total < witness.size;
      problems.push({
        n: fewer ? null : witness.size,
        hash: null,
        reason: fewer
          ? `entries were removed after a checkpoint other devices witnessed: it covers ${witness.size} entries, this database holds ${total}`
          : `entries were removed or replaced after a checkpoint other devices witnessed: the local chain after ${witness.size} entries differs from it`,
      });
    }

    const checkpoints = device ? witnessedCheckpoints(db, device) : null;
    const broken = checkpoints ? brokenCheckpoints(checkpoints)[0] : undefined;
    if (broken) {
      problems.push({
        n: broken.size,
        hash: null,
        reason: `the local chain after ${broken.size} entries differs from the checkpoint ${broken.witnesses} other device(s) witnessed`,
      });
    }
    for (const reason of triggerProblems(db)) problems.push({ n: null, hash: null, reason });
    const forks = (db.prepare('SELECT count(*) AS n FROM forks').get() as { n: number }).n;
    if (forks > 0) {
      problems.push({
        n: null,
        hash: null,
        reason: `${forks} equivocation proof${forks === 1 ? '' : 's'} held: a device signed two different entries at one place (its entries are refused from then on)`,
      });
    }
    const quarantined = (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
    return {
      entries: checker.checked,
      chainHead: checker.head,
      problem: problems[0] ?? null,
      problems,
      viewsMatch,
      views,
      policyReplayed: entriesOk,
      witness,
      forks,
      quarantined,
      checkpoints,
    };
  } finally {
    replay?.close();
    await pool.close();
  }
}

/** The Checker's last step: the entry, which passed every other check, judged and applied by the policy replay. */
function judgeBy(replay: PolicyReplay): (row: Row, height: number) => string | null {
  return (row, height) => {
    try {
      const entry = validateEntry(
        JSON.parse(Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength).toString('utf8')) as JsonValue,
      );
      return replay.apply(entry, { height, hash: row.hash }, row.n, row.receivedAt ?? 0);
    } catch (error) {
      // Admission would have refused what cannot be replayed: a problem with this entry, not a failure to check.
      return `the entry cannot be replayed: ${(error as Error).message}`;
    }
  };
}

/**
 * When this device was frozen: the earliest of its `frozen_authors` row and the proofs of its
 * equivocation (`forks`, append-only, so deleting the freeze row does not hide it); null if never.
 */
function freezeOf(db: Database.Database, device: string): Freeze | null {
  const frozen = db.prepare<[string], { reason: string; since: number }>('SELECT reason, since FROM frozen_authors WHERE author = ?').get(device);
  const proof = db
    .prepare<[string], { stream: string; seq: number; since: number }>(
      'SELECT stream, seq, detected_at AS since FROM forks WHERE author = ? ORDER BY detected_at LIMIT 1',
    )
    .get(device);
  if (!frozen && !proof) return null;
  const reason = frozen?.reason ?? `equivocation: two different entries at ${proof?.stream ?? ''} seq ${String(proof?.seq ?? 0)} by this author`;
  return { reason, since: Math.min(frozen?.since ?? Infinity, proof?.since ?? Infinity) };
}

/**
 * Compares every view table with the replay's rebuild (docs/architecture.md#verify-without-the-keystore):
 * in full, or, without the keystore, on the columns that need no patient key (`ViewTable.sealed`);
 * tables whose rows exist only where sealed bodies open are then not compared, and said so.
 */
function compareViews(db: Database.Database, rebuilt: Database.Database | null, opts: { sameSchema: boolean; keyless: boolean }): ViewComparison {
  const compared: string[] = [];
  const clearColumnsOnly: string[] = [];
  const notCompared: { table: string; why: string }[] = [];
  const differ: string[] = [];
  for (const table of VIEW_TABLES) {
    if (rebuilt === null) {
      notCompared.push({ table: table.name, why: 'the entries did not verify' });
      continue;
    }
    if (!opts.sameSchema) {
      notCompared.push({ table: table.name, why: 'another version of Movelog built the views; they are rebuilt when Movelog next opens this data' });
      continue;
    }
    let columns: string[] | null = null;
    if (opts.keyless && table.sealed === 'rows') {
      notCompared.push({
        table: table.name,
        why: "its rows exist only where patients' sealed entries can be opened, and patients' keys were not used",
      });
      continue;
    }
    if (opts.keyless && table.sealed) {
      const sealed = table.sealed;
      columns = rebuilt
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table.name}')`)
        .all()
        .map((c) => c.name)
        .filter((c) => !sealed.includes(c));
    }
    let same: boolean;
    try {
      same = viewTableDigest(db, table, columns) === viewTableDigest(rebuilt, table, columns);
    } catch {
      same = false; // a table or column missing from the stored views
    }
    (columns === null ? compared : clearColumnsOnly).push(table.name);
    if (!same) differ.push(table.name);
  }
  return { compared, clearColumnsOnly, notCompared, differ };
}

/** The local chain against the newest witnessed checkpoint kept outside the database (docs/architecture.md#rollback-and-truncation). */
function checkWitness(db: Database.Database, witness: Witness, total: number): Witness & { holds: boolean } {
  if (total < witness.size) return { size: witness.size, chain: witness.chain, holds: false };
  const at = db.prepare<[number], { chain: string }>('SELECT chain FROM entries WHERE local_seq = ?').get(witness.size);
  return { size: witness.size, chain: witness.chain, holds: at?.chain === witness.chain };
}

/**
 * The append-only triggers (and any other) against those the migrations up to this database's
 * schema version create, replayed on a scratch database (docs/architecture.md#append-only-triggers):
 * one missing or changed lets entries or equivocation proofs be edited or removed unseen.
 */
function triggerProblems(db: Database.Database): string[] {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version < 1 || version > MIGRATIONS.length) return [`the database's schema version (${version}) is not one Movelog wrote`];
  const scratch = new Database(':memory:');
  let expected: Map<string, string | null>;
  try {
    migrate(scratch, MIGRATIONS.slice(0, version));
    expected = triggersOf(scratch);
  } finally {
    scratch.close();
  }
  const actual = triggersOf(db);
  const problems: string[] = [];
  for (const [name, sql] of expected) {
    if (!actual.has(name)) problems.push(`the append-only trigger ${name} is missing (entries or proofs could be changed unseen)`);
    else if (actual.get(name) !== sql) problems.push(`the trigger ${name} was changed from what Movelog creates`);
  }
  for (const name of actual.keys()) if (!expected.has(name)) problems.push(`a trigger Movelog does not create is present: ${name}`);
  return problems;
}

function triggersOf(db: Database.Database): Map<string, string | null> {
  const rows = db.prepare<[], { name: string; sql: string | null }>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all();
  return new Map(rows.map((r) => [r.name, r.sql]));
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
  // An export holds the whole history in local order: the policy is replayed over it too (no keys
  // needed; whose device wrote it is not known, so only the shared policy applies).
  const replay = new PolicyReplay(null, null, null);
  const checker = new Checker(
    pool,
    (hash) => seen.get(hash),
    (hash, parent) => seen.set(hash, parent),
    judgeBy(replay),
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
      problems: checker.firstProblem ? [checker.firstProblem] : [],
      viewsMatch: null,
      views: null,
      policyReplayed: checker.firstProblem === null,
      witness: null,
      forks: 0,
      quarantined: 0,
      checkpoints: null,
    };
  } finally {
    stream.destroy();
    replay.close();
    await pool.close();
  }

  async function finish(problem: VerifyProblem): Promise<VerifyReport> {
    await checker.drain();
    const earlier = checker.firstProblem;
    return {
      entries: checker.checked,
      chainHead: checker.head,
      problem: earlier ?? problem,
      problems: [earlier ?? problem],
      viewsMatch: null,
      views: null,
      policyReplayed: false,
      witness: null,
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
