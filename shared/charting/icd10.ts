/**
 * ICD-10-CM diagnosis codes (docs/architecture.md#episodes-of-care): a bundled list of the codes
 * physical-therapy clinics use most, searchable by code or words; any well-formed code can still
 * be entered.
 */
export interface Icd10Code {
  readonly code: string;
  readonly text: string;
}

export const ICD10_SOURCE = '';
export const ICD10_CODES: readonly Icd10Code[] = [];

/** Codes whose code or words match the query, best first (at most `limit`). */
export function searchIcd10(query: string, limit = 20): Icd10Code[] {
  throw new Error(`searching for ${query} (${String(limit)}) is being written`);
}
