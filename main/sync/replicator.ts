import type * as Y from 'yjs';
import type { Ledger } from '../ledger/ledger.js';
import type { Keystore } from '../ledger/keystore.js';
import { patientOfStream, patientStream } from '../ledger/streams.js';
import { DATA_KEY_BYTES, kidOf } from '../ledger/seal.js';
import { BATCH_KEY, decodeBatch, decodeFrontier, docMaps, encodeBatch, encodeFrontier, HASH_BYTES, SIG_BYTES, SLOTS } from './doc.js';
import type { Batch, BatchItem, Frontier } from './doc.js';
import { openWith, sealWith } from './rooms.js';
import { localLogSize } from './status.js';
import { rebuildPatient } from '../ledger/rebuild.js';

/** Transaction origin of this device's own changes to the document. */
export const LOCAL_ORIGIN = Symbol('movelog-local');

export interface ReplicatorOptions {
  readonly ledger: Ledger;
  readonly keystore: Keystore | null;
  readonly doc: Y.Doc;
  /** The room's name: cursors are kept per room. */
  readonly room: string;
  /** Wraps patients' data keys for this room (rooms.ts `keyWrap`). */
  readonly keyWrap: Uint8Array;
  /** Whether entries of a stream may go into this room (entitlement.ts). */
  readonly share: (stream: string) => boolean;
  /** Device keys of the other members connected now. */
  readonly liveMembers: () => readonly string[];
  readonly now?: () => number;
  /** Largest batch value (bytes of entries plus the batch record): keeps each Yjs update small. */
  readonly batchBytes?: number;
  /** Most bytes this device keeps published and not yet held by every live member. */
  readonly windowBytes?: number;
  /** Republish (with every entry's bytes) when the slowest member has not advanced for this long. */
  readonly stallMs?: number;
  /**
   * Called after each run of received slices is stored, with the patients of whom a data key came
   * with it (stored now or held already): the place to drop keys this device may not hold.
   */
  readonly afterCommit?: (patientIdsWhoseKeysArrived: Set<string>) => void;
  /**
   * A member whose published log size stays below this device's cursor into it for this long had
   * its log rolled back (restored from a backup): its log is read again from the start
   * (docs/architecture.md#backups). Not at once, because a member that just restarted may show an
   * older frontier for a moment (the one its previous process left in the document).
   */
  readonly rollbackMs?: number;
  /** This device's folder was restored from a backup (docs/architecture.md#backups). */
  readonly restored?: RestoredHooks;
}

/** How a replicator takes part in a restored folder's catching up (docs/architecture.md#backups). */
export interface RestoredHooks {
  /** Whether this device's writes are held now, waiting to catch up. */
  readonly waiting: () => boolean;
  /**
   * Called when this device has caught up with the room's live members (at least one): their
   * logs taken in up to their frontiers, none of its own entries waiting in `pending`. The clinic
   * room ends the hold here; a pair room gives none.
   */
  readonly caughtUp?: (logSize: number) => void;
}

interface LogRow {
  local_seq: number;
  hash: string;
  stream: string;
  kind: string;
  author: string;
  bytes: Buffer;
  sig: string;
}

/** A batch's name for a data key: `<patient>` (the original key) or `<patient>.<kid>` (doc.ts). */
const BATCH_KEY_NAME = /^([0-9a-f]{32})(?:\.([0-9a-f]{16}))?$/;

/** What a data key is wrapped for the room under (the AAD): the kid is part of it when there is one. */
const keyWrapLabel = (patientId: string, kid: string | undefined) =>
  kid === undefined ? `patient-key:${patientId}` : `patient-key:${patientId}:${kid}`;

/** Most entries stored in one transaction while taking in a run of slices. */
const INGEST_RUN = 1_000;

type Item = { readonly bytes: Uint8Array; readonly sig: string };

interface Published {
  readonly key: string;
  readonly slot: number;
  readonly from: number;
  readonly to: number;
  readonly bytes: number;
}

export interface ReplicatorStats {
  /** Entries this device took out of the document, by outcome. */
  readonly received: { stored: number; duplicate: number; pending: number; quarantined: number; fork: number };
  /** Entries and batches this device put into the document. */
  readonly sent: { entries: number; batches: number; bytes: number };
  /** Wrapped data keys received and stored. */
  keysReceived: number;
  /** Entries another device could not send because they exceed one update (see doc.ts). */
  tooLarge: number;
}

/**
 * Replicates the ledger through one room's Y.Doc (docs/architecture.md#replicator). The doc is a bounded window:
 * each member publishes slices of its local log that some live member lacks, in batches small
 * enough for one WebRTC message, takes what others publish through ledger ingest (never
 * trusting the document), advertises how far it holds each member's log, and removes what every
 * live member holds. A new or lagging member is backfilled in rounds by the same mechanism.
 *
 * SQLite is the truth: cursors are stored in the same transaction as the entries they cover, so
 * a crash never advances a cursor past entries that were not stored.
 */
export class Replicator {
  private readonly o: Required<Omit<ReplicatorOptions, 'keystore' | 'afterCommit' | 'restored'>> &
    Pick<ReplicatorOptions, 'keystore' | 'afterCommit' | 'restored'>;
  private readonly me: string;
  private readonly maps;
  private readonly cursors = new Map<string, number>();
  private readonly stmt;
  /** Since when each member's published log size has been below this device's cursor into it. */
  private readonly rollbackSince = new Map<string, number>();
  /**
   * Members whose log was rolled back: they lack entries they wrote themselves (those after their
   * backup), so those travel with their bytes to them until they have caught up with this log.
   */
  private readonly rolledBack = new Set<string>();
  /**
   * Batches decoded once per value: steps run on every document change and on a timer, and a
   * document value never changes (a slot reused gets a new value object), so inflating each
   * batch again at every step would be wasted work.
   */
  private readonly decoded = new WeakMap<Uint8Array, Batch | null>();
  private stallSince = 0;
  /** When a rewind was asked for and not done yet (requestRewind). */
  private rewindAsked: number | null = null;
  private rewindLastAsked = 0;
  private stallCursor = -1;
  private forceBytes = false;
  readonly stats: ReplicatorStats = {
    received: { stored: 0, duplicate: 0, pending: 0, quarantined: 0, fork: 0 },
    sent: { entries: 0, batches: 0, bytes: 0 },
    keysReceived: 0,
    tooLarge: 0,
  };

  constructor(options: ReplicatorOptions) {
    this.o = { now: Date.now, batchBytes: 12_000, windowBytes: 160_000, stallMs: 3_000, rollbackMs: 3_000, ...options };
    this.me = options.ledger.device.publicKey;
    this.maps = docMaps(options.doc);
    const db = options.ledger.db;
    this.stmt = {
      log: db.prepare<[number, number], LogRow>(
        'SELECT local_seq, hash, stream, kind, author, bytes, sig FROM entries WHERE local_seq >= ? ORDER BY local_seq LIMIT ?',
      ),
      held: db.prepare<[string, string, string], { x: number }>(
        // An entry refused only because the pending queue was full is not held: it is taken again
        // when it is offered again (after a rewind), when what it waited for may be here.
        "SELECT 1 AS x FROM entries WHERE hash = ? UNION ALL SELECT 1 FROM pending WHERE hash = ? UNION ALL SELECT 1 FROM quarantine WHERE hash = ? AND reason NOT LIKE 'pending queue is full%' LIMIT 1",
      ),
      patientHeld: db.prepare<[string, string], { x: number }>('SELECT 1 AS x FROM entries WHERE stream >= ? AND stream < ? LIMIT 1'),
      cursors: db.prepare<[string], { origin: string; position: number }>('SELECT origin, position FROM sync_cursors WHERE room = ?'),
      setCursor: db.prepare(
        'INSERT INTO sync_cursors (room, origin, position) VALUES (?, ?, ?) ON CONFLICT (room, origin) DO UPDATE SET position = excluded.position',
      ),
      dropCursor: db.prepare('DELETE FROM sync_cursors WHERE room = ? AND origin = ?'),
      pendingBytes: db.prepare<[], { bytes: Buffer }>('SELECT bytes FROM pending'),
    };
    for (const row of this.stmt.cursors.all(options.room)) this.cursors.set(row.origin, row.position);
  }

  /** Takes in what others published, then publishes and prunes. Safe to call at any time. */
  step(): void {
    const waiting = this.o.restored?.waiting() ?? false;
    this.rereadRolledBack();
    // A restored device takes nothing in while a live member still stands past the end of its
    // (shorter) log: growing back over that position before the member noticed the rollback would
    // hide the new entries there from it (docs/architecture.md#backups).
    if (!waiting || this.membersSeeMyLog()) this.consume();
    this.rewindWhenCaughtUp();
    this.publishFrontier();
    this.publish();
    if (waiting) this.resumeWhenCaughtUp();
  }

  /**
   * Reads again from the start the log of every live member whose published log size has stayed
   * below this device's cursor into it for `rollbackMs`: its log was rolled back (a restore), and
   * the entries it stores at the positions this device passed over are new. Entries held already
   * are skipped on arrival (docs/architecture.md#backups).
   */
  private rereadRolledBack(): void {
    const now = this.o.now();
    const live = new Set(this.o.liveMembers());
    const logSize = this.logSize();
    for (const [member, frontier] of this.frontiers()) {
      if (member === this.me) continue;
      if (this.rolledBack.has(member) && (frontier.cursors.get(this.me) ?? 0) >= logSize) this.rolledBack.delete(member);
      if (!live.has(member) || frontier.logSize >= this.cursor(member)) {
        this.rollbackSince.delete(member);
        continue;
      }
      const since = this.rollbackSince.get(member) ?? now;
      this.rollbackSince.set(member, since);
      if (now - since < this.o.rollbackMs) continue;
      this.rollbackSince.delete(member);
      this.cursors.delete(member);
      this.stmt.dropCursor.run(this.o.room, member);
      this.rolledBack.add(member);
      // Slices out now carry its own entries as held: they go again with their bytes.
      this.republish();
    }
  }

  /** Whether no live member stands past the end of this device's log (see `step`). */
  private membersSeeMyLog(): boolean {
    const frontiers = this.frontiers();
    const logSize = this.logSize();
    return this.o
      .liveMembers()
      .every((m) => m === this.me || (frontiers.get(m) !== undefined && (frontiers.get(m)?.cursors.get(this.me) ?? 0) <= logSize));
  }

  /** Ends a restored device's wait once it has caught up with the room's live members (see RestoredHooks). */
  private resumeWhenCaughtUp(): void {
    const caughtUp = this.o.restored?.caughtUp;
    if (!caughtUp) return;
    const others = this.o.liveMembers().filter((m) => m !== this.me);
    if (others.length === 0 || !this.membersSeeMyLog()) return;
    const frontiers = this.frontiers();
    if (!others.every((m) => this.cursor(m) >= (frontiers.get(m)?.logSize ?? Infinity))) return;
    // An entry of this device waiting for its parents holds a place this device must not sign again.
    for (const row of this.stmt.pendingBytes.iterate()) {
      try {
        if ((JSON.parse(row.bytes.toString('utf8')) as { author?: unknown }).author === this.me) return;
      } catch {
        // not an entry of ours
      }
    }
    caughtUp(this.logSize());
  }

  /**
   * Asks for a rewind (see `rewind`) once this device has taken in everything the room's live
   * members have published so far and no new request came for 2 s, or after 30 s at the latest. A new grant arrives at the end of
   * the granting clinic's log, usually among others granted at once: rewinding at the first one
   * would bring the patients' earlier entries before their own grants, to wait (bounded) in
   * `pending`; rewinding once caught up brings them after every grant.
   */
  requestRewind(): void {
    const now = this.o.now();
    this.rewindAsked ??= now;
    this.rewindLastAsked = now;
  }

  private rewindWhenCaughtUp(): void {
    if (this.rewindAsked === null) return;
    const now = this.o.now();
    const frontiers = this.frontiers();
    const caughtUp = this.o.liveMembers().every((m) => m === this.me || this.cursor(m) >= (frontiers.get(m)?.logSize ?? 0));
    // Grants given at once arrive over several slices: wait for a quiet moment (2 s without a new
    // one), so a single rewind follows them all; never longer than 30 s.
    const settled = caughtUp && now - this.rewindLastAsked >= 2_000;
    if (!settled && now - this.rewindAsked < 30_000) return;
    this.rewindAsked = null;
    this.rewind();
  }

  /**
   * Forgets how far this device holds every other member's log in this room, so they send their
   * logs again from the start: what they passed over before (a patient's streams this clinic may
   * now see, docs/architecture.md#consent-scoped-replication) comes now. Entries already held are
   * skipped on arrival; the publishers skip rows the room may not see without sending them.
   */
  rewind(): void {
    this.cursors.clear();
    this.o.ledger.db.prepare('DELETE FROM sync_cursors WHERE room = ?').run(this.o.room);
  }

  /**
   * Withdraws every slice this device has in the document and publishes again from where the
   * slowest member stands, asking `share` afresh: entries a room may no longer see (consent
   * ended) leave the window at once instead of being delivered from it.
   */
  republish(): void {
    const mine = this.mine();
    if (mine.length === 0) return;
    this.o.doc.transact(() => {
      for (const b of mine) this.maps.batches.delete(b.key);
    }, LOCAL_ORIGIN);
  }

  /** This device's cursor into `origin`'s log. */
  cursor(origin: string): number {
    return this.cursors.get(origin) ?? 0;
  }

  /** Every member's frontier as published in the document. */
  frontiers(): Map<string, Frontier> {
    const result = new Map<string, Frontier>();
    this.maps.frontiers.forEach((value, device) => {
      try {
        result.set(device, decodeFrontier(value));
      } catch {
        // Malformed frontiers are ignored (the transport disconnects whoever wrote them).
      }
    });
    return result;
  }

  logSize(): number {
    return localLogSize(this.o.ledger.db);
  }

  // ---------------------------------------------------------------- receiving

  private consume(): void {
    const byOrigin = new Map<string, Batch[]>();
    this.maps.batches.forEach((value, key) => {
      const origin = BATCH_KEY.exec(key)?.[1];
      if (origin === undefined || origin === this.me) return;
      const batch = this.batchOf(value);
      if (!batch) return; // malformed: ignored (the transport disconnects whoever wrote it)
      const list = byOrigin.get(origin) ?? [];
      list.push(batch);
      byOrigin.set(origin, list);
    });
    for (const [origin, list] of byOrigin) {
      list.sort((a, b) => a.from - b.from);
      // Consecutive slices are stored in one transaction (one fsync), up to a bound.
      let cursor = this.cursor(origin);
      let run: { items: Item[]; keys: Map<string, Uint8Array>; to: number } | null = null;
      for (const batch of list) {
        if (batch.to <= cursor) continue;
        if (batch.from > cursor + 1) break; // a gap: an earlier slice has not arrived (or was pruned); wait
        const items = this.itemsOf(batch);
        if (items === null) break;
        run ??= { items: [], keys: new Map(), to: cursor };
        run.items.push(...items);
        for (const [patient, key] of batch.keys) run.keys.set(patient, key);
        run.to = cursor = batch.to;
        if (run.items.length >= INGEST_RUN) {
          this.commit(origin, run);
          run = null;
        }
      }
      if (run) this.commit(origin, run);
    }
  }

  /** The entries of a batch this device lacks; null when it names one it neither holds nor was sent. */
  private itemsOf(batch: Batch): Item[] | null {
    const items: Item[] = [];
    for (const item of batch.items) {
      if (this.stmt.held.get(item.hash, item.hash, item.hash)) continue;
      if (item.carried === 'too-large') {
        this.stats.tooLarge += 1;
        continue;
      }
      if (item.carried === 'held' || !item.bytes || item.sig === undefined) return null;
      items.push({ bytes: new Uint8Array(item.bytes), sig: item.sig });
    }
    return items;
  }

  /** Stores a run of slices: keys first (reducers open sealed bodies), then entries and cursor together. */
  private commit(origin: string, run: { items: Item[]; keys: Map<string, Uint8Array>; to: number }): void {
    const { arrived, late } = this.storeKeys(run.keys);
    const results = this.o.ledger.ingestMany(run.items, `sync:${origin}`, () => {
      this.stmt.setCursor.run(this.o.room, origin, run.to);
      // A key that arrives after entries it opens were stored (a consent stream comes before the
      // category that brings the key): those were reduced unreadable, so the patient is re-derived.
      for (const patientId of late) rebuildPatient(this.o.ledger.db, this.o.keystore, patientId);
    });
    for (const result of results) this.stats.received[result.status] += 1;
    this.cursors.set(origin, run.to);
    this.o.afterCommit?.(arrived);
  }

  /**
   * Stores the data keys that came with a run (docs/architecture.md#key-rotation): `<patient>` is a patient's
   * original key (bodies without a kid), `<patient>.<kid>` the key of that id. Returns the patients
   * whose keys arrived, and those of whom entries were stored before a key that came now.
   */
  private storeKeys(keys: ReadonlyMap<string, Uint8Array>): { arrived: Set<string>; late: string[] } {
    const arrived = new Set<string>();
    const late: string[] = [];
    const keystore = this.o.keystore;
    if (!keystore) return { arrived, late };
    for (const [name, sealed] of keys) {
      const match = BATCH_KEY_NAME.exec(name);
      const patientId = match?.[1];
      if (patientId === undefined) continue;
      // An erased record's key is never stored again, even with an entry a device wrote before it
      // heard of the erasure (docs/architecture.md#erasure).
      if (keystore.isErased(patientId)) continue;
      const kid = match?.[2];
      const held = keystore.keyById(patientId, kid);
      if (held && kid !== undefined) {
        arrived.add(patientId);
        continue;
      }
      const key = openWith(this.o.keyWrap, keyWrapLabel(patientId, kid), sealed);
      if (key?.length !== DATA_KEY_BYTES || (kid !== undefined && kidOf(key) !== kid)) continue;
      arrived.add(patientId);
      if (held?.equals(key)) continue;
      if (!late.includes(patientId) && this.stmt.patientHeld.get(`p:${patientId}/`, `p:${patientId}0`)) late.push(patientId);
      if (kid === undefined) keystore.storeOriginalKey(patientId, key, this.o.now());
      else keystore.storeKey(patientId, key, this.o.now());
      this.stats.keysReceived += 1;
    }
    return { arrived, late };
  }

  private publishFrontier(): void {
    const frontier = encodeFrontier({ logSize: this.logSize(), cursors: this.cursors });
    // Compared with what the document holds, not with what this device set last: a value set
    // before this process's first sync can lose to the one its previous process left there (Yjs
    // orders concurrent writes of one key by client id), and is then set again.
    const current = this.maps.frontiers.get(this.me);
    if (current && Buffer.compare(frontier, current) === 0) return;
    this.o.doc.transact(() => this.maps.frontiers.set(this.me, frontier), LOCAL_ORIGIN);
  }

  // ---------------------------------------------------------------- publishing

  /** Where each live member stands in this device's log. */
  private memberCursors(): Map<string, number> {
    const frontiers = this.frontiers();
    const result = new Map<string, number>();
    for (const member of this.o.liveMembers()) {
      if (member === this.me) continue;
      result.set(member, frontiers.get(member)?.cursors.get(this.me) ?? 0);
    }
    return result;
  }

  private mine(): Published[] {
    const result: Published[] = [];
    this.maps.batches.forEach((value, key) => {
      const match = BATCH_KEY.exec(key);
      if (match?.[1] !== this.me || match[2] === undefined) return;
      const batch = this.batchOf(value);
      result.push({ key, slot: Number(match[2]), from: batch?.from ?? 0, to: batch?.to ?? 0, bytes: value.length });
    });
    return result.sort((a, b) => a.from - b.from);
  }

  /** A batch value decoded (once), or null when it is malformed. */
  private batchOf(value: Uint8Array): Batch | null {
    let batch = this.decoded.get(value);
    if (batch === undefined) {
      try {
        batch = decodeBatch(value);
      } catch {
        batch = null;
      }
      this.decoded.set(value, batch);
    }
    return batch;
  }

  private publish(): void {
    const members = this.memberCursors();
    let published = this.mine();
    const slowest = members.size === 0 ? Infinity : Math.min(...members.values());

    // Prune what every live member holds (everything, when no one is listening).
    const done = published.filter((b) => b.to <= slowest);
    // A member behind the published window (new, or back after a partition), or stalled: restart there.
    const stalled = this.checkStall(slowest, published.length > 0);
    const behind = published.length > 0 && slowest !== Infinity && (published[0]?.from ?? 0) > slowest + 1;
    const drop = stalled || behind ? published : done;
    if (drop.length > 0) {
      this.o.doc.transact(() => {
        for (const b of drop) this.maps.batches.delete(b.key);
      }, LOCAL_ORIGIN);
      const dropped = new Set(drop.map((b) => b.key));
      published = published.filter((b) => !dropped.has(b.key));
    }
    if (slowest === Infinity) return;

    let next = published.length > 0 ? (published[published.length - 1]?.to ?? 0) + 1 : slowest + 1;
    let outstanding = published.reduce((sum, b) => sum + b.bytes, 0);
    const used = new Set(published.map((b) => b.slot));
    const lagging = [...members].filter(([, c]) => c < next).map(([m]) => m);
    const logSize = this.logSize();
    while (outstanding < this.o.windowBytes && next <= logSize) {
      let slot = 0;
      while (used.has(slot)) slot++;
      if (slot >= SLOTS) break;
      const size = this.publishBatch(next, slot, lagging);
      if (size === null) break;
      used.add(slot);
      outstanding += size.bytes;
      next = size.to + 1;
    }
  }

  /** Publishes the slice of the log starting at `from` into `slot`; returns its end and size. */
  private publishBatch(from: number, slot: number, lagging: readonly string[]): { to: number; bytes: number } | null {
    // Rows the room may not see cost nothing to pass over, so a slice reads on (up to 16 pages)
    // until it holds something: a rewound member crosses a long log in few slices.
    let rows = this.stmt.log.all(from, 256);
    if (rows.length === 0) return null;
    for (let pages = 1; pages < 16 && rows.length % 256 === 0 && !rows.some((r) => this.o.share(r.stream)); pages++) {
      const more = this.stmt.log.all((rows[rows.length - 1]?.local_seq ?? from) + 1, 256);
      if (more.length === 0) break;
      rows = rows.concat(more);
    }
    const items: BatchItem[] = [];
    const keys = new Map<string, Uint8Array>();
    let bytes = 32;
    let to = from - 1;
    const soleLagging = lagging.length === 1 ? lagging[0] : undefined;
    for (const row of rows) {
      if (!this.o.share(row.stream)) {
        to = row.local_seq;
        continue;
      }
      const entryCost = HASH_BYTES + 1 + SIG_BYTES + 4 + row.bytes.length;
      const carried: BatchItem['carried'] =
        !this.forceBytes && row.author === soleLagging && !this.rolledBack.has(soleLagging)
          ? 'held'
          : entryCost + 64 > this.o.batchBytes
            ? 'too-large'
            : 'bytes';
      // The key that opens the entry travels with it, once per batch (docs/architecture.md#key-rotation).
      const keyName = carried === 'bytes' ? this.keyNameOf(row) : null;
      const key = keyName !== null && !keys.has(keyName) ? this.wrappedKey(keyName) : null;
      const cost = (carried === 'bytes' ? entryCost : HASH_BYTES + 1) + (key && keyName !== null ? key.length + keyName.length + 8 : 0);
      if (items.length > 0 && bytes + cost > this.o.batchBytes) break;
      bytes += cost;
      items.push(carried === 'bytes' ? { hash: row.hash, carried, sig: row.sig, bytes: row.bytes } : { hash: row.hash, carried });
      if (key && keyName !== null) keys.set(keyName, key);
      to = row.local_seq;
    }
    if (to < from) return null;
    const batch: Batch = { from, to, items, keys };
    const value = encodeBatch(batch);
    this.decoded.set(value, batch);
    this.o.doc.transact(() => this.maps.batches.set(`${this.me}:${slot}`, value), LOCAL_ORIGIN);
    this.stats.sent.entries += items.filter((i) => i.carried === 'bytes').length;
    this.stats.sent.batches += 1;
    this.stats.sent.bytes += value.length;
    return { to, bytes: value.length };
  }

  /**
   * Which data key opens a patient-stream entry, named as in a batch's keys (`<patient>` or
   * `<patient>.<kid>`); null for other streams and for the consent stream, whose entries never
   * carry a key: a clinic whose share ended still receives that stream (docs/architecture.md#key-rotation).
   */
  private keyNameOf(row: LogRow): string | null {
    const patientId = patientOfStream(row.stream);
    if (patientId === null || row.stream === patientStream(patientId, 'consent')) return null;
    let kid: unknown;
    try {
      kid = (JSON.parse(row.bytes.toString('utf8')) as { body?: { kid?: unknown } }).body?.kid;
    } catch {
      return null;
    }
    return typeof kid === 'string' ? `${patientId}.${kid}` : patientId;
  }

  private wrappedKey(name: string): Uint8Array | null {
    const match = BATCH_KEY_NAME.exec(name);
    const patientId = match?.[1];
    if (patientId === undefined) return null;
    const kid = match?.[2];
    const key = this.o.keystore?.keyById(patientId, kid) ?? null;
    return key ? sealWith(this.o.keyWrap, keyWrapLabel(patientId, kid), key) : null;
  }

  /** True when the slowest member has not moved for `stallMs` while we have slices out. */
  private checkStall(slowest: number, outstanding: boolean): boolean {
    const now = this.o.now();
    if (!outstanding || slowest !== this.stallCursor) {
      this.stallCursor = slowest;
      this.stallSince = now;
      this.forceBytes = false;
      return false;
    }
    if (now - this.stallSince < this.o.stallMs) return false;
    this.stallSince = now;
    this.forceBytes = true;
    return true;
  }
}
