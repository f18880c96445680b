#!/usr/bin/env node
// An outsider's verifier for a Movelog ledger export, written from docs/ledger-format.md alone:
// it imports nothing from Movelog, and it implements canonical JSON (§3) and the pre-checks of the
// signature rule (§6.2 steps 1–4) itself. node:crypto supplies SHA-256 and the cofactorless
// Ed25519 equation (§6.2 step 5; OpenSSL computes it exactly, §6.3).
//
//   node test/outsider/verify-ledger.mjs FILE.jsonl
//   node test/outsider/verify-ledger.mjs --bundle FILE      (an audit bundle, §16)
//
// Exit 0 with a one-line summary when the export is intact; exit 1 naming the first bad line and
// why; exit 2 when the file cannot be read, is not an audit bundle (--bundle), or the usage is wrong.
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

// ---- §12 steps 2–4, 8 and 9: what one entry proves on its own ----

/** Steps 2–4: the canonical entry, its fields, its hash. Returns the entry and its raw hash, or Bad. */
function checkBytes(bytes, hash) {
  if (bytes.length > MAX_ENTRY_BYTES) bad(`entry is ${bytes.length} bytes, over ${MAX_ENTRY_BYTES}`);
  const e = parseCanonical(bytes);
  checkEntryFields(e);
  const rawHash = sha256(ENTRY_TAG, bytes);
  if (rawHash.toString('hex') !== hash) bad(`hash does not match the entry bytes (they hash to ${rawHash.toString('hex')})`);
  return { e, rawHash };
}

/** Steps 8 and 9: the genesis rule, the signature. */
function checkGenesisAndSignature(e, rawHash, sig) {
  if (e.kind === 'clinic.created') {
    const nonce = isObject(e.body) ? e.body.nonce : undefined;
    if (typeof nonce !== 'string' || !HEX32.test(nonce)) bad('genesis: body.nonce is not 32 lowercase hex');
    if (e.seq !== 1 || e.deps.length !== 0) bad('genesis: clinic.created is not seq 1 with empty deps');
    const expected = `c:${clinicIdOf(e.author, nonce)}/public`;
    if (e.stream !== expected) bad(`genesis: stream should be ${expected} for this founder and nonce`);
  }
  const problem = signatureProblem(e.author, rawHash, sig);
  if (problem !== null) bad(`signature refused (${problem})`);
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

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
      // 2.–4. canonical entry, entry fields, hash
      const { e, rawHash } = checkBytes(bytes, hash);
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
      // 8., 9. genesis, signature
      checkGenesisAndSignature(e, rawHash, sig);
      streams.add(e.stream);
      authors.add(e.author);
    } catch (error) {
      if (error instanceof Bad) return { line: i, why: error.message };
      throw error;
    }
  }
  return { entries: i, streams: streams.size, authors: authors.size, head: chain.toString('hex') };
}

// ---- §16: the audit bundle ----

const BUNDLE_FORMAT = 'movelog/audit-bundle/v1';
const HEADER_MEMBERS = ['bundle', 'checkpoint', 'clinic', 'filter', 'period', 'segment', 'selected', 'witnesses', 'zone'];
const FILTER_FORMS = {
  from: /^\d{4}-\d{2}-\d{2}$/,
  to: /^\d{4}-\d{2}-\d{2}$/,
  staffId: HEX32,
  patientId: HEX32,
  action: KIND,
  clinicId: HASH,
};
const CONTEXT_KINDS = ['clinic.created', 'staff.added', 'device.enrolled', 'checkpoint.signed', 'checkpoint.witnessed'];
const AUDIT_CLINIC_KINDS = ['staff.added', 'staff.deactivated', 'staff.reactivated', 'device.enrolled', 'device.revoked'];
const CONTEXT_SUFFIX = /,"hash":"([0-9a-f]{64})","sig":"([A-Za-z0-9_-]{86})"\}$/;
const CONTEXT_SUFFIX_BYTES = 170;
const LINK = /^\{"n":(0|[1-9][0-9]*),"hash":"([0-9a-f]{64})"\}$/;
const START = /^\{"n":(0|[1-9][0-9]*),"chain":"([0-9a-f]{64})"\}$/;

/** Thrown when the file is not an audit bundle at all (exit 2), as opposed to a bundle that fails (exit 1). */
class NotABundle extends Error {}

const clinicOf = (stream) => /^c:([0-9a-f]{64})\/(public|private)$/.exec(stream);
const isInstant = (text) => typeof text === 'string' && !Number.isNaN(Date.parse(text)) && new Date(Date.parse(text)).toISOString() === text;

/** §16.1 item 1: the header's members and their types. */
function checkHeader(h) {
  const names = Object.keys(h).sort();
  if (names.join() !== HEADER_MEMBERS.join()) bad(`header: the members must be exactly ${HEADER_MEMBERS.join(', ')}`);
  if (!(h.checkpoint === null || (typeof h.checkpoint === 'string' && HASH.test(h.checkpoint)))) bad('header: checkpoint is not a hash or null');
  if (typeof h.clinic !== 'string' || !HASH.test(h.clinic)) bad('header: clinic is not a clinic id');
  if (!isObject(h.filter)) bad('header: filter is not an object');
  for (const [name, value] of Object.entries(h.filter)) {
    const form = FILTER_FORMS[name];
    if (form === undefined) bad(`header: filter has an unknown member ${name}`);
    if (typeof value !== 'string' || !form.test(value)) bad(`header: filter.${name} is malformed`);
  }
  if (h.filter.from === undefined || h.filter.to === undefined || h.filter.from > h.filter.to) bad('header: filter needs from ≤ to');
  if (!isObject(h.period) || Object.keys(h.period).sort().join() !== 'from,until') bad('header: period is not {from, until}');
  if (!isInstant(h.period.from) || !isInstant(h.period.until) || !(h.period.from < h.period.until))
    bad('header: period is not two ISO instants, from before until');
  if (!isInt(h.selected, 0)) bad('header: selected is not a count');
  if (h.segment !== null) {
    if (!isObject(h.segment) || Object.keys(h.segment).sort().join() !== 'first,last') bad('header: segment is not {first, last} or null');
    if (!isInt(h.segment.first, 1) || !isInt(h.segment.last, h.segment.first)) bad('header: segment needs 1 ≤ first ≤ last');
  }
  if ((h.segment === null) !== (h.selected === 0)) bad('header: segment is null exactly when nothing is selected');
  if (!Array.isArray(h.witnesses) || h.witnesses.some((w, i) => typeof w !== 'string' || !HASH.test(w) || (i > 0 && !(h.witnesses[i - 1] < w))))
    bad('header: witnesses is not an ascending list of hashes');
  if (h.checkpoint === null && h.witnesses.length > 0) bad('header: witnesses without a checkpoint');
  if (h.checkpoint !== null && h.segment === null) bad('header: a checkpoint without a segment');
  if (typeof h.zone !== 'string' || h.zone === '') bad('header: zone is not a time zone name');
  const from = midnightIn(h.filter.from, h.zone);
  const until = midnightIn(dayAfter(h.filter.to), h.zone);
  if (from === null || until === null) bad(`header: filter days are not calendar days, or zone ${h.zone} is unknown`);
  if (h.period.from !== new Date(from).toISOString() || h.period.until !== new Date(until).toISOString())
    bad(`header: period is not ${h.filter.from} to ${h.filter.to} in ${h.zone}`);
}

/** The calendar day after YYYY-MM-DD. */
function dayAfter(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * §16.1: the instant at which the zone's clocks show `day` at 00:00, from the runtime's time-zone
 * data (Intl): the UTC midnight of that day, moved by the zone's offset at that instant, then once
 * more by the offset there (a change of offset between the two is a clock change that day). Null
 * for a day that is not a calendar day or an unknown zone.
 */
function midnightIn(day, zone) {
  const utc = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== day) return null;
  let format;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return null;
  }
  const offset = (t) => {
    const p = Object.fromEntries(format.formatToParts(t).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - t;
  };
  const first = utc - offset(utc);
  const second = utc - offset(first);
  // Consistent: the zone's clocks show 00:00 there. Otherwise midnight falls in a gap (the clocks
  // jump from 23:59 to 01:00): the day starts at the jump, the later of the two.
  return offset(second) === utc - second ? second : Math.max(first, second);
}

/** §16.2: an audit action, in the period, matching each filter given. */
function matchesSelection(e, h, clinicsOfAuthor) {
  const audit = e.stream.startsWith('p:') || e.kind.startsWith('access.') || AUDIT_CLINIC_KINDS.includes(e.kind);
  if (!audit) return 'it is not an audit action';
  if (e.at < Date.parse(h.period.from) || e.at >= Date.parse(h.period.until)) return 'its at is outside the period';
  const f = h.filter;
  if (f.staffId !== undefined && e.by !== f.staffId) return 'its by is not the staff member of the filter';
  if (f.action !== undefined && e.kind !== f.action) return 'its kind is not the action of the filter';
  if (f.patientId !== undefined) {
    const listed = e.kind === 'access.listed' && isObject(e.body) && Array.isArray(e.body.patients) && e.body.patients.includes(f.patientId);
    if (!e.stream.startsWith(`p:${f.patientId}/`) && !listed) return 'it does not concern the patient of the filter';
  }
  if (f.clinicId !== undefined && !clinicsOfAuthor.includes(f.clinicId)) return 'its author is not a device of the clinic of the filter';
  return null;
}

function verifyBundle(file) {
  const lines = [];
  for (let start = 0; start < file.length;) {
    const newline = file.indexOf(0x0a, start);
    const end = newline === -1 ? file.length : newline;
    lines.push({ bytes: file.subarray(start, end), ended: newline !== -1 });
    start = end + 1;
  }
  // The header: canonical JSON naming the format, or this is no bundle at all.
  let h;
  try {
    if (lines.length === 0) throw new Bad('the file is empty');
    h = parseCanonical(lines[0].bytes);
  } catch (error) {
    if (error instanceof Bad) throw new NotABundle(`not an audit bundle: ${error.message}`);
    throw error;
  }
  if (!isObject(h) || h.bundle !== BUNDLE_FORMAT) throw new NotABundle(`not an audit bundle: the first line does not name ${BUNDLE_FORMAT}`);

  let i = 0;
  const at = () => i + 1;
  const clinics = new Map(); // clinic id -> { name, devices: Set }
  const staff = new Map(); // staff id -> { clinic, role }
  const context = new Map(); // hash -> { e, line }
  let selected = 0;
  let witnessed = 0;
  let checkpoint = null;
  try {
    for (const line of lines) {
      if (!line.ended) {
        i = lines.indexOf(line);
        bad('form: the last line does not end with a line feed');
      }
    }
    checkHeader(h);
    // Context entries.
    for (i = 1; i < lines.length && lines[i].bytes.subarray(0, 11).toString('latin1') === '{"context":'; i++) {
      const line = lines[i].bytes;
      const suffix = CONTEXT_SUFFIX.exec(line.subarray(Math.max(11, line.length - CONTEXT_SUFFIX_BYTES)).toString('latin1'));
      if (line.length < 11 + CONTEXT_SUFFIX_BYTES || suffix === null) bad('form: not {"context":…,"hash":"…","sig":"…"}');
      const [, hash, sig] = suffix;
      const { e, rawHash } = checkBytes(line.subarray(11, line.length - CONTEXT_SUFFIX_BYTES), hash);
      checkGenesisAndSignature(e, rawHash, sig);
      if (context.has(hash)) bad('a context entry appears twice');
      context.set(hash, { e, line: i + 1, hash });
    }
    const firstLinkLine = i;
    // Clinics, staff, then devices established from each founder through managers' enrolments.
    const all = [...context.values()];
    for (const { e, line } of all) {
      i = line - 1;
      const c = clinicOf(e.stream);
      if (c === null || c[2] !== 'public') bad('context entries are in a clinic public stream');
      if (!CONTEXT_KINDS.includes(e.kind)) bad(`a context entry of kind ${e.kind}`);
      if (e.kind === 'clinic.created') {
        if (clinics.has(c[1])) bad('a second genesis of one clinic');
        clinics.set(c[1], { name: isObject(e.body) ? e.body.name : '', devices: new Set([e.author]) });
      }
      if (e.kind === 'staff.added') {
        const id = isObject(e.body) ? e.body.staffId : undefined;
        if (typeof id !== 'string' || staff.has(id)) bad('a staff member added twice, or without a staffId');
        staff.set(id, { clinic: c[1], role: e.body.role });
      }
    }
    const isManager = (by, clinic) => by !== null && staff.get(by)?.clinic === clinic && staff.get(by)?.role === 'manager';
    for (let grew = true; grew;) {
      grew = false;
      for (const { e } of all) {
        if (e.kind !== 'device.enrolled' || !isObject(e.body)) continue;
        const clinic = clinicOf(e.stream)[1];
        const devices = clinics.get(clinic)?.devices;
        if (devices && !devices.has(e.body.device) && devices.has(e.author) && isManager(e.by, clinic)) {
          devices.add(e.body.device);
          grew = true;
        }
      }
    }
    const established = (author, among) => among.filter((id) => clinics.get(id)?.devices.has(author));
    for (const { e, line } of all) {
      i = line - 1;
      const clinic = clinicOf(e.stream)[1];
      if (!clinics.has(clinic)) bad(`the genesis of clinic ${clinic} is not in the bundle`);
      if (established(e.author, [clinic]).length === 0) bad(`author ${e.author} is not an established device of clinic ${clinic}`);
      if (e.by !== null && staff.get(e.by)?.clinic !== clinic) bad(`by ${e.by} is not a staff member of clinic ${clinic}`);
      if ((e.kind === 'staff.added' || e.kind === 'device.enrolled') && !isManager(e.by, clinic)) bad(`${e.kind} is not by a manager`);
    }
    i = 0;
    if (!clinics.has(h.clinic)) bad('header: the genesis of clinic is not in the bundle');
    // The checkpoint and its witnesses.
    const signed = all.filter((c) => c.e.kind === 'checkpoint.signed');
    const countersigned = all.filter((c) => c.e.kind === 'checkpoint.witnessed');
    if (h.checkpoint === null) {
      if (signed.length + countersigned.length > 0) bad('checkpoint entries, but no checkpoint in the header');
    } else {
      const cp = context.get(h.checkpoint);
      if (cp === undefined || cp.e.kind !== 'checkpoint.signed' || signed.length !== 1)
        bad('header: checkpoint is not the context checkpoint.signed');
      const { size, chain } = isObject(cp.e.body) ? cp.e.body : {};
      if (!isInt(size, 1) || typeof chain !== 'string' || !HASH.test(chain) || cp.e.by !== null)
        bad('checkpoint.signed is not {size, chain} with by null');
      if (size < h.segment.first || size > h.segment.last) bad('header: the checkpoint is outside the segment');
      if (countersigned.length !== h.witnesses.length) bad('header: witnesses does not list exactly the context checkpoint.witnessed entries');
      const by = new Set([cp.e.author]);
      const witnesses = [];
      for (const hash of h.witnesses) {
        const w = context.get(hash);
        if (w === undefined || w.e.kind !== 'checkpoint.witnessed') bad(`header: witness ${hash} is not a context checkpoint.witnessed`);
        const b = isObject(w.e.body) ? w.e.body : {};
        if (b.checkpoint !== h.checkpoint || b.device !== cp.e.author || b.size !== size || b.chain !== chain) {
          i = w.line - 1;
          bad('checkpoint.witnessed does not countersign the checkpoint');
        }
        if (by.has(w.e.author)) bad('a witness is the checkpoint author or appears twice');
        by.add(w.e.author);
        witnesses.push(clinicOf(w.e.stream)[1]);
      }
      checkpoint = { size, chain, device: cp.e.author, witnesses };
    }
    // The links and the selected entries.
    i = firstLinkLine;
    if (h.segment === null) {
      if (i < lines.length) bad('form: nothing may follow the context entries when nothing is selected');
    } else {
      if (i >= lines.length) bad('form: the links are missing');
      const start = START.exec(lines[i].bytes.toString('latin1'));
      if (start === null || Number(start[1]) !== h.segment.first - 1) bad(`form: not {"n":${h.segment.first - 1},"chain":"…"}`);
      let chain = Buffer.from(start[2], 'hex');
      const heads = new Map();
      const allClinics = [...clinics.keys()];
      for (let n = h.segment.first; n <= h.segment.last; n++) {
        i++;
        if (i >= lines.length) bad(`form: position ${n} is missing`);
        const line = lines[i].bytes;
        const link = LINK.exec(line.toString('latin1'));
        let rawHash;
        if (link !== null) {
          if (Number(link[1]) !== n) bad(`form: position ${n} is missing`);
          rawHash = Buffer.from(link[2], 'hex');
          chain = sha256(chain, rawHash);
        } else {
          const prefix = Buffer.from(`{"n":${n},"entry":`, 'ascii');
          if (!line.subarray(0, prefix.length).equals(prefix)) bad(`form: position ${n} is neither a link nor a selected entry`);
          const suffix = SUFFIX.exec(line.subarray(Math.max(prefix.length, line.length - SUFFIX_BYTES)).toString('latin1'));
          if (line.length < prefix.length + SUFFIX_BYTES || suffix === null) bad('form: does not end with ,"hash":"…","sig":"…","chain":"…"}');
          const [, hash, sig, chainText] = suffix;
          const checked = checkBytes(line.subarray(prefix.length, line.length - SUFFIX_BYTES), hash);
          const e = checked.e;
          rawHash = checked.rawHash;
          chain = sha256(chain, rawHash);
          if (chain.toString('hex') !== chainText) bad(`local chain breaks (expected ${chain.toString('hex')})`);
          checkGenesisAndSignature(e, rawHash, sig);
          const c = clinicOf(e.stream);
          const of = established(e.author, c === null ? allClinics : [c[1]]);
          if (of.length === 0) bad(`author ${e.author} is not an established device of the clinic`);
          if (e.by !== null && !of.includes(staff.get(e.by)?.clinic)) bad(`by ${e.by} is not a staff member of the author's clinic`);
          if (e.kind === 'access.listed' && e.by !== null && (!isObject(e.body) || e.body.role !== staff.get(e.by).role))
            bad("access.listed: role is not the staff member's");
          const pair = `${e.stream}\n${e.author}`;
          const last = heads.get(pair);
          if (last !== undefined && (e.seq <= last.seq || (e.seq === last.seq + 1 && e.prev !== last.hash)))
            bad("seq/prev do not follow the author's earlier selected entry");
          heads.set(pair, { seq: e.seq, hash });
          const why = matchesSelection(e, h, of);
          if (why !== null) bad(`not in the selection: ${why}`);
          selected++;
          if (checkpoint !== null && n <= checkpoint.size) witnessed++;
        }
        if (checkpoint !== null && n === checkpoint.size && chain.toString('hex') !== checkpoint.chain)
          bad(`the chain after ${n} entries is not the checkpoint's`);
      }
      if (i + 1 < lines.length) {
        i++;
        bad(`form: nothing may follow position ${h.segment.last}`);
      }
    }
    if (selected !== h.selected) bad(`the header says ${h.selected} selected entries, the file holds ${selected}`);
  } catch (error) {
    if (error instanceof Bad) return { line: at(), why: error.message };
    throw error;
  }
  return { selected, context: context.size, witnessed, checkpoint, clinics, segment: h.segment };
}

const args = process.argv.slice(2);
const bundleMode = args[0] === '--bundle';
const [fileName, ...rest] = bundleMode ? args.slice(1) : args;
if (fileName === undefined || rest.length > 0) {
  console.error('usage: node verify-ledger.mjs FILE.jsonl | --bundle FILE');
  process.exit(2);
}
let file;
try {
  file = readFileSync(fileName);
} catch (error) {
  console.error(`cannot read ${fileName}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
if (bundleMode) {
  let result;
  try {
    result = verifyBundle(file);
  } catch (error) {
    if (!(error instanceof NotABundle)) throw error;
    console.error(`${fileName}: ${error.message}`);
    process.exit(2);
  }
  if ('why' in result) {
    console.log(`${fileName}: line ${result.line}: ${result.why}`);
    process.exit(1);
  }
  const name = (id) => `"${result.clinics.get(id)?.name}"`;
  const cp = result.checkpoint;
  const witnessClinics = cp === null ? [] : [...new Set(cp.witnesses)];
  console.log(
    `${fileName}: intact: ${count(result.selected, 'selected entry', 'selected entries')}, ${count(result.context, 'context entry', 'context entries')}` +
      (result.segment === null ? '' : `, positions ${result.segment.first}–${result.segment.last}`) +
      (cp === null
        ? ', no witnessed checkpoint'
        : `, checkpoint after ${cp.size} entries witnessed by ${count(cp.witnesses.length, 'device', 'devices')} of ${witnessClinics.map(name).sort().join(' and ')}, ` +
          `${result.selected - result.witnessed} selected after it (not witnessed)`),
  );
  process.exit(0);
}
const result = verifyExport(file);
if ('why' in result) {
  console.log(`${fileName}: line ${result.line}: ${result.why}`);
  process.exit(1);
}
console.log(
  `${fileName}: intact: ${count(result.entries, 'entry', 'entries')}, ${count(result.authors, 'author', 'authors')}, ` +
    `${count(result.streams, 'stream', 'streams')}, chain head ${result.head}`,
);
