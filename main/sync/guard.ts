import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MAX_ENTRY_BYTES } from '../ledger/entry.js';
import { SIG_BYTES, valueShapeError } from './doc.js';

/** What a document may hold: null when `value` may sit under `key` in root map `root`, else why not. */
export type ValueShape = (root: string, key: string | null, value: Uint8Array) => string | null;

/** Largest Yjs update a peer may send in one message (docs/architecture.md#transport-and-guard). */
export const MAX_UPDATE_BYTES = 16 * 1024;
/**
 * Largest message of any kind. The first sync of a connection carries the whole window of the
 * document (replicator `windowBytes` per member), which stays well below this.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_AWARENESS_BYTES = 4 * 1024;

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/**
 * Judges one message from a peer before y-webrtc applies it: null when it is acceptable, else the
 * reason. Yjs itself trusts its input (a malformed update can throw deep inside it, or add content
 * of any shape), so everything is checked here first: size, framing, and that every struct in an
 * update is plain bytes under one of the room document's maps with a well-formed key.
 */
export function messageProblem(message: Uint8Array, shape: ValueShape = valueShapeError): string | null {
  if (message.length > MAX_MESSAGE_BYTES) return `message of ${message.length} bytes is over the ${MAX_MESSAGE_BYTES}-byte limit`;
  try {
    const d = decoding.createDecoder(message);
    const type = decoding.readVarUint(d);
    if (type === MESSAGE_QUERY_AWARENESS) return null;
    if (type === MESSAGE_AWARENESS) {
      return message.length > MAX_AWARENESS_BYTES ? `awareness message of ${message.length} bytes` : null;
    }
    if (type !== MESSAGE_SYNC) return `unknown message type ${type}`;
    const step = decoding.readVarUint(d);
    if (step === SYNC_STEP_1) {
      decoding.readVarUint8Array(d);
      return null;
    }
    if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return `unknown sync message ${step}`;
    const update = decoding.readVarUint8Array(d);
    if (step === SYNC_UPDATE && update.length > MAX_UPDATE_BYTES)
      return `update of ${update.length} bytes is over the ${MAX_UPDATE_BYTES}-byte limit`;
    return updateProblem(update, shape);
  } catch (error) {
    return `malformed message: ${(error as Error).message}`;
  }
}

/** Null when every struct in a Yjs update fits the room document's shape (doc.ts). */
export function updateProblem(update: Uint8Array, shape: ValueShape = valueShapeError): string | null {
  let structs: (Y.Item | Y.GC | Y.Skip)[];
  try {
    structs = Y.decodeUpdate(update).structs;
  } catch (error) {
    return `malformed Yjs update: ${(error as Error).message}`;
  }
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content;
    if (content instanceof Y.ContentDeleted) continue;
    if (!(content instanceof Y.ContentBinary)) return `unexpected ${content.constructor.name} in the room document`;
    const value = content.content;
    if (value.length > SIG_BYTES + MAX_ENTRY_BYTES) return `value of ${value.length} bytes in the room document`;
    // `parent` is the root map's name when the update says it; null when Yjs copies it from the
    // item this one replaces (then the replaced item was checked when it arrived); an ID would
    // mean a nested type, which the room document never has.
    const parent: unknown = struct.parent;
    if (parent === null) continue;
    if (typeof parent !== 'string') return 'content outside the room document maps';
    const problem = shape(parent, struct.parentSub, value);
    if (problem) return problem;
  }
  return null;
}
