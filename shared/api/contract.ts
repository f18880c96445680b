import type { z } from 'zod';
import type { Access } from './roles.js';
import { Clinic, ClinicSetupInput, ClinicStatus, NoInput } from './schemas.js';

/**
 * Every call the UI can make: its input and output schemas and who may make it. The services in
 * main/ are typed against this table (a missing or mistyped service does not compile), and both
 * bridges (Electron IPC, browser host WebSocket) validate against it in main before any work.
 */
export interface CallSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
  /** One line for people reading logs and the API reference. */
  readonly summary: string;
}

function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}

export const api = {
  'clinic.status': call({
    input: NoInput,
    output: ClinicStatus,
    access: 'anyone',
    summary: 'Whether this data directory holds a clinic yet, and which.',
  }),
  'clinic.setup': call({
    input: ClinicSetupInput,
    output: Clinic,
    access: 'anyone',
    summary: 'First-run setup: creates the clinic and its first manager. Refused once set up.',
  }),
} as const;

export type Api = typeof api;
export type CallName = keyof Api;
export type CallInput<K extends CallName> = z.input<Api[K]['input']>;
export type CallParsedInput<K extends CallName> = z.output<Api[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Api[K]['output']>;

export const CALL_NAMES = Object.keys(api) as CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(api, name);
}
