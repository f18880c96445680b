import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';

let clock = 1_700_000_000_000;
const opened: Movelog[] = [];
const quiet = { warn: () => undefined, error: () => undefined };
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

async function clinic() {
  const movelog = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-staff-')), () => clock, quiet);
  opened.push(movelog);
  const setup = await movelog.invoke('manager-tab', 'ws', 'clinic.setup', {
    clinicName: 'Harbour Rehab',
    managerName: 'Lee Chen',
    passphrase: 'manager passphrase 1',
    timeZone: 'UTC',
    locale: 'en-GB',
  });
  expect(setup.ok).toBe(true);
  return movelog;
}

const refusals = (m: Movelog) =>
  m.db.prepare('SELECT staff_id, call, reason FROM view_refusals ORDER BY at, hash').all() as {
    staff_id: string | null;
    call: string;
    reason: string;
  }[];

describe('staff, sign-in and roles (enforced in main)', () => {
  it('signs in the manager who set up the clinic, who can add staff that sign in with their own role', async () => {
    const m = await clinic();
    const me = await m.invoke('manager-tab', 'ws', 'session.current', {});
    expect(me).toMatchObject({ ok: true, value: { name: 'Lee Chen', role: 'manager', autoLockMinutes: 5 } });

    const added = await m.invoke('manager-tab', 'ws', 'staff.add', {
      name: 'Fran Ortiz',
      role: 'front_desk',
      licence: '',
      passphrase: 'front desk passphrase',
    });
    expect(added).toMatchObject({ ok: true, value: { name: 'Fran Ortiz', role: 'front_desk', licence: null, active: true } });
    const franId = (added as { value: { id: string } }).value.id;

    const choices = await m.invoke('desk', 'ws', 'session.choices', {});
    expect((choices as { value: { name: string }[] }).value.map((c) => c.name)).toEqual(['Fran Ortiz', 'Lee Chen']);
    expect(await m.invoke('desk', 'ws', 'session.signIn', { staffId: franId, passphrase: 'front desk passphrase' })).toMatchObject({
      ok: true,
      value: { role: 'front_desk' },
    });

    // The front desk's own tab cannot do a manager's work, whatever the UI shows; the refusal is recorded.
    const refused = await m.invoke('desk', 'ws', 'staff.list', {});
    expect(refused).toEqual({ ok: false, error: { code: 'forbidden', message: 'Your role does not allow this.' } });
    expect(refusals(m)).toEqual([{ staff_id: franId, call: 'staff.list', reason: 'Your role does not allow this.' }]);
    // Another tab is not signed in at all.
    expect(await m.invoke('other-tab', 'ws', 'staff.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('refuses a wrong passphrase, records it, and throttles repeated failures', async () => {
    const m = await clinic();
    const managerId = (m.db.prepare('SELECT id FROM view_staff').get() as { id: string }).id;
    for (let i = 0; i < 5; i++) {
      expect(await m.invoke('t', 'ws', 'session.signIn', { staffId: managerId, passphrase: `wrong ${i}` })).toMatchObject({
        ok: false,
        error: { code: 'unauthenticated', message: 'That passphrase is not right. Check it and try again.' },
      });
    }
    const throttled = await m.invoke('t', 'ws', 'session.signIn', { staffId: managerId, passphrase: 'manager passphrase 1' });
    expect(throttled).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/Too many wrong passphrases/) as unknown },
    });
    expect(refusals(m).filter((r) => r.reason === 'wrong passphrase')).toHaveLength(5);
    clock += 61_000;
    expect((await m.invoke('t', 'ws', 'session.signIn', { staffId: managerId, passphrase: 'manager passphrase 1' })).ok).toBe(true);
    // A manager reads them in words, without API names.
    const listed = await m.invoke('t', 'ws', 'staff.refusals', {});
    expect((listed as { value: unknown[] }).value).toHaveLength(5);
    expect((listed as { value: unknown[] }).value[0]).toMatchObject({ staffName: 'Lee Chen', request: 'sign in', reason: 'wrong passphrase' });
    for (const r of (listed as { value: { request: string }[] }).value) expect(r.request).not.toMatch(/\./);
  });

  it('locks an idle session in main, after the clinic-wide auto-lock time', async () => {
    const m = await clinic();
    expect(await m.invoke('manager-tab', 'ws', 'settings.update', { autoLockMinutes: 2 })).toEqual({
      ok: true,
      value: {
        autoLockMinutes: 2,
        timeZone: 'UTC',
        openingHours: null,
        checkInMinutes: 60,
        locale: 'en-GB',
        namesAtSignIn: true,
        careWindowMonths: 12,
      },
    });
    clock += 119_000;
    expect((await m.invoke('manager-tab', 'ws', 'staff.list', {})).ok).toBe(true); // activity renews it
    clock += 121_000;
    expect(await m.invoke('manager-tab', 'ws', 'staff.list', {})).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'Movelog locked itself after a period without activity. Sign in again to continue.' },
    });
    expect(await m.invoke('manager-tab', 'ws', 'session.current', {})).toEqual({ ok: true, value: null });
  });

  it("keeps the clinic's locale chosen at setup, lets a manager change it, and every session carries it", async () => {
    const m = await clinic();
    expect(await m.invoke('manager-tab', 'ws', 'session.current', {})).toMatchObject({ ok: true, value: { locale: 'en-GB' } });
    expect(await m.invoke('manager-tab', 'ws', 'settings.update', { locale: 'en-us' })).toMatchObject({ ok: true, value: { locale: 'en-US' } });
    expect(await m.invoke('manager-tab', 'ws', 'session.current', {})).toMatchObject({ ok: true, value: { locale: 'en-US' } });
    const kinds = m.db.prepare("SELECT count(*) AS n FROM entries WHERE kind = 'clinic.locale.set'").get() as { n: number };
    expect(kinds.n).toBe(2);

    const entries = () => (m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
    const before = entries();
    expect(await m.invoke('manager-tab', 'ws', 'settings.update', { locale: 'not a locale!' })).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'Movelog does not know that date and time format. Choose one from the list, such as English (United Kingdom).',
      },
    });
    // The same locale again writes nothing.
    expect(await m.invoke('manager-tab', 'ws', 'settings.update', { locale: 'en-US' })).toMatchObject({ ok: true });
    expect(entries()).toBe(before);
  });

  it('refuses an auto-lock time outside 1 to 240 whole minutes with a clear message, and changes nothing', async () => {
    const m = await clinic();
    const entries = () => (m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
    const before = entries();
    const cases: [number, string][] = [
      [0, 'At least 1 minute.'],
      [-5, 'At least 1 minute.'],
      [100_000, 'At most 240 minutes.'],
      [2.5, 'Use whole minutes.'],
    ];
    for (const [autoLockMinutes, message] of cases) {
      const result = await m.invoke('manager-tab', 'ws', 'settings.update', { autoLockMinutes });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect((result as { error: { message: string } }).error.message).toContain(message);
    }
    expect(entries()).toBe(before);
  });

  it('deactivation ends the sessions of that person and refuses their sign-in; passphrases are their own', async () => {
    const m = await clinic();
    const add = async (name: string, role: string) =>
      (
        (await m.invoke('manager-tab', 'ws', 'staff.add', { name, role, licence: 'PT-1', passphrase: `${name} passphrase` })) as {
          value: { id: string };
        }
      ).value.id;
    const ana = await add('Ana', 'therapist');
    const bo = await add('Bo', 'assistant');
    await m.invoke('ana-tab', 'ws', 'session.signIn', { staffId: ana, passphrase: 'Ana passphrase' });
    expect(await m.invoke('ana-tab', 'ws', 'staff.setPassphrase', { staffId: bo, passphrase: 'not yours to set' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await m.invoke('ana-tab', 'ws', 'staff.setPassphrase', { staffId: ana, passphrase: 'Ana new passphrase' })).toEqual({
      ok: true,
      value: null,
    });

    expect(await m.invoke('manager-tab', 'ws', 'staff.deactivate', { staffId: ana })).toMatchObject({ ok: true, value: { active: false } });
    expect(await m.invoke('ana-tab', 'ws', 'session.current', {})).toEqual({ ok: true, value: null });
    expect(await m.invoke('ana-tab', 'ws', 'session.signIn', { staffId: ana, passphrase: 'Ana new passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const managerId = (m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id;
    expect(await m.invoke('manager-tab', 'ws', 'staff.deactivate', { staffId: managerId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await m.invoke('manager-tab', 'ws', 'staff.reactivate', { staffId: ana })).toMatchObject({ ok: true, value: { active: true } });
    expect((await m.invoke('ana-tab', 'ws', 'session.signIn', { staffId: ana, passphrase: 'Ana new passphrase' })).ok).toBe(true);
  });

  it('validates staff input with readable messages and changes nothing', async () => {
    const m = await clinic();
    const before = (m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
    const bad = await m.invoke('manager-tab', 'ws', 'staff.add', { name: ' ', role: 'wizard', licence: null, passphrase: 'short' });
    expect(bad).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'Name is required. Choose a role. Passphrase must be at least 10 characters.' },
    });
    expect((m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n).toBe(before);
  });

  it('refuses a second active staff member with the same name, and common or own-name passphrases; nothing is stored', async () => {
    const m = await clinic();
    const entries = () => (m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
    const add = (name: string, passphrase: string) =>
      m.invoke('manager-tab', 'ws', 'staff.add', { name, role: 'front_desk', licence: '', passphrase });
    const first = await add('Fran Ortiz', 'front desk passphrase');
    expect(first.ok).toBe(true);
    const fran = (first as { value: { id: string } }).value.id;
    const before = entries();

    expect(await add('  fran   ORTIZ ', 'another good passphrase')).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Fran Ortiz is already on the active staff. Add something that tells them apart, such as "Fran Ortiz (PT)" or a middle initial.',
      },
    });
    expect(await add('Sam Lee', 'password123')).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'This passphrase is on a list of commonly used passwords. Choose another: a few unrelated words work well.',
      },
    });
    expect(await add('Sam Lee', 'Harbour Rehab!')).toMatchObject({ ok: false, error: { code: 'invalid_input', message: /must not be a name/ } });
    expect(await m.invoke('manager-tab', 'ws', 'staff.setPassphrase', { staffId: fran, passphrase: 'Qwertyuiop1' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(entries()).toBe(before);

    // A name becomes free again when its holder leaves, and reactivating the first one is then refused.
    expect((await m.invoke('manager-tab', 'ws', 'staff.deactivate', { staffId: fran })).ok).toBe(true);
    const second = await add('Fran Ortiz', 'kettle lantern meadow');
    expect(second.ok).toBe(true);
    expect(await m.invoke('manager-tab', 'ws', 'staff.reactivate', { staffId: fran })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const fresh = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-staff-')), () => clock, quiet);
    opened.push(fresh);
    const weakSetup = { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'Password1234!', timeZone: 'UTC' };
    expect(await fresh.invoke('tab', 'ws', 'clinic.setup', weakSetup)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((fresh.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n).toBe(0);
  });
});
