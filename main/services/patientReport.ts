import { ApiFailure, describeAccess } from '../../shared/api/index.js';
import type { CallParsedInput, PatientAccessReport, ReportAccess, ReportDisclosure } from '../../shared/api/index.js';
import { CONSENT_CATEGORIES, StoredConsentDetails, StoredConsentRevocation } from '../../shared/ledger/kinds/consent.js';
import type { ConsentCapture, ConsentCategory } from '../../shared/ledger/kinds/consent.js';
import { instantAt, wallClock } from '../../shared/time.js';
import { clinicLocale, clinicTimeZone } from '../clinic/staffQueries.js';
import { patientConsent } from '../ledger/consentState.js';
import { patientErasure } from '../ledger/erasure.js';
import type { Db } from '../store/db.js';
import { clinicName, staffName } from '../views/clinic.js';
import { consentRows } from '../views/consent.js';
import type { ConsentRow, GrantState } from '../views/consent.js';
import { findPatient, patientAccountingAccess } from '../views/patients.js';
import { sharingOf } from './consent.js';
import { erasedOn } from './erased.js';
import { requireClinicId } from './guards.js';

/**
 * The patient's accounting of access and disclosures (docs/architecture.md#the-patients-accounting):
 * one function over a database connection, so the API call, the printed report (in a worker, on
 * its own read-only connection) and `movelog report patient` give the same answer.
 */

/** How far back the accounting goes by default: HIPAA 45 CFR 164.528(a) asks for six years. */
export const ACCOUNTING_YEARS = 6;

const CATEGORY_WORDS: Readonly<Record<ConsentCategory, string>> = {
  profile: 'details (name, date of birth, contact, insurance)',
  schedule: 'visits',
  clinical: 'clinical notes',
  access: 'the log of who opened the record',
};

const PURPOSE_WORDS: Readonly<Record<StoredConsentDetails['purpose'], string>> = {
  treatment: 'Treatment',
  second_opinion: 'Second opinion',
  referral: 'Referral',
  continuity: 'Continuity of care',
  other: 'Other',
};

/** "details, clinical notes": categories in their canonical order, in words. */
export function categoriesInWords(categories: readonly ConsentCategory[]): string {
  return CONSENT_CATEGORIES.filter((c) => categories.includes(c))
    .map((c) => CATEGORY_WORDS[c])
    .join(', ');
}

function captureInWords(capture: ConsentCapture): string {
  switch (capture.method) {
    case 'paper_form':
      return `Signed paper form, filed as "${capture.reference}"`;
    case 'drawn':
      return 'Signed on screen (the signature is kept with the consent)';
    case 'verbal':
      return `Given aloud before ${capture.witness}`;
  }
}

/** The day after `day` (YYYY-MM-DD). */
function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The same day `years` years earlier (29 February becomes 28 February). */
function yearsBefore(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y - years, m - 1, d));
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

/** The period asked for, as clinic-local days and as instants [fromAt, toAt). */
export function reportPeriod(
  input: { readonly from?: string | null; readonly to?: string | null },
  zone: string,
  now: number,
): { from: string; to: string; fromAt: number; toAt: number } {
  const to = input.to ?? wallClock(now, zone).date;
  const from = input.from ?? yearsBefore(to, ACCOUNTING_YEARS);
  if (from > to) throw new ApiFailure('invalid_input', 'The period must start before it ends.');
  return { from, to, fromAt: instantAt(from, '00:00', zone), toAt: instantAt(nextDay(to), '00:00', zone) };
}

const opened = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, text: string | null): T | null => {
  if (text === null) return null;
  const parsed = schema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
};

function disclosureOf(
  db: Db,
  g: GrantState,
  byHash: ReadonlyMap<string, ConsentRow>,
  accesses: readonly ReportAccess[],
  now: number,
): ReportDisclosure {
  const row = g.row;
  const from = row.from ?? row.at;
  const revocations = g.revokedBy
    .map((h) => byHash.get(h))
    .filter((r): r is ConsentRow => r !== undefined)
    .sort((a, b) => a.at - b.at || a.height - b.height)
    .map((r) => ({
      hash: r.hash,
      at: r.at,
      categories: r.categories.filter((c) => row.categories.includes(c)),
      what: categoriesInWords(r.categories.filter((c) => row.categories.includes(c))),
      reason: opened(StoredConsentRevocation, r.details)?.reason ?? null,
    }));
  const endedByWithdrawal = g.standing.length === 0 && revocations.length > 0 ? Math.max(...revocations.map((r) => r.at)) : null;
  const endedByPeriod = row.until !== null && row.until <= now ? row.until : null;
  const ends = [endedByWithdrawal, endedByPeriod].filter((t): t is number => t !== null);
  const ended = ends.length > 0 ? Math.min(...ends) : null;
  const details = opened(StoredConsentDetails, row.details);
  let status: ReportDisclosure['status'] = 'active';
  if (g.standing.length === 0) status = 'revoked';
  else if (row.until !== null && row.until <= now) status = 'expired';
  else if (from > now) status = 'scheduled';
  const stop = ended ?? row.until ?? Number.MAX_SAFE_INTEGER;
  return {
    hash: row.hash,
    recordedAt: row.at,
    recordedBy: row.staffId ? staffName(db, row.staffId) : null,
    clinicId: row.clinic,
    clinicName: clinicName(db, row.clinic),
    categories: [...row.categories],
    what: categoriesInWords(row.categories),
    purpose: details ? PURPOSE_WORDS[details.purpose] + (details.note ? `: ${details.note}` : '') : null,
    capture: details ? captureInWords(details.capture) : null,
    from,
    until: row.until,
    ended,
    status,
    revocations,
    openings: accesses.filter((a) => a.clinicId === row.clinic && a.what !== 'listed' && a.at >= from && a.at < stop).length,
  };
}

/**
 * Who accessed the patient's record and what was disclosed to other clinics under their consent,
 * in the period (docs/architecture.md#the-patients-accounting). Refuses an unknown patient, and a
 * record this computer cannot open (no key, or consent ended here): it could name neither the
 * patient nor what was read.
 */
export function patientAccessReport(db: Db, input: CallParsedInput<'patient.accessReport'>, now: number): PatientAccessReport {
  const local = requireClinicId(db);
  const row = findPatient(db, input.patientId);
  if (!row) throw new ApiFailure('not_found', 'There is no such patient.');
  const erasure = patientErasure(db, input.patientId);
  if (erasure)
    throw new ApiFailure(
      'forbidden',
      `This patient's record was erased on ${erasedOn(db, erasure.at)} at the patient's request: nothing readable is left of it, so no access report can be made.`,
    );
  const sharing = sharingOf(db, input.patientId, now);
  if (sharing?.locked || !row.readable) {
    const home = sharing?.homeClinicName ?? clinicName(db, patientConsent(db, input.patientId)?.home ?? local);
    throw new ApiFailure(
      'forbidden',
      (sharing?.locked
        ? `${home ?? 'The clinic that shared it'} no longer shares this record with this clinic, so it is locked here`
        : "This computer does not hold the key to this patient's record") +
        ': it cannot name the patient nor tell what was read, so it cannot make their access report.' +
        (sharing ? ` The patient's home clinic, ${home ?? 'the clinic that shared the record'}, can make it.` : ''),
    );
  }
  const zone = clinicTimeZone(db);
  const period = reportPeriod(input, zone, now);
  const accesses: ReportAccess[] = patientAccountingAccess(db, input.patientId, period.fromAt, period.toAt).map((a) => {
    const what = a.what === 'profile' || a.what === 'clinical' || a.what === 'listed' ? a.what : null;
    const mode = a.mode === 'emergency' ? 'emergency' : 'ordinary';
    return {
      at: a.at,
      staffName: a.staffName,
      role: a.role,
      clinicId: a.clinicId,
      clinicName: a.clinicName,
      here: a.clinicId === local,
      what,
      mode,
      reason: mode === 'emergency' ? a.reason : null,
      action: describeAccess(what, a.call),
    };
  });
  const consent = patientConsent(db, input.patientId);
  const home = consent?.home ?? local;
  const byHash = new Map(consentRows(db, input.patientId).map((r) => [r.hash, r]));
  const disclosures = (consent?.grants ?? [])
    .map((g) => disclosureOf(db, g, byHash, accesses, now))
    // A disclosure of the period: sharing had started by now and by the period's end, and had not ended before it began.
    .filter((d) => d.from <= now && d.from < period.toAt && (d.ended ?? d.until ?? Number.MAX_SAFE_INTEGER) > period.fromAt)
    .sort((a, b) => a.from - b.from || a.recordedAt - b.recordedAt);
  return {
    patient: {
      patientId: row.patientId,
      givenName: row.givenName ?? '',
      familyName: row.familyName ?? '',
      dateOfBirth: row.dateOfBirth,
    },
    clinicId: local,
    clinicName: clinicName(db, local),
    timeZone: zone,
    locale: clinicLocale(db),
    homeClinicName: clinicName(db, home),
    shared: home !== local,
    from: period.from,
    to: period.to,
    madeAt: now,
    accesses,
    disclosures,
  };
}
