import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type * as Y from 'yjs';
import { decodeBase64url, encodeBase64url } from '../ledger/crypto/index.js';
import { MAX_ENTRY_BYTES } from '../ledger/entry.js';

/**
 * The shared document of one room (DESIGN.md §4). Three top-level maps, nothing else:
 *
 * - `entries`   entry hash (hex) → sig (64 raw bytes) ‖ entry bytes, exactly as signed.
 * - `batches`   `<device>:<from>` → a slice of that device's local log: positions from…to, the
 *               hashes in it that this room may see, and patients' data keys wrapped for the room.
 * - `frontiers` device → its cursors: for each other device, the log position up to which it
 *               holds everything, plus the size of its own log.
 *
 * Every value is a byte string encoded here, so anything else a peer puts in the document is
 * malformed by definition (transport.ts disconnects such a peer).
 */
export const ROOT_MAPS = ['entries', 'batches', 'frontiers'] as const;
export type RootMap = (typeof ROOT_MAPS)[number];

export const SIG_BYTES = 64;
export const HASH_BYTES = 32;
/** Largest value a batch or frontier may hold; entries are capped by the ledger's entry limit. */
export const MAX_VALUE_BYTES = 16 * 1024;

export function docMaps(doc: Y.Doc): { entries: Y.Map<Uint8Array>; batches: Y.Map<Uint8Array>; frontiers: Y.Map<Uint8Array> } {
  return { entries: doc.getMap<Uint8Array>('entries'), batches: doc.getMap<Uint8Array>('batches'), frontiers: doc.getMap<Uint8Array>('frontiers') };
}

export const HASH_KEY = /^[0-9a-f]{64}$/;
export const DEVICE_KEY = /^[A-Za-z0-9_-]{43}$/;
export const BATCH_KEY = /^([A-Za-z0-9_-]{43}):([1-9][0-9]{0,14})$/;

/** Whether a value may sit under `key` in map `root` (shape only; ingest judges the entry). */
export function valueShapeError(root: string, key: string | null, value: unknown): string | null {
  if (!(ROOT_MAPS as readonly string[]).includes(root)) return `unexpected shared type "${root}"`;
  if (key === null) return `unexpected list content in "${root}"`;
  if (!(value instanceof Uint8Array)) return `${root} value is not bytes`;
  switch (root as RootMap) {
    case 'entries':
      if (!HASH_KEY.test(key)) return 'entries key is not an entry hash';
      if (value.length <= SIG_BYTES || value.length > SIG_BYTES + MAX_ENTRY_BYTES) return `entry value of ${value.length} bytes`;
      return null;
    case 'batches':
      if (!BATCH_KEY.test(key)) return 'batches key is not <device>:<position>';
      return value.length > MAX_VALUE_BYTES ? `batch of ${value.length} bytes` : null;
    case 'frontiers':
      if (!DEVICE_KEY.test(key)) return 'frontiers key is not a device key';
      return value.length > MAX_VALUE_BYTES ? `frontier of ${value.length} bytes` : null;
  }
}

export function encodeEntryValue(sig: string, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(SIG_BYTES + bytes.length);
  out.set(decodeBase64url(sig), 0);
  out.set(bytes, SIG_BYTES);
  return out;
}

export function decodeEntryValue(value: Uint8Array): { sig: string; bytes: Uint8Array } {
  return { sig: encodeBase64url(value.subarray(0, SIG_BYTES)), bytes: value.subarray(SIG_BYTES) };
}

export interface Batch {
  readonly from: number;
  readonly to: number;
  /** Entry hashes (hex) in log order: the positions this room may see. */
  readonly hashes: readonly string[];
  /** Patient id → data key sealed with the room's key-wrap key. */
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

export function encodeBatch(batch: Batch): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, batch.to - batch.from);
  encoding.writeVarUint(e, batch.hashes.length);
  for (const hash of batch.hashes) encoding.writeUint8Array(e, Buffer.from(hash, 'hex'));
  encoding.writeVarUint(e, batch.keys.size);
  for (const [patient, sealed] of batch.keys) {
    encoding.writeVarString(e, patient);
    encoding.writeVarUint8Array(e, sealed);
  }
  return encoding.toUint8Array(e);
}

/** Decodes a batch value; throws on malformed input (callers treat that as garbage). */
export function decodeBatch(from: number, value: Uint8Array): Batch {
  const d = decoding.createDecoder(value);
  const to = from + decoding.readVarUint(d);
  const count = decoding.readVarUint(d);
  if (count > value.length / HASH_BYTES) throw new RangeError('batch hash count exceeds its size');
  const hashes: string[] = [];
  for (let i = 0; i < count; i++) hashes.push(Buffer.from(decoding.readUint8Array(d, HASH_BYTES)).toString('hex'));
  const keyCount = decoding.readVarUint(d);
  if (keyCount > value.length) throw new RangeError('batch key count exceeds its size');
  const keys = new Map<string, Uint8Array>();
  for (let i = 0; i < keyCount; i++) keys.set(decoding.readVarString(d), decoding.readVarUint8Array(d));
  if (decoding.hasContent(d)) throw new RangeError('trailing bytes in batch');
  return { from, to, hashes, keys };
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
