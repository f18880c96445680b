// Consent in the words the Consent tab, patient search and the record header use
// (docs/architecture.md#consent-screens): the parts of a record as a person names them, and the
// "Shared by … · until … · …" line a receiving clinic shows on a shared patient.
import type { ConsentCategory } from '../../../../shared/api/calls/consent.js';
import type { StoredConsentDetails } from '../../../../shared/ledger/kinds/consent.js';
import { dateOnly } from '../../format.js';

/** Each category as the screens name it: what the other clinic gets to see. */
export const CATEGORY_WORDS: Readonly<Record<ConsentCategory, string>> = {
  profile: 'details',
  schedule: 'visits',
  clinical: 'clinical notes',
  access: 'who opened the record',
};

/** A longer line for each category's checkbox on the grant form. */
export const CATEGORY_HINTS: Readonly<Record<ConsentCategory, string>> = {
  profile: 'Name, date of birth, contact details, insurance.',
  schedule: 'Booked and past visits.',
  clinical: 'Signed notes and their addenda.',
  access: 'The list of who opened the record, and when.',
};

export const PURPOSE_WORDS: Readonly<Record<StoredConsentDetails['purpose'], string>> = {
  treatment: 'Treatment',
  second_opinion: 'Second opinion',
  referral: 'Referral',
  continuity: 'Continuity of care',
  other: 'Other (say what in the note)',
};

/** "details, clinical notes": categories in the canonical order, in words. */
export function categoriesInWords(categories: readonly ConsentCategory[]): string {
  const order: readonly ConsentCategory[] = ['profile', 'schedule', 'clinical', 'access'];
  return order
    .filter((c) => categories.includes(c))
    .map((c) => CATEGORY_WORDS[c])
    .join(', ');
}

/**
 * The last day a period includes, in the clinic's date format. A grant's `until` is the first
 * moment it no longer covers (sharing is active while t < until); the grant form stores the
 * midnight after the day typed, so the day shown is the one typed.
 */
export function lastDay(until: number): string {
  return dateOnly.format(new Date(until - 1));
}

/** "until 31 May 2027", or "until withdrawn" for a grant without an end. */
export function untilInWords(until: number | null): string {
  return until === null ? 'until withdrawn' : `until ${lastDay(until)}`;
}

/** "Shared by Harbour Rehab · until 31 May 2027 · details, clinical notes": a shared patient on a receiving clinic. */
export function sharedLine(sharing: {
  readonly homeClinicName: string | null;
  readonly categories: readonly ConsentCategory[];
  readonly until: number | null;
}): string {
  return `Shared by ${sharing.homeClinicName ?? 'another clinic'} · ${untilInWords(sharing.until)} · ${categoriesInWords(sharing.categories)}`;
}

/** How consent was captured, in a history line. */
export function captureInWords(capture: StoredConsentDetails['capture']): string {
  switch (capture.method) {
    case 'paper_form':
      return `signed paper form (${capture.reference})`;
    case 'drawn':
      return 'signature drawn on screen';
    case 'verbal':
      return `verbal, witnessed by ${capture.witness}`;
  }
}
