import type { z } from 'zod';
import type { Access } from '../roles.js';

/** One call of the API: its input and output schemas and who may make it. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
  /** One line for people reading logs and the API reference. */
  readonly summary: string;
}

export function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}
