#!/usr/bin/env node
// An outsider's verifier for a Movelog ledger export, written from docs/ledger-format.md alone:
// it imports nothing from Movelog, and it implements canonical JSON (§3) and the pre-checks of the
// signature rule (§6.2 steps 1–4) itself. node:crypto supplies SHA-256 and the cofactorless
// Ed25519 equation (§6.2 step 5; OpenSSL computes it exactly, §6.3).
//
//   node test/outsider/verify-ledger.mjs FILE.jsonl
//
// Exit 0 with a one-line summary when the export is intact; exit 1 naming the first bad line and
// why; exit 2 when the file cannot be read or the usage is wrong.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

// ---- §1, §2: constants and text forms ----

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const MAX_SAFE = 2 ** 53 - 1;
const MAX_DEPTH = 64;
const MAX_ENTRY_BYTES = 262144;
const MAX_DEPS = 256;
const ENTRY_TAG = Buffer.from('movelog/entry/v1\u0000', 'ascii');
const SIG_TAG = Buffer.from('movelog/sig/v1\u0000', 'ascii');
const CLINIC_TAG = Buffer.from('movelog/clinic/v1\u0000', 'ascii');
const SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
];

const HASH = /^[0-9a-f]{64}$/;
const HEX32 = /^[0-9a-f]{32}$/;
const STREAM = /^(?:p:[0-9a-f]{32}\/(?:profile|schedule|clinical|consent|access)|c:[0-9a-f]{64}\/(?:public|private))$/;
const KIND = /^[a-z][a-z0-9]*(?:\.[a-z][a-z0-9]*)+$/;
const SUFFIX = /,"hash":"([0-9a-f]{64})","sig":"([A-Za-z0-9_-]{86})","chain":"([0-9a-f]{64})"\}$/;
const SUFFIX_BYTES = 245;
const FIELDS = ['v', 'stream', 'author', 'seq', 'prev', 'deps', 'at', 'by', 'kind', 'body'];

/** A reason a line fails; carries the check's name for the report. */
class Bad extends Error {}
const bad = (why) => {
  throw new Bad(why);
};

const B64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** §2: canonical unpadded base64url of exactly `length` bytes, decoded by hand; or null. */
function decodeBase64url(text, length) {
  if (typeof text !== 'string' || text.length !== Math.ceil((length * 4) / 3)) return null;
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = B64URL_CHARS.indexOf(char);
    if (value < 0) return null;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
      buffer &= (1 << bits) - 1;
    }
  }
  if (buffer !== 0 || bytes.length !== length) return null; // unused trailing bits must be zero
  return Buffer.from(bytes);
}

// ---- §3: canonical JSON, integer-only subset ----

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** §3.2 string encoding: only `"`, `\` and controls are escaped; the rest is written as itself. */
function encodeString(text) {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) bad('a string holds an unpaired surrogate');
      out += text[i] + text[i + 1];
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      bad('a string holds an unpaired surrogate');
    } else if (unit === 0x22) out += '\\"';
    else if (unit === 0x5c) out += '\\\\';
    else if (unit === 0x08) out += '\\b';
    else if (unit === 0x09) out += '\\t';
    else if (unit === 0x0a) out += '\\n';
    else if (unit === 0x0c) out += '\\f';
    else if (unit === 0x0d) out += '\\r';
    else if (unit < 0x20) out += '\\u00' + unit.toString(16).padStart(2, '0');
    else out += text[i];
  }
  return out + '"';
}

/** Orders member names by UTF-16 code units (RFC 8785 §3.2.3), written out rather than trusted. */
function compareUtf16(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** JCS(value) as text; throws Bad for anything outside the value set of §3.1. */
function jcs(value, depth = 0) {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return encodeString(value);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) > MAX_SAFE) bad('a number is not an integer within ±(2^53 − 1)');
    if (Object.is(value, -0)) bad('-0 is not allowed');
    return String(value);
  }
  if (typeof value !== 'object') bad(`a ${typeof value} is not a JSON value`);
  if (depth + 1 > MAX_DEPTH) bad(`nesting deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return '[' + value.map((item) => jcs(item, depth + 1)).join(',') + ']';
  const names = Object.keys(value).sort(compareUtf16);
  return '{' + names.map((name) => encodeString(name) + ':' + jcs(value[name], depth + 1)).join(',') + '}';
}

/** §3.3: the value of canonical JSON bytes, or Bad. */
function parseCanonical(bytes) {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bad('not canonical JSON: a byte order mark');
  let text;
  try {
    text = fatalUtf8.decode(bytes);
  } catch {
    bad('not canonical JSON: invalid UTF-8');
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    bad('not canonical JSON: not a JSON text');
  }
  let again;
  try {
    again = Buffer.from(jcs(value), 'utf8');
  } catch (error) {
    if (error instanceof Bad) bad(`not canonical JSON: ${error.message}`);
    throw error;
  }
  if (!again.equals(bytes)) {
    let at = 0;
    while (at < bytes.length && bytes[at] === again[at]) at++;
    bad(`not canonical JSON: differs from its canonical encoding at byte ${at}`);
  }
  return value;
}

// ---- §4: entry fields ----

const isInt = (n, min) => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= MAX_SAFE;

function checkEntryFields(e) {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) bad('entry is not an object');
  const names = Object.keys(e);
  const missing = FIELDS.filter((f) => !names.includes(f));
  const extra = names.filter((f) => !FIELDS.includes(f));
  if (missing.length > 0) bad(`entry lacks ${missing.join(', ')}`);
  if (extra.length > 0) bad(`entry has unknown member(s) ${extra.join(', ')}`);
  if (e.v !== 1) bad('v is not 1');
  if (typeof e.stream !== 'string' || !STREAM.test(e.stream)) bad('stream is not a stream name');
  if (decodeBase64url(e.author, 32) === null) bad('author is not 32 bytes in canonical base64url');
  if (!isInt(e.seq, 1)) bad('seq is not an integer ≥ 1');
  if (e.prev !== null && (typeof e.prev !== 'string' || !HASH.test(e.prev))) bad('prev is not null or a hash');
  if ((e.seq === 1) !== (e.prev === null)) bad('prev must be null exactly when seq is 1');
  if (!Array.isArray(e.deps) || e.deps.length > MAX_DEPS) bad(`deps is not an array of at most ${MAX_DEPS} hashes`);
  e.deps.forEach((d, i) => {
    if (typeof d !== 'string' || !HASH.test(d)) bad('deps holds something that is not a hash');
    if (i > 0 && !(e.deps[i - 1] < d)) bad('deps is not strictly ascending');
  });
  if (!isInt(e.at, 0)) bad('at is not an integer ≥ 0');
  if (e.by !== null && (typeof e.by !== 'string' || !HEX32.test(e.by))) bad('by is not null or 32 lowercase hex');
  if (typeof e.kind !== 'string' || !KIND.test(e.kind)) bad('kind is not a kind name');
}

// ---- §5, §9, §10: hashes ----

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};

const clinicIdOf = (founder, nonce) => sha256(CLINIC_TAG, Buffer.from(jcs({ founder, nonce }), 'utf8')).toString('hex');

// ---- §6.2: the signature rule ----

const littleEndian = (bytes) => {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
};

/** Step 3: y < p, and no sign bit when x = 0 (y = 1 or y = p − 1). */
function isCanonicalPoint(encoding) {
  const n = littleEndian(encoding);
  const y = n & ((1n << 255n) - 1n);
  const sign = n >> 255n;
  return y < P && !(sign === 1n && (y === 1n || y === P - 1n));
}

const isSmallOrder = (encoding) => SMALL_ORDER.includes(encoding.toString('hex'));

/** Why the signature is invalid under steps 1–5, or null when it is valid. */
function signatureProblem(author, rawHash, sig) {
  const A = decodeBase64url(author, 32);
  const RS = decodeBase64url(sig, 64);
  if (A === null || RS === null) return 'step 1: key or signature is not canonical base64url of the right length';
  const R = RS.subarray(0, 32);
  if (littleEndian(RS.subarray(32)) >= L) return 'step 2: S is not below L';
  if (!isCanonicalPoint(A)) return 'step 3: the public key is not a canonical point encoding';
  if (!isCanonicalPoint(R)) return 'step 3: R is not a canonical point encoding';
  if (isSmallOrder(A)) return 'step 4: the public key is a point of small order';
  if (isSmallOrder(R)) return 'step 4: R is a point of small order';
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: author }, format: 'jwk' });
    return verify(null, Buffer.concat([SIG_TAG, rawHash]), key, RS) ? null : 'step 5: the equation does not hold';
  } catch {
    return 'step 5: the public key is not a curve point';
  }
}

// ---- §11, §12: the export ----

function verifyExport(file) {
  let i = 0;
  let chain = Buffer.alloc(32);
  const heads = new Map(); // stream \n author -> { seq, hash }
  const seen = new Map(); // hash -> { stream, author }
  const streams = new Set();
  const authors = new Set();
  let start = 0;
  while (start < file.length) {
    const newline = file.indexOf(0x0a, start);
    const end = newline === -1 ? file.length : newline;
    const line = file.subarray(start, end);
    start = end + 1;
    i++;
    try {
      // 1. line form
      if (newline === -1) bad('line form: the last line does not end with a line feed');
      const prefix = Buffer.from(`{"n":${i},"entry":`, 'ascii');
      if (!line.subarray(0, prefix.length).equals(prefix)) bad(`line form: does not start with {"n":${i},"entry":`);
      const suffix = SUFFIX.exec(line.subarray(Math.max(prefix.length, line.length - SUFFIX_BYTES)).toString('latin1'));
      if (line.length < prefix.length + SUFFIX_BYTES || suffix === null) bad('line form: does not end with ,"hash":"…","sig":"…","chain":"…"}');
      const [, hash, sig, chainText] = suffix;
      const bytes = line.subarray(prefix.length, line.length - SUFFIX_BYTES);
      // 2. canonical entry
      if (bytes.length > MAX_ENTRY_BYTES) bad(`entry is ${bytes.length} bytes, over ${MAX_ENTRY_BYTES}`);
      const e = parseCanonical(bytes);
      // 3. entry fields
      checkEntryFields(e);
      // 4. hash
      const rawHash = sha256(ENTRY_TAG, bytes);
      if (rawHash.toString('hex') !== hash) bad(`hash does not match the entry bytes (they hash to ${rawHash.toString('hex')})`);
      // 5. local chain
      chain = sha256(chain, rawHash);
      if (chain.toString('hex') !== chainText) bad(`local chain breaks (expected ${chain.toString('hex')})`);
      // 6. author chain
      const pair = `${e.stream}\n${e.author}`;
      const head = heads.get(pair) ?? { seq: 0, hash: null };
      if (e.seq !== head.seq + 1) bad(`seq ${e.seq} does not follow ${head.seq} for this author in this stream`);
      if (e.prev !== head.hash) bad("prev is not the hash of the author's previous entry in this stream");
      heads.set(pair, { seq: e.seq, hash });
      // 7. deps
      for (const dep of e.deps) {
        const parent = seen.get(dep);
        if (parent === undefined) bad(`deps names ${dep}, which is not on an earlier line`);
        if (parent.stream !== e.stream || parent.author === e.author) bad(`deps names ${dep}, which is not another author's entry in this stream`);
      }
      seen.set(hash, { stream: e.stream, author: e.author });
      // 8. genesis
      if (e.kind === 'clinic.created') {
        const nonce = typeof e.body === 'object' && e.body !== null && !Array.isArray(e.body) ? e.body.nonce : undefined;
        if (typeof nonce !== 'string' || !HEX32.test(nonce)) bad('genesis: body.nonce is not 32 lowercase hex');
        if (e.seq !== 1 || e.deps.length !== 0) bad('genesis: clinic.created is not seq 1 with empty deps');
        const expected = `c:${clinicIdOf(e.author, nonce)}/public`;
        if (e.stream !== expected) bad(`genesis: stream should be ${expected} for this founder and nonce`);
      }
      // 9. signature
      const problem = signatureProblem(e.author, rawHash, sig);
      if (problem !== null) bad(`signature refused (${problem})`);
      streams.add(e.stream);
      authors.add(e.author);
    } catch (error) {
      if (error instanceof Bad) return { line: i, why: error.message };
      throw error;
    }
  }
  return { entries: i, streams: streams.size, authors: authors.size, head: chain.toString('hex') };
}

const [fileName, ...rest] = process.argv.slice(2);
if (fileName === undefined || rest.length > 0) {
  console.error('usage: node verify-ledger.mjs FILE.jsonl');
  process.exit(2);
}
let file;
try {
  file = readFileSync(fileName);
} catch (error) {
  console.error(`cannot read ${fileName}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const result = verifyExport(file);
if ('why' in result) {
  console.log(`${fileName}: line ${result.line}: ${result.why}`);
  process.exit(1);
}
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
console.log(
  `${fileName}: intact: ${count(result.entries, 'entry', 'entries')}, ${count(result.authors, 'author', 'authors')}, ` +
    `${count(result.streams, 'stream', 'streams')}, chain head ${result.head}`,
);
