import type { KeyObject } from 'node:crypto';
import type { EntryKind } from '../../shared/ledger/kinds/index.js';
import type { Db } from '../store/db.js';
import { CanonicalJsonError, CHAIN_ZERO, chainNext, entryHash, parseCanonical, signEntryHash, verifyEntrySignature } from './crypto/index.js';
import type { JsonValue } from './crypto/index.js';
import { encodeEntry, EntryError, MAX_ENTRY_BYTES, validateEntry } from './entry.js';
import type { Entry } from './entry.js';
import { contextSupplied, missingContext, ownDeviceRefusal, refusalReason } from './policy.js';
import { applyEntry } from './reduce.js';
import { rebuildViews } from './rebuild.js';
import type { PatientKeys } from './seal.js';
import { HOLD_MESSAGE, restoreHold } from '../store/restored.js';

/** This device's signing key. The private key never leaves the data directory. */
export interface DeviceKey {
  readonly publicKey: string;
  readonly privateKey: KeyObject;
}

/** What a local write asks for; the ledger fills in author, seq, prev, deps and time. */
export interface Draft {
  readonly stream: string;
  readonly kind: EntryKind;
  readonly body: JsonValue;
  readonly by: string | null;
}

export interface StoredEntry {
  readonly hash: string;
  readonly sig: string;
  readonly localSeq: number;
  readonly chain: string;
  readonly entry: Entry;
}

export type IngestResult =
  | { readonly status: 'stored'; readonly hash: string; readonly localSeq: number }
  | { readonly status: 'duplicate'; readonly hash: string }
  | { readonly status: 'pending'; readonly hash: string; readonly waitingFor: string }
  | { readonly status: 'quarantined'; readonly hash: string | null; readonly reason: string }
  | { readonly status: 'fork'; readonly hash: string; readonly reason: string };

/** A local write that the ledger refuses (a bug or a missing permission, never peer input). */
export class LedgerError extends Error {
  /** Why, in words a person can act on, without the entry kind (shown as it is by the services). */
  readonly reason: string;

  constructor(message: string, reason: string = message) {
    super(message);
    this.name = 'LedgerError';
    this.reason = reason;
  }
}

/**
 * This device's writes are held: its folder was restored from a backup and has not caught up with
 * its clinic yet (docs/architecture.md#backups). Nothing was written; it passes by itself.
 */
export class WritesHeldError extends LedgerError {
  constructor(kind: string) {
    super(`cannot write ${kind}: ${HOLD_MESSAGE}`);
    this.name = 'WritesHeldError';
  }
}

export interface LedgerOptions {
  /**
   * Patients' data keys, which the reducers open sealed bodies with: the data directory's Keystore,
   * or null for a ledger without one (sealed entries then reduce to unreadable rows).
   */
  readonly keystore: PatientKeys | null;
  readonly now?: () => number;
  /** Most entries held while waiting for parents; beyond it new ones are quarantined. */
  readonly maxPending?: number;
}

interface ParentRow {
  hash: string;
  stream: string;
  author: string;
  seq: number;
  height: number;
}

/**
 * The append-only, hash-chained ledger (docs/architecture.md#admission-of-entries) over one SQLite database.
 *
 * Every entry, local or from a peer, is admitted by the same checks, in this order:
 * size → canonical parse → hash → already stored? → shape → signature → prev/deps present (else
 * pending) → frozen author? → seq/fork → other streams' context (else pending) → policy → append + reduce.
 * The signature is checked before the policy because it needs nothing but the entry, and a bad
 * one should never sit in `pending`. Local appends skip only the signature check (we just made
 * it), and pass the rules for this device's own entries first: not frozen, acting staff member
 * still active (docs/architecture.md#what-this-device-may-write). Append, local chain and view
 * updates happen in one transaction.
 */
export class Ledger {
  readonly db: Db;
  readonly device: DeviceKey;
  readonly keystore: PatientKeys | null;
  private readonly now: () => number;
  private readonly maxPending: number;
  private readonly stmt;

  constructor(db: Db, device: DeviceKey, options: LedgerOptions) {
    this.db = db;
    this.device = device;
    this.keystore = options.keystore;
    this.now = options.now ?? Date.now;
    this.maxPending = options.maxPending ?? 10_000;
    this.stmt = {
      last: db.prepare<[], { local_seq: number; chain: string }>('SELECT local_seq, chain FROM entries ORDER BY local_seq DESC LIMIT 1'),
      byHash: db.prepare<[string], ParentRow>('SELECT hash, stream, author, seq, height FROM entries WHERE hash = ?'),
      atPlace: db.prepare<[string, string, number], { hash: string }>('SELECT hash FROM entries WHERE stream = ? AND author = ? AND seq = ?'),
      head: db.prepare<[string, string], { seq: number; hash: string; height: number }>(
        'SELECT seq, hash, height FROM heads WHERE stream = ? AND author = ?',
      ),
      otherHeads: db.prepare<[string, string], { hash: string; height: number }>('SELECT hash, height FROM heads WHERE stream = ? AND author != ?'),
      setHead: db.prepare(
        `INSERT INTO heads (stream, author, seq, hash, height) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (stream, author) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, height = excluded.height
         WHERE excluded.seq > heads.seq`,
      ),
      insert: db.prepare(
        `INSERT INTO entries (local_seq, hash, stream, author, seq, kind, height, bytes, sig, received_at, chain)
         VALUES (@localSeq, @hash, @stream, @author, @seq, @kind, @height, @bytes, @sig, @receivedAt, @chain)`,
      ),
      frozen: db.prepare<[string], { reason: string }>('SELECT reason FROM frozen_authors WHERE author = ?'),
      freeze: db.prepare('INSERT OR IGNORE INTO frozen_authors (author, reason, since) VALUES (?, ?, ?)'),
      fork: db.prepare(
        `INSERT OR IGNORE INTO forks (stream, author, seq, stored_hash, other_hash, other_bytes, other_sig, detected_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      quarantine: db.prepare('INSERT INTO quarantine (hash, bytes, sig, reason, source, received_at) VALUES (?, ?, ?, ?, ?, ?)'),
      pendingCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM pending'),
      pendingHas: db.prepare<[string], { hash: string }>('SELECT hash FROM pending WHERE hash = ?'),
      pendingAdd: db.prepare('INSERT OR IGNORE INTO pending (hash, bytes, sig, waiting_for, received_at) VALUES (?, ?, ?, ?, ?)'),
      pendingWaitingFor: db.prepare<[string], { hash: string; bytes: Buffer; sig: string }>(
        'SELECT hash, bytes, sig FROM pending WHERE waiting_for = ? ORDER BY received_at, hash',
      ),
      pendingRemove: db.prepare('DELETE FROM pending WHERE hash = ?'),
      unquarantineFull: db.prepare("DELETE FROM quarantine WHERE hash = ? AND reason LIKE 'pending queue is full%'"),
    };
  }

  /** Signs and appends one entry in its own transaction (one fsync). */
  append(draft: Draft): StoredEntry {
    return this.appendMany([draft])[0] as StoredEntry;
  }

  /** Signs and appends several entries in one transaction: all are stored, or none. */
  appendMany(drafts: readonly Draft[]): StoredEntry[] {
    const write = () => {
      // A restored folder signs nothing until it has taken back what its key signed after the backup.
      const first = drafts[0];
      if (first && restoreHold(this.db)) throw new WritesHeldError(first.kind);
      return drafts.map((d) => {
        const stored = this.appendLocal(d);
        if (this.hasPending()) this.releasePending(stored.hash, contextSupplied(stored.entry), 'local');
        return stored;
      });
    };
    return this.db.inTransaction ? write() : this.db.transaction(write).immediate();
  }

  private appendLocal(draft: Draft): StoredEntry {
    const author = this.device.publicKey;
    const head = this.stmt.head.get(draft.stream, author);
    const others = this.stmt.otherHeads.all(draft.stream, author);
    const entry: Entry = {
      v: 1,
      stream: draft.stream,
      author,
      seq: head ? head.seq + 1 : 1,
      prev: head?.hash ?? null,
      deps: others.map((o) => o.hash).sort(),
      at: this.now(),
      by: draft.by,
      kind: draft.kind,
      body: draft.body,
    };
    let bytes: Uint8Array;
    try {
      bytes = encodeEntry(validateEntry(entry as unknown as JsonValue));
    } catch (error) {
      throw new LedgerError(`cannot write ${draft.kind}: ${(error as Error).message}`);
    }
    if (bytes.length > MAX_ENTRY_BYTES) throw new LedgerError(`cannot write ${draft.kind}: entry is larger than ${MAX_ENTRY_BYTES} bytes`);
    const refusal = ownDeviceRefusal(this.db, entry, this.stmt.frozen.get(author)?.reason ?? null) ?? refusalReason(this.db, entry);
    if (refusal) throw new LedgerError(`cannot write ${draft.kind}: ${refusal}`, refusal);
    const hash = entryHash(bytes);
    const sig = signEntryHash(this.device.privateKey, hash);
    const height = 1 + Math.max(0, head?.height ?? 0, ...others.map((o) => o.height));
    return this.store(entry, bytes, hash, sig, height);
  }

  private store(entry: Entry, bytes: Uint8Array, hash: string, sig: string, height: number): StoredEntry {
    const last = this.stmt.last.get();
    const localSeq = (last?.local_seq ?? 0) + 1;
    const chain = chainNext(last?.chain ?? CHAIN_ZERO, hash);
    this.stmt.insert.run({
      localSeq,
      hash,
      stream: entry.stream,
      author: entry.author,
      seq: entry.seq,
      kind: entry.kind,
      height,
      bytes,
      sig,
      receivedAt: this.now(),
      chain,
    });
    this.stmt.setHead.run(entry.stream, entry.author, entry.seq, hash, height);
    // Refused earlier only because the pending queue was full, and admitted now: that was no
    // verdict on the entry, so the status panels no longer list it.
    this.stmt.unquarantineFull.run(hash);
    applyEntry({ db: this.db, keystore: this.keystore }, entry, { height, hash });
    return { hash, sig, localSeq, chain, entry };
  }

  /**
   * Admits an entry received from elsewhere (a peer, an import). Never throws for bad input: the
   * outcome says what happened, and refused entries are kept in `quarantine` with the reason.
   * Entries waiting in `pending` for this one are admitted in the same transaction.
   */
  ingest(bytes: Uint8Array, sig: string, source: string): IngestResult {
    return this.ingestMany([{ bytes, sig }], source)[0] as IngestResult;
  }

  /**
   * Admits several received entries in one transaction (one fsync), in the order given, each by
   * the same checks as `ingest`. `alsoRun` runs inside the same transaction, so bookkeeping that
   * depends on these entries (a sync cursor) is stored together with them or not at all.
   */
  ingestMany(items: readonly { readonly bytes: Uint8Array; readonly sig: string }[], source: string, alsoRun?: () => void): IngestResult[] {
    return this.db
      .transaction(() => {
        const results = items.map(({ bytes, sig }) => {
          const result = this.admit(bytes, sig, source);
          if (result.status === 'stored') this.releasePending(result.hash, this.lastSupplied, source);
          return result;
        });
        alsoRun?.();
        return results;
      })
      .immediate();
  }

  private hasPending(): boolean {
    return (this.stmt.pendingCount.get()?.n ?? 0) > 0;
  }

  /** Context tokens supplied by the entry `admit` stored last (see policy.ts missingContext). */
  private lastSupplied: string[] = [];

  /** Admits the pending entries that waited for `storedHash` or for the context it supplies. */
  private releasePending(storedHash: string, supplied: readonly string[], source: string): void {
    const queue = [storedHash, ...supplied];
    while (queue.length > 0) {
      const waitedFor = queue.pop() as string;
      for (const waiting of this.stmt.pendingWaitingFor.all(waitedFor)) {
        this.stmt.pendingRemove.run(waiting.hash);
        const result = this.admit(new Uint8Array(waiting.bytes), waiting.sig, source);
        if (result.status === 'stored') queue.push(result.hash, ...this.lastSupplied);
      }
    }
  }

  private admit(bytes: Uint8Array, sig: string, source: string): IngestResult {
    const receivedAt = this.now();
    const refuse = (hash: string | null, reason: string): IngestResult => {
      this.stmt.quarantine.run(
        hash,
        bytes.length > MAX_ENTRY_BYTES ? bytes.subarray(0, 1024) : bytes,
        typeof sig === 'string' ? sig.slice(0, 200) : '',
        reason,
        source,
        receivedAt,
      );
      return { status: 'quarantined', hash, reason };
    };
    if (!(bytes instanceof Uint8Array)) return refuse(null, 'entry is not bytes');
    if (bytes.length > MAX_ENTRY_BYTES)
      return refuse(null, `entry is ${bytes.length} bytes, over the ${MAX_ENTRY_BYTES}-byte limit (first 1024 bytes kept)`);
    let value: JsonValue;
    try {
      value = parseCanonical(bytes);
    } catch (error) {
      const reason = error instanceof CanonicalJsonError ? error.message : 'entry is not valid JSON';
      return refuse(null, `not canonical JSON (RFC 8785): ${reason}`);
    }
    const hash = entryHash(bytes);
    if (this.stmt.byHash.get(hash)) return { status: 'duplicate', hash };
    if (this.stmt.pendingHas.get(hash)) return { status: 'pending', hash, waitingFor: 'already waiting' };
    let entry: Entry;
    try {
      entry = validateEntry(value);
    } catch (error) {
      return refuse(hash, error instanceof EntryError ? error.message : String(error));
    }
    if (typeof sig !== 'string' || !verifyEntrySignature(entry.author, hash, sig)) return refuse(hash, 'signature does not verify');

    const parents: ParentRow[] = [];
    for (const parentHash of entry.prev === null ? entry.deps : [entry.prev, ...entry.deps]) {
      const parent = this.stmt.byHash.get(parentHash);
      if (!parent) {
        if ((this.stmt.pendingCount.get()?.n ?? 0) >= this.maxPending) return refuse(hash, `pending queue is full (waiting for ${parentHash})`);
        this.stmt.pendingAdd.run(hash, bytes, sig, parentHash, receivedAt);
        return { status: 'pending', hash, waitingFor: parentHash };
      }
      parents.push(parent);
    }
    if (entry.prev !== null) {
      const prev = parents[0] as ParentRow;
      if (prev.stream !== entry.stream || prev.author !== entry.author || prev.seq !== entry.seq - 1) {
        return refuse(hash, "prev is not the author's previous entry in this stream");
      }
    }
    for (const dep of entry.prev === null ? parents : parents.slice(1)) {
      if (dep.stream !== entry.stream || dep.author === entry.author) return refuse(hash, "deps must name other authors' entries in the same stream");
    }

    const frozen = this.stmt.frozen.get(entry.author);
    if (frozen) return refuse(hash, `author is frozen: ${frozen.reason}`);

    const occupant = this.stmt.atPlace.get(entry.stream, entry.author, entry.seq);
    if (occupant) {
      const reason = `equivocation: two different entries at ${entry.stream} seq ${entry.seq} by this author`;
      this.stmt.fork.run(entry.stream, entry.author, entry.seq, occupant.hash, hash, bytes, sig, receivedAt);
      this.stmt.freeze.run(entry.author, reason, receivedAt);
      return { status: 'fork', hash, reason };
    }

    const missing = missingContext(this.db, entry);
    if (missing) {
      if ((this.stmt.pendingCount.get()?.n ?? 0) >= this.maxPending) return refuse(hash, `pending queue is full (waiting for ${missing})`);
      this.stmt.pendingAdd.run(hash, bytes, sig, missing, receivedAt);
      return { status: 'pending', hash, waitingFor: missing };
    }
    const refusal = refusalReason(this.db, entry);
    if (refusal) return refuse(hash, refusal);

    const height = 1 + Math.max(0, ...parents.map((p) => p.height));
    const stored = this.store(entry, bytes, hash, sig, height);
    this.lastSupplied = contextSupplied(entry);
    return { status: 'stored', hash, localSeq: stored.localSeq };
  }

  /**
   * Keeps something refused before it could even be read as an entry (e.g. a peer's malformed
   * message): at most its first 1024 bytes, with the reason and where it came from.
   */
  recordRefusal(sample: Uint8Array, reason: string, source: string): void {
    this.stmt.quarantine.run(null, sample.subarray(0, 1024), '', reason, source, this.now());
  }

  /** Drops and re-derives every view from the entries, in canonical order. */
  rebuildViews(): void {
    rebuildViews(this.db, this.keystore);
  }
}
