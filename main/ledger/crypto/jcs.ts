/**
 * Canonical JSON: RFC 8785 (JSON Canonicalization Scheme, JCS) over a restricted value set.
 *
 * Allowed values: null, booleans, strings that are well-formed Unicode, integers within
 * ±(2^53−1) (`Number.isSafeInteger`), arrays and plain objects, nested at most `MAX_DEPTH` levels.
 * Everything else is refused with a `CanonicalJsonError` naming the JSON path. Restricting numbers
 * to safe integers means every number has exactly one spelling (its decimal digits), so no
 * ECMAScript float formatting is needed and an independent verifier in any language can match it.
 *
 * Within that set the output is exactly RFC 8785: no whitespace; object members sorted by their
 * names as UTF-16 code unit sequences (RFC 8785 §3.2.3); strings serialized as ECMAScript's
 * `JSON.stringify` does (RFC 8785 §3.2.2.2: `\b \t \n \f \r \" \\` short escapes, other controls
 * below U+0020 as lowercase `\u00xx`, everything else, `/` and U+2028 included, as itself); the
 * result encoded as UTF-8.
 *
 * `parseCanonical` accepts bytes only if they are exactly what `canonicalBytes` would produce for
 * the value they parse to. That one comparison rejects duplicate names, whitespace, unsorted
 * members, needless escapes (`\u0041`, `\/`), `1.0`, `1e3`, `-0` and a byte order mark: whatever
 * was signed is the only form accepted (docs/ledger-format.md §3.3: never re-encode signed data).
 */
import { Buffer } from 'node:buffer';

/** A value in the restricted JSON value set (integers only; see the module comment). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Arrays and objects nested deeper than this are refused, so hostile input cannot exhaust the stack. */
export const MAX_DEPTH = 64;

/** Thrown for any value outside the allowed set, or bytes that are not canonical. */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  /** Where in the value the problem is (`body.minutes`, `deps[2]`), or null for the whole document. */
  readonly path: string | null;
  /** What is wrong, without the path. */
  readonly reason: string;

  constructor(path: string | null, reason: string) {
    super(path === null ? reason : `${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BOM = [0xef, 0xbb, 0xbf] as const;
const utf8Encoder = new TextEncoder();
const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Formats a path kept as a stack of member names and array indices: `body.sets[0]["a b"]`. */
function formatPath(trail: readonly (string | number)[]): string {
  let out = '';
  for (const step of trail) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (IDENTIFIER.test(step)) out += out === '' ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out === '' ? '(root)' : out;
}

function checkString(text: string, trail: readonly (string | number)[], what: string): void {
  const lone = LONE_SURROGATE.exec(text);
  if (lone !== null) {
    const unit = text.charCodeAt(lone.index).toString(16).toUpperCase();
    throw new CanonicalJsonError(formatPath(trail), `${what} must be well-formed Unicode (lone surrogate U+${unit} at index ${lone.index})`);
  }
}

function numberProblem(value: number): string | null {
  if (!Number.isFinite(value)) return 'NaN and Infinity are not allowed';
  if (!Number.isInteger(value)) return 'floats are not allowed';
  if (!Number.isSafeInteger(value)) return 'integers beyond ±(2^53−1) are not allowed';
  if (Object.is(value, -0)) return '-0 is not allowed';
  return null;
}

function serialize(value: unknown, trail: (string | number)[], ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      checkString(value, trail, 'strings');
      return JSON.stringify(value);
    case 'number': {
      const problem = numberProblem(value);
      if (problem !== null) throw new CanonicalJsonError(formatPath(trail), problem);
      return String(value);
    }
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return serializeContainer(value, trail, ancestors);
    case 'undefined':
    case 'function':
    case 'bigint':
    case 'symbol':
      throw new CanonicalJsonError(formatPath(trail), `${typeof value} is not allowed`);
  }
}

function serializeContainer(value: object, trail: (string | number)[], ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalJsonError(formatPath(trail), 'circular reference');
  if (ancestors.size >= MAX_DEPTH) {
    throw new CanonicalJsonError(formatPath(trail), `nesting deeper than ${MAX_DEPTH} levels is not allowed`);
  }
  const proto: unknown = Object.getPrototypeOf(value);
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value) && proto === Array.prototype) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      trail.push(i);
      out += (i === 0 ? '' : ',') + serialize(value[i], trail, ancestors);
      trail.pop();
    }
    out += ']';
  } else if (proto === Object.prototype || proto === null) {
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw new CanonicalJsonError(formatPath(trail), 'symbol-keyed properties are not allowed');
    }
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is exactly RFC 8785 §3.2.3.
    const keys = Object.keys(record).sort();
    out = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      trail.push(key);
      checkString(key, trail, 'member names');
      out += (i === 0 ? '' : ',') + JSON.stringify(key) + ':' + serialize(record[key], trail, ancestors);
      trail.pop();
    }
    out += '}';
  } else {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    // An inherited `Object` constructor means a custom prototype, not a class instance.
    const kind = typeof name === 'string' && name !== '' && name !== 'Object' ? `${name} objects` : 'objects with a custom prototype';
    throw new CanonicalJsonError(formatPath(trail), `${kind} are not allowed (only plain objects and arrays)`);
  }
  ancestors.delete(value);
  return out;
}

/**
 * The RFC 8785 canonical JSON text of `value`; throws `CanonicalJsonError` outside the value set.
 * @example canonicalize({ b: [1, 'é'], a: null }) // '{"a":null,"b":[1,"é"]}'
 */
export function canonicalize(value: JsonValue): string {
  return serialize(value, [], new Set());
}

/**
 * The canonical JSON of `value` as UTF-8 bytes: what the ledger hashes, signs and stores.
 * @example canonicalBytes({ a: 1 }) // the 7 bytes of '{"a":1}'
 */
export function canonicalBytes(value: JsonValue): Uint8Array {
  return utf8Encoder.encode(serialize(value, [], new Set()));
}

/**
 * Parses bytes that must be canonical JSON, exactly as `canonicalBytes` writes them, and returns
 * the value; throws `CanonicalJsonError` for invalid UTF-8, a BOM, invalid JSON, values outside
 * the allowed set, or any other spelling of an allowed value.
 * @example parseCanonical(new TextEncoder().encode('{"a":1}')) // { a: 1 }
 */
export function parseCanonical(bytes: Uint8Array): JsonValue {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  if (bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) {
    throw new CanonicalJsonError(null, 'a byte order mark is not allowed');
  }
  let text: string;
  try {
    text = strictUtf8Decoder.decode(bytes);
  } catch {
    throw new CanonicalJsonError(null, 'not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CanonicalJsonError(null, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  // serialize() validates the value set; the byte comparison then rejects every other spelling.
  const canonical = utf8Encoder.encode(serialize(value, [], new Set()));
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!input.equals(canonical)) {
    let at = 0;
    while (at < input.length && at < canonical.length && input[at] === canonical[at]) at++;
    throw new CanonicalJsonError(null, `not in canonical form (first difference at byte ${at})`);
  }
  return value as JsonValue;
}
