import type { CallName, CallOutput, CallParsedInput } from '../../shared/api/index.js';
import type { CallContext } from './context.js';

/** One implementation per call in shared/api; `satisfies ServiceTable` makes a gap a compile error. */
export type ServiceTable = {
  readonly [K in CallName]: (input: CallParsedInput<K>, ctx: CallContext) => CallOutput<K> | Promise<CallOutput<K>>;
};
