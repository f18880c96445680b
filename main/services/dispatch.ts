import { api, ApiFailure, describeIssues, fail, isCallName, ok } from '../../shared/api/index.js';
import type { ApiResult, CallName } from '../../shared/api/index.js';
import { LedgerError, WritesHeldError } from '../ledger/ledger.js';
import { HOLD_MESSAGE } from '../store/restored.js';
import type { CallContext } from './context.js';
import type { ServiceTable } from './table.js';
import { describeStoreFault } from '../store/faults.js';

export interface DispatchLog {
  warn(message: string): void;
  error(message: string, error: unknown): void;
}

/**
 * The single entry point both bridges use. In this order: the call exists, the caller may make
 * it, the input matches the schema. Only then does the service run; its output is checked against
 * the contract too, so a service bug can never leak an unexpected shape to the UI.
 * Never throws: every outcome is an ApiResult.
 */
export async function dispatch(
  services: ServiceTable,
  name: unknown,
  rawInput: unknown,
  ctx: CallContext,
  log: DispatchLog = console,
): Promise<ApiResult<unknown>> {
  if (!isCallName(name)) {
    log.warn(`refused unknown call ${JSON.stringify(String(name)).slice(0, 80)} via ${ctx.bridge}`);
    return fail('unknown_call', 'Movelog does not know that request. Reload the app and try again.');
  }
  const spec = api[name];
  if (spec.access !== 'anyone') {
    if (!ctx.session) return fail('unauthenticated', 'Sign in to continue.');
    if (!spec.access.includes(ctx.session.role)) {
      log.warn(`refused ${name} for role ${ctx.session.role} via ${ctx.bridge}`);
      return fail('forbidden', 'Your role does not allow this.');
    }
  }
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) return fail('invalid_input', describeIssues(parsed.error));
  try {
    const run = services[name] as (input: unknown, ctx: CallContext) => unknown;
    const value = await run(parsed.data, ctx);
    const checked = spec.output.safeParse(value);
    if (!checked.success) {
      log.error(`service ${name} returned a value outside its contract: ${describeIssues(checked.error)}`, null);
      return fail('internal', 'Something went wrong inside Movelog. Nothing was lost; please try again.');
    }
    return ok(checked.data);
  } catch (error) {
    if (error instanceof ApiFailure) return fail(error.code, error.message);
    // A restored folder waiting to catch up (docs/architecture.md#backups): nothing was written, and it passes by itself.
    if (error instanceof WritesHeldError) return fail('unavailable', `Not recorded: ${HELD_REASON}`);
    // The ledger refused the write (its policy, a frozen computer, a deactivated staff member):
    // nothing was recorded, and the reason is said as it is (docs/architecture.md#what-this-device-may-write).
    if (error instanceof LedgerError) {
      log.warn(`refused ${name}: ${error.message}`);
      return fail('forbidden', `Not recorded: ${error.reason}.`);
    }
    // A full disk or a damaged database is not a bug: say what happened and what to do
    // (docs/architecture.md#faults). The transaction that failed was rolled back whole.
    const fault = describeStoreFault(error);
    if (fault) {
      log.error(`service ${name} hit a storage fault`, error);
      return fail('unavailable', fault);
    }
    log.error(`service ${name} failed`, error);
    return fail('internal', 'Something went wrong inside Movelog. Nothing was lost; please try again.');
  }
}

const HELD_REASON = HOLD_MESSAGE.charAt(0).toUpperCase() + HOLD_MESSAGE.slice(1);

export type { CallName };
