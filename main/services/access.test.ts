import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, CALL_NAMES, ROLES } from '../../shared/api/index.js';
import type { Role } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { dispatch } from './dispatch.js';

/**
 * Every call in the contract, for every role: a role the call does not list is refused in main
 * before the service runs, and nobody signed in is refused unless the call is open to anyone.
 * New calls are covered automatically.
 */
let movelog: Movelog;
const quiet = { warn: () => undefined, error: () => undefined };
beforeAll(() => {
  movelog = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-access-')), Date.now, quiet);
});
afterAll(() => movelog.close());

describe('role checks on every service', () => {
  const restricted = CALL_NAMES.filter((name) => api[name].access !== 'anyone');

  it('the contract restricts most calls to roles', () => {
    expect(restricted.length).toBeGreaterThan(5);
  });

  it.each(restricted)('%s refuses callers who are not signed in', async (name) => {
    const result = await dispatch(movelog.services, name, {}, { session: null, bridge: 'cli' }, quiet);
    expect(result).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Sign in to continue.' } });
  });

  const cases = restricted.flatMap((name) =>
    ROLES.filter((role) => !(api[name].access as readonly Role[]).includes(role)).map((role) => [name, role] as const),
  );
  it.each(cases)('%s refuses the %s role', async (name, role) => {
    const entriesBefore = movelog.db.prepare('SELECT count(*) AS n FROM entries').get();
    const result = await dispatch(movelog.services, name, {}, { session: { staffId: 'f'.repeat(32), role }, bridge: 'cli' }, quiet);
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: 'Your role does not allow this.' } });
    expect(movelog.db.prepare('SELECT count(*) AS n FROM entries').get()).toEqual(entriesBefore);
  });
});
