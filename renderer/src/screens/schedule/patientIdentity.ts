// A patient named so that they cannot be taken for someone else (docs/architecture.md#patient-identifiers):
// the date of birth beside the name everywhere a patient is shown, and a visible warning when
// other patients have the same name.
import { nameTokens } from '../../../../shared/text.js';
import { dateOnly } from '../../format.js';

/** A YYYY-MM-DD date of birth as the clinic's screens write dates; the text itself when it is not one. */
export function formatDateOfBirth(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  // A calendar date, not an instant: built at local midnight so no time zone moves it a day.
  return m ? dateOnly.format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : iso;
}

/**
 * The name as two people compare names when they might be one person: family and given name as
 * search tokens (case and accents ignored), the same key main counts namesakes by
 * (`sort_name`, main/views/schedule.ts).
 */
export function nameKey(familyName: string, givenName: string): string {
  return nameTokens(`${familyName} ${givenName}`).join(' ');
}

/**
 * How many other patients among `patients` share each patient's name (by patient id); patients
 * listed twice (two visits) count once, and those whose name cannot be read count for nobody.
 */
export function namesakesAmong(
  patients: readonly { readonly patientId: string; readonly familyName: string | null; readonly givenName: string | null }[],
): Map<string, number> {
  const byName = new Map<string, Set<string>>();
  for (const p of patients) {
    if (p.familyName === null) continue;
    const key = nameKey(p.familyName, p.givenName ?? '');
    const ids = byName.get(key) ?? new Set<string>();
    ids.add(p.patientId);
    byName.set(key, ids);
  }
  const namesakes = new Map<string, number>();
  for (const ids of byName.values()) for (const id of ids) namesakes.set(id, ids.size - 1);
  return namesakes;
}

/** The warning beside a name that others share, or null when nobody else has it. */
export function namesakeWarning(others: number): string | null {
  if (others <= 0) return null;
  return `${others === 1 ? '1 other patient shares' : `${others} other patients share`} this name — check the date of birth`;
}

/** One line naming an appointment's patient for a tooltip or a list: name, date of birth and the warning. */
export function patientLine(a: {
  readonly patientName: string | null;
  readonly patientDateOfBirth: string | null;
  readonly patientNamesakes: number;
}): string {
  if (a.patientName === null) return 'Patient (record not readable on this computer)';
  const born = a.patientDateOfBirth ? `, born ${formatDateOfBirth(a.patientDateOfBirth)}` : '';
  const warning = namesakeWarning(a.patientNamesakes);
  return `${a.patientName}${born}${warning ? ` (${warning})` : ''}`;
}
