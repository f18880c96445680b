import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { chainNext, parseCanonical } from '../ledger/crypto/index.js';
import { checkEntryBytes } from '../ledger/checkEntry.js';
import type { EntryCheckResult } from '../ledger/checkEntry.js';
import { CheckPool } from '../ledger/checkPool.js';
import { clinicOfStream } from '../ledger/streams.js';
import { CannotVerifyError } from '../ledger/verify.js';
import { isTimeZone } from '../../shared/time.js';
import { AUDIT_BUNDLE_FORMAT } from './bundle.js';
import { auditInstantRange, matchesAuditFilter, parseAuditFilter } from './filter.js';
import type { AuditFilter } from './filter.js';

/**
 * Verifies an audit bundle (docs/ledger-format.md §16, docs/architecture.md#audit-bundle) with
 * Movelog's own checks of an entry (`checkEntryBytes`: canonical form, shape, hash, the pinned
 * signature rule, genesis) and of the local chain (`chainNext`); what is particular to a bundle
 * (who established whom, the checkpoint and its witnesses, the links) is checked here.
 */
export interface BundleReport {
  readonly selected: number;
  readonly context: number;
  /** Positions of the local chain the bundle accounts for (selected entries and links). */
  readonly positions: number;
  readonly header: BundleHeader | null;
  /** The clinics whose geneses the bundle holds, with their devices traced back to the founder. */
  readonly clinics: readonly { readonly id: string; readonly name: string; readonly devices: number }[];
  readonly checkpoint: BundleCheckpoint | null;
  /** Selected entries at or before the checkpoint's size (witnessed), and after it (signed and chained, not witnessed). */
  readonly witnessed: number;
  readonly unwitnessed: number;
  /** The first problem found (the line it is on, from 1), or null when the bundle is intact. */
  readonly problem: { readonly line: number; readonly reason: string } | null;
}

export interface BundleHeader {
  readonly bundle: string;
  readonly checkpoint: string | null;
  readonly clinic: string;
  readonly filter: AuditFilter;
  readonly period: { readonly from: string; readonly until: string };
  readonly segment: { readonly first: number; readonly last: number } | null;
  readonly selected: number;
  readonly witnesses: readonly string[];
  readonly zone: string;
}

export interface BundleCheckpoint {
  readonly hash: string;
  readonly device: string;
  readonly clinic: string;
  readonly size: number;
  readonly chain: string;
  readonly at: number;
  readonly witnesses: readonly { readonly device: string; readonly clinic: string; readonly clinicName: string; readonly at: number }[];
}

interface Ctx {
  readonly line: number;
  readonly hash: string;
  readonly stream: string;
  readonly author: string;
  readonly seq: number;
  readonly prev: string | null;
  readonly kind: string;
  readonly at: number;
  readonly by: string | null;
  readonly body: Record<string, unknown>;
}

/** A selected entry waiting for the check pool. */
interface Selected {
  readonly line: number;
  readonly n: number;
  readonly entry: Buffer;
  readonly hash: string;
  readonly sig: string;
}

const CHECK_BATCH = 256;

class Bad extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
  }
}

const CONTEXT_PREFIX = '{"context":';
const CONTEXT_SUFFIX = /^,"hash":"([0-9a-f]{64})","sig":"([A-Za-z0-9_-]{86})"\}$/;
const CONTEXT_SUFFIX_BYTES = 170;
const ENTRY_SUFFIX = /^,"hash":"([0-9a-f]{64})","sig":"([A-Za-z0-9_-]{86})","chain":"([0-9a-f]{64})"\}$/;
const ENTRY_SUFFIX_BYTES = 245;
const LINK = /^\{"n":(0|[1-9][0-9]*),"hash":"([0-9a-f]{64})"\}$/;
const START = /^\{"n":(0|[1-9][0-9]*),"chain":"([0-9a-f]{64})"\}$/;
const HASH = /^[0-9a-f]{64}$/;

export interface VerifyBundleOptions {
  /** Signature worker threads (default: one per core; 0 = on this thread), as for `verifyDatabase`. */
  readonly workers?: number;
}

export async function verifyAuditBundle(file: string, options: VerifyBundleOptions = {}): Promise<BundleReport> {
  const lines = readLines(file);
  const first = await lines.next();
  if (first.done) throw new CannotVerifyError(`${file} is empty: it is not an audit bundle`);
  let header: Record<string, unknown>;
  try {
    header = headerOf(first.value.bytes);
  } catch (error) {
    await lines.return(undefined);
    throw new CannotVerifyError(`${file} is not an audit bundle (${(error as Error).message})`);
  }
  const pool = new CheckPool(options.workers);
  const state = new BundleState(header, pool);
  let read = 1;
  try {
    if (first.value.last) throw new Bad(1, 'the file does not end with a line feed');
    let next = await lines.next();
    // Context entries: authenticated by their signatures, and by who established their authors.
    while (!next.done && startsWith(next.value.bytes, CONTEXT_PREFIX)) {
      read = next.value.line;
      if (next.value.last) throw new Bad(next.value.line, 'the file does not end with a line feed');
      state.context(next.value.line, next.value.bytes);
      next = await lines.next();
    }
    state.establish();
    // The links of the local chain, with the selected entries at their positions.
    if (header.segment !== null) {
      if (next.done) throw new Bad(read + 1, 'the local chain links are missing');
      state.start(next.value.line, next.value.bytes);
      for (next = await lines.next(); !next.done; next = await lines.next()) {
        if (next.value.last) throw new Bad(next.value.line, 'the file does not end with a line feed');
        await state.position(next.value.line, next.value.bytes);
      }
    } else if (!next.done) {
      throw new Bad(next.value.line, 'a bundle that selects nothing has nothing after its context entries');
    }
    await state.drain();
    state.finish();
    return state.report(null);
  } catch (error) {
    if (!(error instanceof Bad)) throw error;
    // Selected entries still in the pool come before this line: the first problem may be theirs.
    try {
      await state.drain();
    } catch (other) {
      if (!(other instanceof Bad)) throw other;
      if (other.line < error.line) return state.report({ line: other.line, reason: other.message });
    }
    return state.report({ line: error.line, reason: error.message });
  } finally {
    await lines.return(undefined);
    await pool.close();
  }
}

/** The header (line 1): canonical JSON naming this format; anything less is not a bundle at all (exit 2). */
function headerOf(bytes: Buffer): Record<string, unknown> {
  const value = parseCanonical(bytes);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('its first line is not a JSON object');
  if (value.bundle !== AUDIT_BUNDLE_FORMAT) throw new Error(`its first line does not say "bundle":"${AUDIT_BUNDLE_FORMAT}"`);
  return value;
}

const Hash = z.string().regex(HASH);
/** The header's members (docs/ledger-format.md §16.1): a bundle that names its format but not these is tampered with (exit 1). */
const HeaderSchema = z.strictObject({
  bundle: z.literal(AUDIT_BUNDLE_FORMAT),
  checkpoint: Hash.nullable(),
  clinic: Hash,
  filter: z.unknown(),
  period: z.strictObject({ from: z.string(), until: z.string() }),
  segment: z.strictObject({ first: z.int().min(1), last: z.int().min(1) }).nullable(),
  selected: z.int().min(0),
  witnesses: z.array(Hash),
  zone: z.string(),
});

class BundleState {
  private readonly byHash = new Map<string, Ctx>();
  private readonly geneses = new Map<string, { name: string; founder: string }>();
  /** Devices established in each clinic: its founder, and those its devices enrolled, made by its managers. */
  private readonly devices = new Map<string, Set<string>>();
  private readonly staff = new Map<string, { clinic: string; role: string }>();
  private checkpoint: BundleCheckpoint | null = null;
  private filter: AuditFilter = { from: '', to: '' };
  private range = { from: 0, until: 0 };
  private chain = '';
  private n = 0;
  private selected = 0;
  private witnessed = 0;
  private lastLine = 1;
  private readonly heads = new Map<string, { seq: number; hash: string }>();
  private batch: Selected[] = [];
  private readonly queue: { items: Selected[]; results: Promise<EntryCheckResult[]> }[] = [];

  private header: BundleHeader | null = null;

  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly pool: CheckPool,
  ) {}

  /** The header once checked (establish() checks it before any position is read). */
  private get h(): BundleHeader {
    if (this.header === null) throw new Error('the header is checked first');
    return this.header;
  }

  context(line: number, bytes: Buffer): void {
    this.lastLine = line;
    const split = splitSuffix(bytes, CONTEXT_PREFIX.length, CONTEXT_SUFFIX_BYTES, CONTEXT_SUFFIX);
    if (!split) throw new Bad(line, 'line form: not {"context":…,"hash":"…","sig":"…"}');
    const [entry, hash, sig] = split;
    const checked = checkEntryBytes({ bytes: entry, hash, sig });
    if (checked.error !== null) throw new Bad(line, checked.error);
    if (this.byHash.has(hash)) throw new Bad(line, `the context entry ${hash} is there twice`);
    const e = JSON.parse(entry.toString('utf8')) as Omit<Ctx, 'line' | 'hash'>;
    // The format leaves `body` free (docs/ledger-format.md §4): read members only from an object.
    const raw = e.body as unknown;
    const body = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    this.byHash.set(hash, { ...e, body, line, hash });
  }

  /** Traces every context entry's author back to a founder, and checks the checkpoint and its witnesses against the header. */
  establish(): void {
    const all = [...this.byHash.values()];
    for (const e of all) {
      if (e.kind === 'clinic.created') {
        const clinic = clinicOfStream(e.stream)?.clinicId ?? '';
        if (this.geneses.has(clinic)) throw new Bad(e.line, `a second genesis of the clinic ${clinic}`);
        this.geneses.set(clinic, { name: typeof e.body.name === 'string' ? e.body.name : '', founder: e.author });
        this.devices.set(clinic, new Set([e.author]));
      } else if (e.kind === 'staff.added') {
        const clinic = clinicOfStream(e.stream)?.clinicId ?? '';
        if (typeof e.body.staffId !== 'string' || this.staff.has(e.body.staffId)) throw new Bad(e.line, 'a staff member is added twice');
        this.staff.set(e.body.staffId, { clinic, role: typeof e.body.role === 'string' ? e.body.role : '' });
      }
    }
    const enrolments = all.filter((e) => e.kind === 'device.enrolled');
    for (let grew = true; grew;) {
      grew = false;
      for (const e of enrolments) {
        const clinic = clinicOfStream(e.stream)?.clinicId ?? '';
        const set = this.devices.get(clinic);
        const device = typeof e.body.device === 'string' ? e.body.device : '';
        if (set && !set.has(device) && set.has(e.author) && this.isManager(e.by, clinic)) {
          set.add(device);
          grew = true;
        }
      }
    }
    for (const e of all) {
      const c = clinicOfStream(e.stream);
      if (!c || c.part !== 'public') throw new Bad(e.line, `a context entry must be in a clinic's public stream, not ${e.stream}`);
      if (!this.geneses.has(c.clinicId)) throw new Bad(e.line, `the bundle lacks the genesis of the clinic ${c.clinicId}`);
      this.checkAuthor(e.line, e.author, e.by, [c.clinicId]);
      if ((e.kind === 'staff.added' || e.kind === 'device.enrolled') && !this.isManager(e.by, c.clinicId))
        throw new Bad(e.line, `${e.kind} is not made by a manager of the clinic`);
      if (!['clinic.created', 'staff.added', 'device.enrolled', 'checkpoint.signed', 'checkpoint.witnessed'].includes(e.kind))
        throw new Bad(e.line, `a context entry of kind ${e.kind} is not one a bundle holds`);
    }
    const parsed = HeaderSchema.safeParse(this.raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Bad(1, `the header's ${issue?.path.join('.') ?? ''} is wrong: ${issue?.message ?? ''}`);
    }
    const h: BundleHeader = { ...parsed.data, filter: parsed.data.filter as AuditFilter };
    this.header = h;
    if (!this.geneses.has(h.clinic)) throw new Bad(1, `the bundle lacks the genesis of its clinic ${h.clinic}`);
    try {
      this.filter = parseAuditFilter(h.filter, { anyLength: true });
    } catch (error) {
      throw new Bad(1, (error as Error).message);
    }
    if (!isTimeZone(h.zone)) throw new Bad(1, `the time zone ${JSON.stringify(h.zone)} is not one this computer knows`);
    const range = auditInstantRange(this.filter, h.zone);
    if (h.period.from !== new Date(range.from).toISOString() || h.period.until !== new Date(range.until).toISOString())
      throw new Bad(1, `the period is not the days ${this.filter.from} to ${this.filter.to} in the time zone ${h.zone}`);
    this.range = range;
    const seg = h.segment;
    if (seg !== null && seg.last < seg.first) throw new Bad(1, 'the segment ends before it starts');
    if ((seg === null) !== (h.selected === 0)) throw new Bad(1, 'a segment is given exactly when entries are selected');
    const signed = all.filter((e) => e.kind === 'checkpoint.signed');
    const witnessed = all.filter((e) => e.kind === 'checkpoint.witnessed');
    if (h.checkpoint === null) {
      if (signed.length + witnessed.length + h.witnesses.length > 0) throw new Bad(1, 'checkpoint entries without a checkpoint named in the header');
      return;
    }
    const cp = this.byHash.get(h.checkpoint);
    if (!cp || cp.kind !== 'checkpoint.signed' || signed.length !== 1) throw new Bad(1, `the checkpoint ${h.checkpoint} is not a context entry`);
    const size = cp.body.size;
    const chain = cp.body.chain;
    if (typeof size !== 'number' || typeof chain !== 'string' || !HASH.test(chain) || cp.by !== null)
      throw new Bad(cp.line, 'checkpoint.signed is not {size, chain} with by null');
    if (seg === null || size < seg.first || size > seg.last) throw new Bad(1, 'the checkpoint does not fall within the links');
    const listed = [...h.witnesses].sort();
    if (listed.join() !== h.witnesses.join() || new Set(listed).size !== listed.length) throw new Bad(1, 'witnesses are not sorted without repeats');
    if (listed.length !== witnessed.length) throw new Bad(1, 'the context entries and the witnesses the header lists differ');
    const clinicOf = (e: Ctx) => clinicOfStream(e.stream)?.clinicId ?? '';
    const witnesses: { device: string; clinic: string; clinicName: string; at: number }[] = [];
    const authors = new Set<string>();
    for (const hash of listed) {
      const w = this.byHash.get(hash);
      if (!w || w.kind !== 'checkpoint.witnessed') throw new Bad(1, `the witness ${hash} is not a context entry`);
      const b = w.body;
      if (b.checkpoint !== cp.hash || b.device !== cp.author || b.size !== size || b.chain !== chain)
        throw new Bad(w.line, 'checkpoint.witnessed does not countersign the checkpoint');
      if (w.author === cp.author || authors.has(w.author)) throw new Bad(w.line, 'a witness must be another device, each once');
      authors.add(w.author);
      witnesses.push({ device: w.author, clinic: clinicOf(w), clinicName: this.geneses.get(clinicOf(w))?.name ?? '', at: w.at });
    }
    this.checkpoint = { hash: cp.hash, device: cp.author, clinic: clinicOf(cp), size, chain, at: cp.at, witnesses };
  }

  start(line: number, bytes: Buffer): void {
    const seg = this.h.segment as { first: number; last: number };
    const m = START.exec(bytes.toString('latin1'));
    if (!m || Number(m[1]) !== seg.first - 1) throw new Bad(line, `line form: not {"n":${seg.first - 1},"chain":"…"} (where the links start)`);
    this.chain = m[2] as string;
    this.n = seg.first - 1;
    this.lastLine = line;
  }

  /** One position of the links; a selected entry's own checks go to the check pool and are judged in order as they come back. */
  async position(line: number, bytes: Buffer): Promise<void> {
    this.lastLine = line;
    const seg = this.h.segment as { first: number; last: number };
    const n = this.n + 1;
    if (n > seg.last) throw new Bad(line, `the links end at ${seg.last}: nothing may follow`);
    const link = LINK.exec(bytes.toString('latin1'));
    if (link) {
      if (Number(link[1]) !== n) throw new Bad(line, `position ${n} is missing (the line says ${link[1]})`);
      this.advance(line, link[2] as string);
      return;
    }
    const prefix = `{"n":${n},"entry":`;
    const split = startsWith(bytes, prefix) ? splitSuffix(bytes, prefix.length, ENTRY_SUFFIX_BYTES, ENTRY_SUFFIX) : null;
    if (!split)
      throw new Bad(line, `line form: position ${n} is neither {"n":${n},"hash":"…"} nor {"n":${n},"entry":…,"hash":"…","sig":"…","chain":"…"}`);
    const [entry, hash, sig, chain] = split;
    // The chain needs only the hash the line states; the pool checks that the bytes have it.
    this.advance(line, hash);
    if (chain !== this.chain) throw new Bad(line, `local chain breaks here (expected ${this.chain})`);
    this.batch.push({ line, n, entry, hash, sig });
    if (this.batch.length >= CHECK_BATCH) this.dispatch();
    while (this.queue.length > Math.max(2, this.pool.size * 4)) await this.processHead();
  }

  private dispatch(): void {
    if (this.batch.length === 0) return;
    const items = this.batch;
    this.batch = [];
    this.queue.push({ items, results: this.pool.check(items.map((i) => ({ bytes: i.entry, hash: i.hash, sig: i.sig }))) });
  }

  private async processHead(): Promise<void> {
    const head = this.queue.shift();
    if (!head) return;
    const results = await head.results;
    head.items.forEach((item, i) => {
      const checked = results[i];
      if (!checked || checked.error !== null) throw new Bad(item.line, checked?.error ?? 'not checked');
      this.judge(item);
    });
  }

  /** Every selected entry queued so far checked and judged, in order; the first problem among them is thrown. */
  async drain(): Promise<void> {
    this.dispatch();
    while (this.queue.length > 0) await this.processHead();
  }

  /** A selected entry whose bytes, hash and signature hold: its signer, its staff member, its author chain, the filter. */
  private judge({ line, n, entry, hash }: Selected): void {
    const e = JSON.parse(entry.toString('utf8')) as Omit<Ctx, 'line' | 'hash'>;
    const c = clinicOfStream(e.stream);
    const clinics = c ? [c.clinicId] : [...this.devices.keys()];
    const authorClinics = this.checkAuthor(line, e.author, e.by, clinics);
    if (e.kind === 'access.listed' && e.by !== null && this.staff.get(e.by)?.role !== e.body.role)
      throw new Bad(line, "access.listed names a role that is not the staff member's");
    const key = `${e.stream}\u0000${e.author}`;
    const last = this.heads.get(key);
    if (last && (e.seq <= last.seq || (e.seq === last.seq + 1 && e.prev !== last.hash)))
      throw new Bad(line, "seq or prev does not follow the author's earlier selected entry in this stream");
    this.heads.set(key, { seq: e.seq, hash });
    if (!matchesAuditFilter(e, this.filter, this.range, (id) => authorClinics.includes(id)))
      throw new Bad(line, 'the entry does not match the filter the bundle states');
    this.selected++;
    if (this.checkpoint && n <= this.checkpoint.size) this.witnessed++;
  }

  private advance(line: number, hash: string): void {
    this.n++;
    this.chain = chainNext(this.chain, hash);
    if (this.checkpoint && this.n === this.checkpoint.size && this.chain !== this.checkpoint.chain)
      throw new Bad(line, `the local chain after ${this.n} entries is not the one the witnessed checkpoint signs`);
  }

  finish(): void {
    const seg = this.h.segment;
    if (seg && this.n !== seg.last) throw new Bad(this.lastLine, `the links end at ${this.n}, not at ${seg.last} as the header says`);
    if (this.selected !== this.h.selected)
      throw new Bad(this.lastLine, `the bundle holds ${this.selected} selected entries, the header says ${this.h.selected}`);
  }

  report(problem: BundleReport['problem']): BundleReport {
    return {
      selected: this.selected,
      context: this.byHash.size,
      positions: this.header?.segment && this.n >= this.header.segment.first ? this.n - this.header.segment.first + 1 : 0,
      header: this.header,
      clinics: [...this.geneses].map(([id, g]) => ({ id, name: g.name, devices: this.devices.get(id)?.size ?? 0 })),
      checkpoint: this.checkpoint,
      witnessed: this.witnessed,
      unwitnessed: this.selected - this.witnessed,
      problem,
    };
  }

  private isManager(by: string | null, clinic: string): boolean {
    const s = by === null ? undefined : this.staff.get(by);
    return s !== undefined && s.clinic === clinic && s.role === 'manager';
  }

  /** The author is a device established in one of `clinics`, and `by` a staff member of its clinic; returns the author's clinics. */
  private checkAuthor(line: number, author: string, by: string | null, clinics: readonly string[]): string[] {
    const of = clinics.filter((c) => this.devices.get(c)?.has(author));
    if (of.length === 0) throw new Bad(line, `the author ${author} is not a device the bundle shows enrolled in the clinic`);
    if (by !== null && !of.includes(this.staff.get(by)?.clinic ?? ''))
      throw new Bad(line, `the staff member ${by} is not one the bundle shows added to the clinic`);
    return of;
  }
}

function startsWith(bytes: Buffer, prefix: string): boolean {
  return bytes.subarray(0, prefix.length).toString('latin1') === prefix;
}

/** The entry bytes between a prefix and a fixed-length suffix, and the suffix's groups; null if the line lacks them. */
function splitSuffix(bytes: Buffer, prefixLength: number, suffixLength: number, suffix: RegExp): [Buffer, string, string, string] | null {
  if (bytes.length < prefixLength + suffixLength) return null;
  const m = suffix.exec(bytes.subarray(bytes.length - suffixLength).toString('latin1'));
  if (!m) return null;
  return [bytes.subarray(prefixLength, bytes.length - suffixLength), m[1] as string, m[2] as string, m[3] ?? ''];
}

/** The file's lines split on line feeds only (a carriage return is a byte of the line), numbered from 1; `last` marks a final line with no line feed. */
async function* readLines(file: string): AsyncGenerator<{ line: number; bytes: Buffer; last: boolean }, void, undefined> {
  const stream = createReadStream(file);
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error) => reject(new CannotVerifyError(`cannot read ${file}: ${error.message}`)));
    });
    let rest: Buffer = Buffer.alloc(0);
    let line = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      for (let at = buf.indexOf(0x0a); at >= 0; at = buf.indexOf(0x0a)) {
        yield { line: ++line, bytes: buf.subarray(0, at), last: false };
        buf = buf.subarray(at + 1);
      }
      rest = Buffer.from(buf);
    }
    if (rest.length > 0) yield { line: ++line, bytes: rest, last: true };
  } finally {
    stream.destroy();
  }
}

/** The report in words (docs/architecture.md#audit-bundle): what was checked, against which witnessed checkpoint, and what a bundle cannot show. */
export function describeBundleReport(r: BundleReport): string {
  const lines: string[] = [];
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const clinicName = (id: string) => {
    const c = r.clinics.find((k) => k.id === id);
    return c ? `"${c.name}" (${id})` : id;
  };
  if (r.problem) {
    lines.push(`TAMPERING OR INCONSISTENCY FOUND: line ${r.problem.line}: ${r.problem.reason}`);
    lines.push(
      `Checked before stopping: ${count(r.context, 'context entry', 'context entries')}, ${count(r.selected, 'selected entry', 'selected entries')}.`,
    );
    return lines.join('\n') + '\n';
  }
  const h = r.header;
  if (!h) return 'Not checked.\n';
  const f = h.filter;
  const filters = [
    f.staffId && `staff member ${f.staffId}`,
    f.patientId && `patient ${f.patientId}`,
    f.action && `action ${f.action}`,
    f.clinicId && `clinic ${f.clinicId}`,
  ].filter(Boolean);
  lines.push(
    `Intact: ${count(r.selected, 'selected entry', 'selected entries')} of ${f.from} to ${f.to} (${h.zone}: ${h.period.from} to ${h.period.until})` +
      (filters.length > 0 ? `, ${filters.join(', ')}` : '') +
      '; each one exactly as its author signed it (canonical bytes, hash, signature) and matching that filter.',
  );
  lines.push(
    `Signers: ${r.clinics.map((c) => `${count(c.devices, 'device')} of ${clinicName(c.id)}`).join('; ')}, each traced from the clinic's founding device through enrolments made by its managers; every staff member named was added to the clinic (${count(r.context, 'context entry', 'context entries')}).`,
  );
  if (h.segment) {
    lines.push(
      `Local chain: positions ${h.segment.first} to ${h.segment.last} of the writing device's log, each accounted for by its hash (${count(r.positions, 'position')}).`,
    );
  }
  const cp = r.checkpoint;
  if (cp) {
    const byClinic = new Map<string, number>();
    for (const w of cp.witnesses) byClinic.set(w.clinic, (byClinic.get(w.clinic) ?? 0) + 1);
    lines.push(
      `Witnessed: the chain after ${cp.size} entries is the checkpoint device ${cp.device} of ${clinicName(cp.clinic)} signed at ${new Date(cp.at).toISOString()} (its clock), ` +
        `countersigned by ${count(cp.witnesses.length, 'other device')} of ${count(byClinic.size, 'clinic')}: ` +
        [...byClinic]
          .map(([id, n]) => `${n} of ${clinicName(id)}`)
          .sort()
          .join(', ') +
        '.',
    );
    lines.push(
      `${count(r.witnessed, 'selected entry', 'selected entries')} at or before it cannot have been removed or altered since without contradicting that checkpoint.`,
    );
  } else if (r.selected > 0) {
    lines.push('Witnessed: NO. No checkpoint other devices witnessed covers the selection.');
  }
  if (r.unwitnessed > 0)
    lines.push(
      `NOT witnessed: ${count(r.unwitnessed, 'selected entry', 'selected entries')} after the newest witnessed checkpoint (signed and chained; the writing device could still have rewritten them).`,
    );
  lines.push(
    'Not shown by a bundle: that the selection is complete (the entries behind the links are hashes only; a full ledger export with the same chain shows what each one is), whether a device was revoked or a staff member deactivated meanwhile, and the sealed contents of patient entries.',
  );
  return lines.join('\n') + '\n';
}
