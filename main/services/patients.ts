import { randomBytes } from 'node:crypto';
import { ApiFailure, describeAccess } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput, LinkedRecord, PatientDetails, PatientSummary } from '../../shared/api/index.js';
import { PatientDetails as PatientDetailsSchema } from '../../shared/api/index.js';
import { StoredPatientDetails } from '../../shared/ledger/kinds/patients.js';
import type { AccessReadDetails } from '../../shared/ledger/kinds/patients.js';
import { nameTokens, phoneDigits } from '../../shared/text.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Draft, Ledger } from '../ledger/ledger.js';
import { openStoredBody, sealingKeyOf } from '../ledger/seal.js';
import type { SealingKey } from '../ledger/seal.js';
import type { SealedBody } from '../ledger/seal.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import { patientStream } from '../ledger/streams.js';
import type { Db } from '../store/db.js';
import { clinicName, staffName } from '../views/clinic.js';
import { homeClinicId } from '../ledger/home.js';
import { linkedRecords } from '../views/links.js';
import { clinicTimeZone } from '../clinic/staffQueries.js';
import { findPatient, patientAccessLog as accessLogRows, patientsBornOn, patientsWithPhoneLike, searchPatientIds } from '../views/patients.js';
import type { PatientFilter, PatientRow } from '../views/patients.js';
import type { CallContext } from './context.js';
import { patientErasure } from '../ledger/erasure.js';
import { assertNotLocked, sharingOf } from './consent.js';
import { assertNotErased } from './erased.js';
import { actingStaff } from './guards.js';
import { requireCare } from './care.js';
import { parsePatientQuery, writesDayFirst } from './patientQuery.js';
import type { PatientTerm } from './patientQuery.js';

export interface PatientDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
  /** The clock consent periods are read with (the services' clock; the computer's by default). */
  readonly now?: () => number;
}

export const nowOf = (deps: PatientDeps): number => deps.now?.() ?? Date.now();

/**
 * A patient as lists show them, without the links (which need the linked records' summaries);
 * `sharing` says when another clinic shares the record (docs/architecture.md#consent).
 */
const unlinked = (db: Db, r: PatientRow, now: number): Omit<PatientSummary, 'links'> => ({
  patientId: r.patientId,
  readable: r.readable,
  givenName: r.givenName,
  familyName: r.familyName,
  preferredName: r.preferredName,
  dateOfBirth: r.dateOfBirth,
  phone: r.phone,
  registeredAt: r.registeredAt,
  sharing: sharingOf(db, r.patientId, now),
  erased: erasedSummary(db, r.patientId),
});

/** Whether and when the record was erased (docs/architecture.md#erasure). */
function erasedSummary(db: Db, patientId: string): PatientSummary['erased'] {
  const erasure = patientErasure(db, patientId);
  return erasure && { at: erasure.at, requestedOn: erasure.requestedOn };
}

/**
 * The records linked with a patient's (docs/architecture.md#linked-records), each with its clinic:
 * a record held here is this clinic's unless its consent names another home; a record not held
 * here (not delivered yet) is the clinic's the link names.
 */
export function linksOf(db: Db, patientId: string, now = Date.now()): LinkedRecord[] {
  const here = homeClinicId(db);
  return linkedRecords(db, patientId).flatMap((l) => {
    const row = findPatient(db, l.patientId);
    const sharing = row ? sharingOf(db, l.patientId, now) : null;
    const clinicId = row ? (sharing?.homeClinicId ?? here) : (l.home ?? here);
    if (clinicId === null) return [];
    const notes = row !== null && row.readable && (sharing === null || (sharing.categories.includes('clinical') && !sharing.locked));
    return [{ patientId: l.patientId, clinicId, clinicName: clinicName(db, clinicId), own: clinicId === here, notes }];
  });
}

/** A patient as every call shows them: the summary, and the other clinics' records linked with it. */
export const summary = (db: Db, r: PatientRow, now = Date.now()): PatientSummary => ({
  ...unlinked(db, r, now),
  links: linksOf(db, r.patientId, now),
});

/** Builds the sealed drafts that register a patient (the key is created in the same transaction). */
function registrationDraft(deps: PatientDeps, details: PatientDetails, by: string): { patientId: string; draft: () => Draft } {
  const patientId = randomBytes(16).toString('hex');
  return {
    patientId,
    // Stamped with the services' clock, as consent is read: a key made after an end by that clock is not rotated (consentLock).
    draft: () => sealedDraft(sealingKeyOf(deps.keystore.createKey(patientId, nowOf(deps))), patientId, 'patient.registered', details, by),
  };
}

export function findDuplicates(
  db: Db,
  probe: { givenName: string; familyName: string; dateOfBirth: string; phone: string | null },
): PatientSummary[] {
  const family = nameTokens(probe.familyName).join(' ');
  const given = nameTokens(probe.givenName).join(' ');
  const digits = phoneDigits(probe.phone);
  const similar = patientsBornOn(db, probe.dateOfBirth).filter((r) => {
    const rf = nameTokens(r.familyName ?? '').join(' ');
    const rg = nameTokens(r.givenName ?? '').join(' ');
    return (rf === family && (rg.slice(0, 1) === given.slice(0, 1) || given === '')) || (rg === given && rf.slice(0, 3) === family.slice(0, 3));
  });
  // The same number typed with or without a country or trunk prefix: one ends with the other.
  const samePhone = digits && digits.length >= 7 ? patientsWithPhoneLike(db, digits) : [];
  const byId = new Map<string, PatientRow>();
  for (const r of [...similar, ...samePhone]) byId.set(r.patientId, r);
  return [...byId.values()].map((r) => summary(db, r));
}

const describe = (p: PatientSummary) =>
  `${p.givenName ?? ''} ${p.familyName ?? ''}, born ${p.dateOfBirth ?? '?'}${p.phone ? `, phone ${p.phone}` : ''}`;

export function registerPatient(deps: PatientDeps, input: CallParsedInput<'patient.register'>, ctx: CallContext): PatientSummary {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  return db
    .transaction(() => {
      if (!input.confirmDuplicate) {
        const dupes = findDuplicates(db, input.details);
        if (dupes.length > 0) {
          throw new ApiFailure(
            'conflict',
            `This may be a patient who is already registered: ${dupes.map(describe).join('; ')}. Open that record, or confirm that this is a different person.`,
            dupes.map((d) => d.patientId),
          );
        }
      }
      const { patientId, draft } = registrationDraft(deps, input.details, by);
      deps.ledger.append(draft());
      return summary(db, findPatient(db, patientId) as PatientRow, nowOf(deps));
    })
    .immediate();
}

/** Registers many patients in one transaction (demo data, imports, benchmarks); no duplicate check. */
export function registerPatients(deps: PatientDeps, list: readonly PatientDetails[], by: string): string[] {
  return deps.ledger.db
    .transaction(() => {
      const made = list.map((d) => registrationDraft(deps, PatientDetailsSchema.parse(d), by));
      deps.ledger.appendMany(made.map((m) => m.draft()));
      return made.map((m) => m.patientId);
    })
    .immediate();
}

/** The patient's sealing key; refuses an unknown patient, or one whose key this computer does not hold. */
export function requirePatientKey(deps: PatientDeps, patientId: string): SealingKey {
  if (!findPatient(deps.ledger.db, patientId)) throw new ApiFailure('not_found', 'There is no such patient.');
  assertNotErased(deps.ledger.db, patientId);
  assertNotLocked(deps.ledger.db, deps.keystore, patientId, nowOf(deps));
  const key = deps.keystore.sealingKey(patientId);
  if (!key) throw new ApiFailure('forbidden', "This computer does not hold the key to this patient's record.");
  return key;
}

/** The access audit (docs/architecture.md#access-audit): a reading of the patient's record, sealed like the record. */
export function recordRead(deps: PatientDeps, key: SealingKey, patientId: string, what: AccessReadDetails['what'], ctx: CallContext): void {
  deps.ledger.append(sealedDraft(key, patientId, 'access.read', { what, purpose: 'care' }, actingStaff(ctx)));
}

export function updatePatient(deps: PatientDeps, input: CallParsedInput<'patient.update'>, ctx: CallContext): PatientSummary {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const key = requirePatientKey(deps, input.patientId);
  deps.ledger.append(sealedDraft(key, input.patientId, 'patient.updated', input.details, by));
  return summary(db, findPatient(db, input.patientId) as PatientRow, nowOf(deps));
}

export function getPatient(deps: PatientDeps, input: CallParsedInput<'patient.get'>, ctx: CallContext): CallOutput<'patient.get'> {
  const db = deps.ledger.db;
  const row = findPatient(db, input.patientId);
  if (!row) throw new ApiFailure('not_found', 'There is no such patient.');
  // An erased record holds nothing to read: it shows as erased, and no reading is recorded (nothing
  // more is written into it; docs/architecture.md#erasure).
  if (patientErasure(db, input.patientId)) return { summary: summary(db, row, nowOf(deps)), details: null, history: [] };
  assertNotLocked(db, deps.keystore, input.patientId, nowOf(deps));
  // A clinician opens only the records in their care, or under an emergency access (docs/architecture.md#break-the-glass).
  requireCare(deps, input.patientId, ctx);
  const key = deps.keystore.sealingKey(input.patientId);
  // The access audit (docs/architecture.md#access-audit): opening a record is itself recorded, sealed like the record.
  // Without the key nothing readable is shown, and there is nothing to seal the record with.
  if (key) recordRead(deps, key, input.patientId, 'profile', ctx);
  return patientRecord(deps, row);
}

/** A patient's record as `patient.get` shows it: the summary, the details and every version, without recording the reading. */
export function patientRecord(deps: PatientDeps, row: PatientRow): CallOutput<'patient.get'> {
  const db = deps.ledger.db;
  const input = { patientId: row.patientId };
  const stream = patientStream(input.patientId, 'profile');
  const entries = db
    .prepare<[string], { hash: string; bytes: Buffer }>(
      // The profile stream also holds the record's links (docs/architecture.md#linked-records): the history is the demographics.
      "SELECT hash, bytes FROM entries WHERE stream = ? AND kind IN ('patient.registered', 'patient.updated') ORDER BY height DESC, hash DESC",
    )
    .all(stream);
  const history = entries.map((e) => {
    const entry = JSON.parse(e.bytes.toString('utf8')) as {
      kind: 'patient.registered' | 'patient.updated';
      at: number;
      by: string | null;
      body: SealedBody;
    };
    // A version that does not open (no key, or sealed by a faulty device) shows without details;
    // versions are read with the stored-body schema, as the reducer reads them.
    const details = openStoredBody(deps.keystore, input.patientId, stream, entry.kind, entry.body);
    return { hash: e.hash, kind: entry.kind, at: entry.at, byName: entry.by ? staffName(db, entry.by) : null, details };
  });
  return { summary: summary(db, row, nowOf(deps)), details: row.details ? StoredPatientDetails.parse(JSON.parse(row.details)) : null, history };
}

/**
 * The locale whose date order a search reads ambiguous dates in (docs/architecture.md#patient-search).
 * The clinic has no locale setting yet: this is the one place to read it from once it has; until
 * then it is this computer's default locale.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the clinic's setting will be read from db
export function clinicLocale(_db: Db): string {
  return (defaultLocale ??= new Intl.DateTimeFormat().resolvedOptions().locale);
}
let defaultLocale: string | undefined;

// Building an Intl.DateTimeFormat costs more than a whole search: one per locale and per zone.
const dayFirstOf = new Map<string, boolean>();
const yearIn = new Map<string, Intl.DateTimeFormat>();
const dayFirst = (locale: string) => {
  let known = dayFirstOf.get(locale);
  if (known === undefined) dayFirstOf.set(locale, (known = writesDayFirst(locale)));
  return known;
};
/** The year it is in the clinic's time zone (a later year is no year of birth). */
function thisYear(now: number, zone: string): number {
  let format = yearIn.get(zone);
  if (!format) yearIn.set(zone, (format = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric' })));
  return Number(format.format(now));
}

/**
 * A term as a view filter. `strict` reads it as a person most likely meant it: a whole name word,
 * a four-digit number as a year of birth only; otherwise as loosely as it can match: the start
 * of a name word, a year of birth or phone digits.
 */
function termFilter(term: PatientTerm, strict: boolean): PatientFilter {
  switch (term.kind) {
    case 'name':
      return { kind: 'nameWord', word: term.word, exact: strict };
    case 'born':
      return { kind: 'born', date: term.date };
    case 'bornOnDay':
      return { kind: 'bornOnDay', monthDay: term.monthDay };
    case 'phone':
      return { kind: 'phone', digits: term.digits };
    case 'bornInYear': {
      const year: PatientFilter = { kind: 'bornBetween', from: `${String(term.year)}-`, to: `${String(term.year + 1)}-` };
      return strict || !term.orPhone ? year : { kind: 'either', of: [year, { kind: 'phone', digits: String(term.year) }] };
    }
  }
}

/**
 * The first `limit` patients matching every term, ranked: those matched strictly (whole name
 * words, a year as a year) first, then the rest; each group in name order.
 */
function rankedMatches(db: Db, terms: readonly PatientTerm[], limit: number): string[] {
  const loose = terms.map((t) => termFilter(t, false));
  if (!terms.some((t) => t.kind === 'name' || (t.kind === 'bornInYear' && t.orPhone))) return searchPatientIds(db, loose, limit);
  const strict = searchPatientIds(
    db,
    terms.map((t) => termFilter(t, true)),
    limit,
  );
  if (strict.length >= limit) return strict;
  const seen = new Set(strict);
  const rest = searchPatientIds(db, loose, limit + strict.length).filter((id) => !seen.has(id));
  return [...strict, ...rest].slice(0, limit);
}

/**
 * Search (docs/architecture.md#patient-search): any mix of name words, a date of birth (in the
 * clinic's order or ISO; a year; a day and month) and phone digits (the start or the end of the
 * number), all of which must match. At most `limit` patients, best first; a caller that wants to
 * say "there are more" asks for one more than it shows.
 */
export function searchPatients(db: Db, query: string, limit = 50, now = Date.now(), locale = clinicLocale(db)): PatientSummary[] {
  // A record's id finds that record: an erased record has no name, date of birth or phone left to
  // search by, and is identified by its id (docs/architecture.md#erasure).
  const id = query.trim().toLowerCase();
  if (/^[0-9a-f]{32}$/.test(id)) {
    const row = findPatient(db, id);
    if (row) return [summary(db, row, now)];
  }
  const readings = parsePatientQuery(query, { dayFirst: dayFirst(locale), thisYear: thisYear(now, clinicTimeZone(db)) });
  let found: string[] = [];
  // The readings, most likely first: the first that finds anyone is the answer.
  for (const terms of readings) {
    found = rankedMatches(db, terms, limit);
    if (found.length > 0) break;
  }
  // A record linked with a match is shown right after it, each labelled with its clinic
  // (docs/architecture.md#linked-records), so the front desk sees both records of the person.
  const shown: PatientSummary[] = [];
  const seen = new Set<string>();
  const show = (id: string): PatientSummary | null => {
    if (seen.has(id)) return null;
    seen.add(id);
    const row = findPatient(db, id);
    const s = row ? summary(db, row, now) : null;
    if (s) shown.push(s);
    return s;
  };
  for (const id of found) for (const link of show(id)?.links ?? []) show(link.patientId);
  return shown.slice(0, limit);
}

/** The access audit of one patient, newest first (docs/architecture.md#access-audit). */
export function patientAccessLog(db: Db, input: CallParsedInput<'patient.accessLog'>): CallOutput<'patient.accessLog'> {
  if (!findPatient(db, input.patientId)) throw new ApiFailure('not_found', 'There is no such patient.');
  return accessLogRows(db, input.patientId).map((row) => {
    const what = row.what === 'profile' || row.what === 'clinical' || row.what === 'listed' ? row.what : null;
    const mode = row.mode === 'emergency' ? 'emergency' : 'ordinary';
    const verdict = row.verdict === 'justified' || row.verdict === 'not_justified' ? row.verdict : null;
    // Break-the-glass is flagged in words (docs/architecture.md#break-the-glass): "emergency access: reason …".
    const action =
      mode === 'emergency'
        ? `emergency access: reason “${row.reason ?? ''}” (${verdict === null ? 'awaiting review' : verdict === 'justified' ? 'reviewed: justified' : 'reviewed: not justified'})`
        : describeAccess(what, row.call);
    return { ...row, what, mode, verdict, action };
  });
}
