/**
 * What every API call returns, on both bridges. Errors carry a stable `code` for the program and a
 * `message` written for a person: the UI shows it as it is.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unknown_call',
  'unauthenticated',
  'forbidden',
  /**
   * A therapist or assistant opening a patient outside their care (docs/architecture.md#break-the-glass):
   * the screen offers to state a reason and open it as an emergency access.
   */
  'outside_care',
  'conflict',
  'not_found',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export function ok<T>(value: T): ApiResult<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}

/** Thrown by services for expected failures; the dispatcher turns it into `{ ok: false, error }`. */
export class ApiFailure extends Error {
  readonly code: ErrorCode;
  /**
   * The patients the message names (a likely duplicate, the other visit of a double booking): the
   * refusal shows them, so it is recorded as a reading of them (docs/architecture.md#access-audit).
   */
  readonly patients: readonly string[];

  constructor(code: ErrorCode, message: string, patients: readonly string[] = []) {
    super(message);
    this.name = 'ApiFailure';
    this.code = code;
    this.patients = patients;
  }
}
