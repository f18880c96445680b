import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type * as Y from 'yjs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { decodeBase64url, encodeBase64url, entryHash } from '../ledger/crypto/index.js';

/**
 * The shared document of one room (docs/architecture.md#room-document). Two top-level maps, nothing else:
 *
 * - `batches`   `<device>:<slot>` → a slice of that device's local log: positions from…to, and for
 *               each entry in it that this room may see, its hash and (unless the only members
 *               lacking it wrote it themselves) its signature and bytes exactly as signed, plus
 *               the data keys that open those entries, wrapped for the room. A device reuses a small set of slots.
 * - `frontiers` device → its cursors: for each other device, the log position up to which it
 *               holds everything, plus the size of its own log.
 *
 * Keys are reused on purpose: Yjs keeps a tombstone for every deleted map key, so a map keyed by
 * entry hash (the first design) grows by ~70 bytes per entry ever synced (measured: 1.7 MB
 * of state after 20,000 entries), which new peers must download and every peer keeps in memory.
 * Overwriting a bounded set of slots costs ~10 bytes per batch instead.
 *
 * Every value is a byte string encoded here, so anything else a peer puts in the document is
 * malformed by definition (guard.ts disconnects such a peer).
 */
export const ROOT_MAPS = ['batches', 'frontiers'] as const;
export type RootMap = (typeof ROOT_MAPS)[number];

export const SIG_BYTES = 64;
export const HASH_BYTES = 32;
/** Slots per device: at most this many batches of one device are in the document at once. */
export const SLOTS = 32;
/** Largest value a batch or frontier may hold: one value is one Yjs update, kept under 16 KiB. */
export const MAX_VALUE_BYTES = 16 * 1024 - 512;

export function docMaps(doc: Y.Doc): { batches: Y.Map<Uint8Array>; frontiers: Y.Map<Uint8Array> } {
  return { batches: doc.getMap<Uint8Array>('batches'), frontiers: doc.getMap<Uint8Array>('frontiers') };
}

export const DEVICE_KEY = /^[A-Za-z0-9_-]{43}$/;
export const BATCH_KEY = /^([A-Za-z0-9_-]{43}):([0-9]{1,2})$/;

/** Whether a value may sit under `key` in map `root` (shape only; ingest judges the entries). */
export function valueShapeError(root: string, key: string | null, value: unknown): string | null {
  if (!(ROOT_MAPS as readonly string[]).includes(root)) return `unexpected shared type "${root}"`;
  if (key === null) return `unexpected list content in "${root}"`;
  if (!(value instanceof Uint8Array)) return `${root} value is not bytes`;
  if (value.length > MAX_VALUE_BYTES) return `${root} value of ${value.length} bytes is over the ${MAX_VALUE_BYTES}-byte limit`;
  switch (root as RootMap) {
    case 'batches':
      return BATCH_KEY.test(key) && Number(BATCH_KEY.exec(key)?.[2]) < SLOTS ? null : 'batches key is not <device>:<slot>';
    case 'frontiers':
      return DEVICE_KEY.test(key) ? null : 'frontiers key is not a device key';
  }
}

/** One position of a batch: an entry's hash, and its signature and bytes when they travel. */
export interface BatchItem {
  readonly hash: string;
  /** 'bytes': sig and bytes included; 'held': the members lacking it wrote it; 'too-large': cannot travel in one update. */
  readonly carried: 'bytes' | 'held' | 'too-large';
  readonly sig?: string;
  readonly bytes?: Uint8Array;
}

export interface Batch {
  readonly from: number;
  readonly to: number;
  readonly items: readonly BatchItem[];
  /**
   * Data keys sealed with the room's key-wrap key, by name: `<patientId>` is the patient's original
   * key (it opens bodies without a kid; what builds before key ids send), `<patientId>.<kid>` the
   * key with that id (docs/architecture.md#key-rotation).
   */
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

const CARRIED = ['held', 'bytes', 'too-large'] as const;

/** Format tag of a batch value: deflate-raw of the encoding below. */
const BATCH_DEFLATE = 1;
/** Most bytes a batch may inflate to (a batch is built to ~12 KB; this bounds a hostile one). */
const MAX_INFLATED_BYTES = 64 * 1024;

/**
 * A batch value: one tag byte, then the deflated record. Entries are canonical JSON with repeated
 * stream names, keys and hex hashes, so a batch shrinks by about a third on the wire.
 * An item that carries its bytes does not repeat its hash: the receiver computes it anyway.
 */
export function encodeBatch(batch: Batch): Uint8Array {
  const record = encodeBatchRecord(batch);
  const deflated = deflateRawSync(record, { level: 6 });
  const out = new Uint8Array(1 + deflated.length);
  out[0] = BATCH_DEFLATE;
  out.set(deflated, 1);
  return out;
}

/** Decodes a batch value; throws on malformed input (callers treat that as garbage). */
export function decodeBatch(value: Uint8Array): Batch {
  if (value[0] !== BATCH_DEFLATE) throw new RangeError('unknown batch format');
  return decodeBatchRecord(new Uint8Array(inflateRawSync(value.subarray(1), { maxOutputLength: MAX_INFLATED_BYTES })));
}

function encodeBatchRecord(batch: Batch): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, batch.from);
  encoding.writeVarUint(e, batch.to - batch.from);
  encoding.writeVarUint(e, batch.items.length);
  for (const item of batch.items) {
    encoding.writeUint8(e, CARRIED.indexOf(item.carried));
    if (item.carried !== 'bytes') encoding.writeUint8Array(e, Buffer.from(item.hash, 'hex'));
    else {
      encoding.writeUint8Array(e, decodeBase64url(item.sig ?? ''));
      encoding.writeVarUint8Array(e, item.bytes ?? new Uint8Array());
    }
  }
  encoding.writeVarUint(e, batch.keys.size);
  for (const [patient, sealed] of batch.keys) {
    encoding.writeVarString(e, patient);
    encoding.writeVarUint8Array(e, sealed);
  }
  return encoding.toUint8Array(e);
}

function decodeBatchRecord(value: Uint8Array): Batch {
  const d = decoding.createDecoder(value);
  const from = decoding.readVarUint(d);
  const to = from + decoding.readVarUint(d);
  if (from < 1) throw new RangeError('batch starts before position 1');
  const count = decoding.readVarUint(d);
  if (count > value.length / (HASH_BYTES + 1)) throw new RangeError('batch item count exceeds its size');
  const items: BatchItem[] = [];
  for (let i = 0; i < count; i++) {
    const carried = CARRIED[decoding.readUint8(d)];
    if (carried === undefined) throw new RangeError('unknown batch item kind');
    if (carried === 'bytes') {
      const sig = encodeBase64url(decoding.readUint8Array(d, SIG_BYTES));
      const bytes = decoding.readVarUint8Array(d);
      items.push({ hash: entryHash(bytes), carried, sig, bytes });
    } else items.push({ hash: Buffer.from(decoding.readUint8Array(d, HASH_BYTES)).toString('hex'), carried });
  }
  const keyCount = decoding.readVarUint(d);
  if (keyCount > value.length) throw new RangeError('batch key count exceeds its size');
  const keys = new Map<string, Uint8Array>();
  for (let i = 0; i < keyCount; i++) keys.set(decoding.readVarString(d), decoding.readVarUint8Array(d));
  if (decoding.hasContent(d)) throw new RangeError('trailing bytes in batch');
  return { from, to, items, keys };
}

export interface Frontier {
  /** How many entries the device's own log holds. */
  readonly logSize: number;
  /** Other device → position in its log up to which this device holds everything. */
  readonly cursors: ReadonlyMap<string, number>;
}

export function encodeFrontier(frontier: Frontier): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, frontier.logSize);
  encoding.writeVarUint(e, frontier.cursors.size);
  for (const [device, position] of frontier.cursors) {
    encoding.writeUint8Array(e, decodeBase64url(device));
    encoding.writeVarUint(e, position);
  }
  return encoding.toUint8Array(e);
}

export function decodeFrontier(value: Uint8Array): Frontier {
  const d = decoding.createDecoder(value);
  const logSize = decoding.readVarUint(d);
  const count = decoding.readVarUint(d);
  if (count > value.length / 32) throw new RangeError('frontier count exceeds its size');
  const cursors = new Map<string, number>();
  for (let i = 0; i < count; i++) cursors.set(encodeBase64url(decoding.readUint8Array(d, 32)), decoding.readVarUint(d));
  if (decoding.hasContent(d)) throw new RangeError('trailing bytes in frontier');
  return { logSize, cursors };
}
