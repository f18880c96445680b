import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { clinicStream } from '../ledger/streams.js';

// The sign-in attacks of issue 13, each against a real data folder (docs/architecture.md#sign-in-sessions-and-roles).

let clock = 1_700_000_000_000;
const opened: Movelog[] = [];
const quiet = { warn: () => undefined, error: () => undefined };
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

async function clinic(): Promise<{ m: Movelog; managerId: string; clinicId: string }> {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-signin-')), () => clock, quiet);
  opened.push(m);
  const setup = await m.invoke('manager-tab', 'ws', 'clinic.setup', {
    clinicName: 'Harbour Rehab',
    managerName: 'Lee Chen',
    passphrase: 'manager passphrase 1',
    timeZone: 'UTC',
  });
  expect(setup.ok).toBe(true);
  const managerId = (m.db.prepare('SELECT id FROM view_staff').get() as { id: string }).id;
  return { m, managerId, clinicId: (setup as { value: { id: string } }).value.id };
}

async function addStaff(m: Movelog, name: string): Promise<string> {
  const added = await m.invoke('manager-tab', 'ws', 'staff.add', { name, role: 'therapist', licence: 'PT-1', passphrase: `${name} passphrase` });
  return (added as { value: { id: string } }).value.id;
}

const codes = (results: ApiResult<unknown>[]) => results.map((r) => (r.ok ? 'ok' : r.error.code));
const count = (list: string[], what: string) => list.filter((c) => c === what).length;
const signInRefusals = (m: Movelog) =>
  (m.db.prepare("SELECT count(*) AS n FROM view_refusals WHERE call = 'session.signIn'").get() as { n: number }).n;

describe('sign-in holds against a second tab and a flood of guesses', () => {
  it('hashes one of 31 guesses sent at once on one connection, and one of 31 sent at once for one person from 31 tabs', async () => {
    const { m, managerId } = await clinic();
    const oneTab = codes(
      await Promise.all(
        Array.from({ length: 31 }, (_, i) => m.invoke('attacker', 'ws', 'session.signIn', { staffId: managerId, passphrase: `guess ${i}` })),
      ),
    );
    // Only a hashed guess can be told "not right"; the others are refused before any hashing.
    expect(count(oneTab, 'unauthenticated')).toBe(1);
    expect(count(oneTab, 'forbidden')).toBe(30);

    const manyTabs = codes(
      await Promise.all(
        Array.from({ length: 31 }, (_, i) => m.invoke(`attacker-${i}`, 'ws', 'session.signIn', { staffId: managerId, passphrase: `guess ${i}` })),
      ),
    );
    expect(count(manyTabs, 'unauthenticated')).toBe(1);
    expect(count(manyTabs, 'forbidden')).toBe(30);
  });

  it('does not let one tab lock a colleague out: wrong guesses in one tab leave the colleague free to sign in in theirs', async () => {
    const { m, managerId } = await clinic();
    const ana = await addStaff(m, 'Ana Silva');
    for (let i = 0; i < 5; i++) {
      expect(await m.invoke('bad-tab', 'ws', 'session.signIn', { staffId: ana, passphrase: `wrong ${i}` })).toMatchObject({
        ok: false,
        error: { code: 'unauthenticated' },
      });
    }
    expect(await m.invoke('bad-tab', 'ws', 'session.signIn', { staffId: ana, passphrase: 'Ana Silva passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/Too many wrong passphrases/) as unknown },
    });
    expect(await m.invoke('ana-tab', 'ws', 'session.signIn', { staffId: ana, passphrase: 'Ana Silva passphrase' })).toMatchObject({
      ok: true,
      value: { staffId: ana },
    });
    // Switching to other staff ids does not give the bad tab more guesses: it is limited as a whole.
    for (let i = 0; i < 5; i++) await m.invoke('bad-tab', 'ws', 'session.signIn', { staffId: managerId, passphrase: `wrong ${i}` });
    expect(await m.invoke('bad-tab', 'ws', 'session.signIn', { staffId: 'a'.repeat(32), passphrase: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('records sign-ins with random staff ids from many tabs at a cost bounded by time, and a manager still sees how many', async () => {
    const { m } = await clinic();
    const before = signInRefusals(m);
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        m.invoke(`tab-${i}`, 'ws', 'session.signIn', { staffId: i.toString(16).padStart(32, 'b'), passphrase: 'guess' }),
      ),
    );
    expect(count(codes(results), 'unauthenticated')).toBe(15);
    expect(signInRefusals(m) - before).toBe(10);
    clock += 61_000;
    await m.invoke('manager-tab', 'ws', 'session.signIn', {
      staffId: (m.db.prepare('SELECT id FROM view_staff').get() as { id: string }).id,
      passphrase: 'manager passphrase 1',
    });
    const listed = (await m.invoke('manager-tab', 'ws', 'staff.refusals', {})) as { value: { request: string; reason: string }[] };
    expect(listed.value.filter((r) => r.request === 'sign in')).toHaveLength(11);
    expect(listed.value[0]).toMatchObject({ request: 'sign in', reason: '5 more like this within a minute, counted but not recorded one by one' });
  });
});

describe('sessions end everywhere when a staff member is deactivated or their passphrase reset', () => {
  it('a reset by a manager ends every session of that person; a change of their own keeps only the tab that made it', async () => {
    const { m } = await clinic();
    const ana = await addStaff(m, 'Ana Silva');
    for (const tab of ['ana-1', 'ana-2', 'ana-3'])
      expect((await m.invoke(tab, 'ws', 'session.signIn', { staffId: ana, passphrase: 'Ana Silva passphrase' })).ok).toBe(true);
    expect(await m.invoke('ana-1', 'ws', 'staff.setPassphrase', { staffId: ana, passphrase: 'Ana changed it herself' })).toEqual({
      ok: true,
      value: null,
    });
    expect(await m.invoke('ana-1', 'ws', 'session.current', {})).toMatchObject({ ok: true, value: { staffId: ana } });
    expect(await m.invoke('ana-2', 'ws', 'session.current', {})).toEqual({ ok: true, value: null });

    expect(await m.invoke('manager-tab', 'ws', 'staff.setPassphrase', { staffId: ana, passphrase: 'reset by the manager' })).toEqual({
      ok: true,
      value: null,
    });
    expect(await m.invoke('ana-1', 'ws', 'session.current', {})).toEqual({ ok: true, value: null });
    expect(await m.invoke('ana-1', 'ws', 'staff.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('a deactivation or a reset written elsewhere (another device, another process on the folder) ends the session at its next request', async () => {
    const { m, managerId, clinicId } = await clinic();
    const ana = await addStaff(m, 'Ana Silva');
    const bo = await addStaff(m, 'Bo Park');
    expect((await m.invoke('ana-tab', 'ws', 'session.signIn', { staffId: ana, passphrase: 'Ana Silva passphrase' })).ok).toBe(true);
    expect((await m.invoke('bo-tab', 'ws', 'session.signIn', { staffId: bo, passphrase: 'Bo Park passphrase' })).ok).toBe(true);
    // Entries that did not come through this process's services, as sync or a second process stores them.
    m.ledger.append({ stream: clinicStream(clinicId, 'public'), kind: 'staff.deactivated', by: managerId, body: { staffId: ana } });
    m.ledger.append({
      stream: clinicStream(clinicId, 'private'),
      kind: 'staff.passphrase.set',
      by: managerId,
      body: { staffId: bo, verifier: 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(await m.invoke('ana-tab', 'ws', 'schedule.rooms', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await m.invoke('ana-tab', 'ws', 'session.current', {})).toEqual({ ok: true, value: null });
    expect(await m.invoke('bo-tab', 'ws', 'session.current', {})).toEqual({ ok: true, value: null });
  });
});

describe('the sign-in list of names', () => {
  it('lists names until a manager turns it off; then nobody sees who works here and people sign in with their name typed', async () => {
    const { m } = await clinic();
    const ana = await addStaff(m, 'Ana Silva');
    const names = async () => ((await m.invoke('door', 'ws', 'session.choices', {})) as { value: { name: string }[] }).value.map((c) => c.name);
    expect(await names()).toEqual(['Ana Silva', 'Lee Chen']);
    expect(await m.invoke('manager-tab', 'ws', 'settings.update', { namesAtSignIn: false })).toMatchObject({
      ok: true,
      value: { namesAtSignIn: false },
    });
    expect(await names()).toEqual([]);
    expect(await m.invoke('door', 'ws', 'session.signIn', { name: 'Nobody Here', passphrase: 'Ana Silva passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await m.invoke('door', 'ws', 'session.signIn', { name: '  ana  SILVA ', passphrase: 'Ana Silva passphrase' })).toMatchObject({
      ok: true,
      value: { staffId: ana },
    });
    // Only a manager chooses; the choice is a signed entry every device of the clinic follows.
    expect(await m.invoke('door', 'ws', 'settings.update', { namesAtSignIn: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await m.invoke('door', 'ws', 'session.signIn', { passphrase: 'Ana Silva passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });
});
