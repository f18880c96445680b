// Break-the-glass through the services (docs/architecture.md#break-the-glass): the care rule on
// every call that opens one patient's record, the emergency access and its four hours (measured by
// the services' clock), the managers' review queue, the review entry and its policy, and what
// erasing the patient leaves.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMERGENCY_ACCESS_MS } from '../../shared/api/index.js';
import type { CallOutput, PatientRecord } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import type { LedgerError } from '../ledger/ledger.js';
import { rebuildPatient, rebuildViews, viewDigest } from '../ledger/rebuild.js';
import { openEntryBody } from '../ledger/seal.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import { registerTestPatient } from '../testing/patients.js';

const quiet = { warn: () => undefined, error: () => undefined };
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};
type Queue = CallOutput<'access.emergencies'>;

/**
 * A clinic on a clock the test moves, with a manager (mgr), a second manager (mgr2), two therapists
 * (pt, pt2), an assistant (pta) and the front desk (desk) signed in; Ana has a visit booked with
 * pt next week, Ben has none; each has a signed note.
 */
async function clinic() {
  const clock = { now: Date.UTC(2026, 10, 23, 8) };
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-btg-')), () => clock.now, quiet);
  opened.push(m);
  await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' });
  const signIns = new Map<string, { staffId: string; passphrase: string }>();
  const add = async (connection: string, name: string, role: string) => {
    const id = value<{ id: string }>(
      await m.invoke('mgr', 'ws', 'staff.add', { name, role, licence: role === 'therapist' ? 'PT-1' : null, passphrase: `${name} passphrase` }),
    ).id;
    signIns.set(connection, { staffId: id, passphrase: `${name} passphrase` });
    value(await m.invoke(connection, 'ws', 'session.signIn', { staffId: id, passphrase: `${name} passphrase` }));
    return id;
  };
  signIns.set('mgr', {
    staffId: m.db.prepare("SELECT id FROM view_staff WHERE name = 'Lee Chen'").pluck().get() as string,
    passphrase: 'manager passphrase 1',
  });
  const staff = {
    mgr2: await add('mgr2', 'Mina Okoro', 'manager'),
    pt: await add('pt', 'Priya', 'therapist'),
    pt2: await add('pt2', 'Tomas', 'therapist'),
    pta: await add('pta', 'Alex', 'assistant'),
    desk: await add('desk', 'Fran', 'front_desk'),
  };
  const ana = await registerTestPatient(m, 'desk', 'Ana');
  const ben = await registerTestPatient(m, 'desk', 'Ben');
  const type = value<{ typeId: string }>(
    await m.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 30, category: 'follow_up', active: true }),
  ).typeId;
  const book = async (patientId: string, therapistId: string, start: number) =>
    value<{ appointmentId: string }[]>(
      await m.invoke('desk', 'ws', 'schedule.book', {
        patientId,
        therapistId,
        roomId: null,
        typeId: type,
        start,
        weeks: 1,
        allowConflict: true,
        allowPast: true,
      }),
    )[0]!.appointmentId;
  await book(ana, staff.pt, clock.now + 7 * DAY);
  const note = { type: 'daily', appointmentId: null, subjective: 'Knee better on stairs.', objective: '', assessment: '', plan: '', pain: 2 };
  for (const patientId of [ana, ben]) value(await m.invoke('pt', 'ws', 'notes.sign', { patientId, note }));
  const entries = () => (m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  /** Moves the services' clock on; the screens locked meanwhile (auto-lock), so everyone signs in again. */
  const later = async (ms: number) => {
    clock.now += ms;
    for (const [connection, s] of signIns) value(await m.invoke(connection, 'ws', 'session.signIn', s));
  };
  return { m, clock, staff, ana, ben, book, entries, later };
}

const REASON = 'Covering for Priya: the patient called about new swelling';

describe('the care rule on the calls that open one record', () => {
  it('refuses a therapist or assistant outside their care with outside_care, and records nothing', async () => {
    const c = await clinic();
    const before = c.entries();
    for (const [who, call] of [
      ['pt2', 'patient.get'],
      ['pt2', 'notes.list'],
      ['pt2', 'consent.get'],
      ['pta', 'patient.get'],
      ['pta', 'notes.list'],
    ] as const) {
      const result = await c.m.invoke(who, 'ws', call, { patientId: c.ana });
      expect(result, `${who} ${call}`).toMatchObject({
        ok: false,
        error: {
          code: 'outside_care',
          message: expect.stringMatching(/^This patient is not in your care: you have no visit with them in the past 12 months/) as unknown,
        },
      });
    }
    expect(c.entries()).toBe(before);
    // Priya, whose visit with Ana is booked, opens it as usual; managers and the front desk are not bound by the rule.
    value(await c.m.invoke('pt', 'ws', 'patient.get', { patientId: c.ana }));
    value(await c.m.invoke('pt', 'ws', 'notes.list', { patientId: c.ana }));
    value(await c.m.invoke('mgr', 'ws', 'patient.get', { patientId: c.ben }));
    value(await c.m.invoke('mgr', 'ws', 'notes.list', { patientId: c.ben }));
    value(await c.m.invoke('desk', 'ws', 'patient.get', { patientId: c.ben }));
  });

  it('counts the clinician’s own visits in the care window a manager sets, cancelled ones never', async () => {
    const c = await clinic();
    const twoMonthsAgo = c.clock.now - 61 * DAY;
    const visit = await c.book(c.ben, c.staff.pt2, twoMonthsAgo);
    value(await c.m.invoke('pt2', 'ws', 'patient.get', { patientId: c.ben }));
    expect(value<{ careWindowMonths: number }>(await c.m.invoke('mgr', 'ws', 'settings.update', { careWindowMonths: 1 })).careWindowMonths).toBe(1);
    expect(await c.m.invoke('pt2', 'ws', 'patient.get', { patientId: c.ben })).toMatchObject({
      ok: false,
      error: { code: 'outside_care', message: expect.stringContaining('in the past 1 month and none booked') as unknown },
    });
    value(await c.m.invoke('mgr', 'ws', 'settings.update', { careWindowMonths: 3 }));
    value(await c.m.invoke('pt2', 'ws', 'patient.get', { patientId: c.ben }));
    // A cancelled visit does not count.
    value(
      await c.m.invoke('desk', 'ws', 'schedule.setStatus', {
        appointmentId: visit,
        status: 'cancelled',
        reason: 'Booked with the wrong therapist',
        scope: 'one',
      }),
    );
    expect(await c.m.invoke('pt2', 'ws', 'patient.get', { patientId: c.ben })).toMatchObject({ ok: false, error: { code: 'outside_care' } });
    // Only a manager sets the window, within 1 to 120 months, and the setting is a clear entry of the public stream.
    expect(await c.m.invoke('pt', 'ws', 'settings.update', { careWindowMonths: 24 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const months of [0, 121, 1.5])
      expect(await c.m.invoke('mgr', 'ws', 'settings.update', { careWindowMonths: months })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    expect(
      c.m.db
        .prepare(
          "SELECT stream, json_extract(CAST(bytes AS TEXT), '$.body.months') AS months FROM entries WHERE kind = 'clinic.carewindow.set' ORDER BY local_seq",
        )
        .all(),
    ).toEqual([
      { stream: expect.stringMatching(/^c:[0-9a-f]{64}\/public$/) as unknown, months: 1 },
      { stream: expect.stringMatching(/^c:[0-9a-f]{64}\/public$/) as unknown, months: 3 },
    ]);
  });
});

describe('an emergency access', () => {
  it('is refused without a reason (or with one too short or too long), and records nothing', async () => {
    const c = await clinic();
    const before = c.entries();
    for (const reason of ['', '   ', 'urgent', 'x'.repeat(201)])
      expect(await c.m.invoke('pt2', 'ws', 'patient.breakGlass', { patientId: c.ana, reason }), JSON.stringify(reason)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    expect(await c.m.invoke('pt2', 'ws', 'patient.breakGlass', { patientId: c.ana })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // Not for the front desk or managers (the role list), nor for a patient already in one's care.
    expect(await c.m.invoke('desk', 'ws', 'patient.breakGlass', { patientId: c.ana, reason: REASON })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await c.m.invoke('mgr', 'ws', 'patient.breakGlass', { patientId: c.ana, reason: REASON })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await c.m.invoke('pt', 'ws', 'patient.breakGlass', { patientId: c.ana, reason: REASON })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('in your care') as unknown },
    });
    expect(c.entries()).toBe(before + 2); // only the two role refusals, recorded as access.refused
    expect(c.m.db.prepare("SELECT count(*) AS n FROM entries WHERE kind = 'access.read'").get()).toEqual({ n: 0 });
  });

  it('opens the record with the reason sealed in the access stream; the record then opens as usual for 4 hours of the services’ clock, and no longer', async () => {
    const c = await clinic();
    const opened = value<{ record: PatientRecord; until: number }>(
      await c.m.invoke('pt2', 'ws', 'patient.breakGlass', { patientId: c.ana, reason: `  ${REASON} ` }),
    );
    expect(opened.record.details?.givenName).toBe('Ana');
    expect(opened.until).toBe(c.clock.now + EMERGENCY_ACCESS_MS);
    // One access.read in Ana's access stream, sealed: the reason is not in the ledger's bytes, and opens as an emergency reading.
    const rows = c.m.db.prepare<[], { stream: string; bytes: Buffer }>("SELECT stream, bytes FROM entries WHERE kind = 'access.read'").all();
    const byOf = (bytes: Buffer) => (JSON.parse(bytes.toString('utf8')) as { by: string }).by;
    expect(rows.map((r) => [r.stream, byOf(r.bytes)])).toEqual([[`p:${c.ana}/access`, c.staff.pt2]]);
    expect(rows[0]!.bytes.toString('utf8')).not.toContain('swelling');
    const entry = JSON.parse(rows[0]!.bytes.toString('utf8')) as Parameters<typeof openEntryBody>[2];
    expect(openEntryBody(c.m.keystore, 'access.read', entry, entry.body as never)).toEqual({ what: 'profile', purpose: REASON, mode: 'emergency' });

    // Within the four hours: the details, the notes and the consent open as usual, each reading recorded.
    await c.later(EMERGENCY_ACCESS_MS - 1);
    value(await c.m.invoke('pt2', 'ws', 'patient.get', { patientId: c.ana }));
    expect(value<unknown[]>(await c.m.invoke('pt2', 'ws', 'notes.list', { patientId: c.ana }))).toHaveLength(1);
    value(await c.m.invoke('pt2', 'ws', 'consent.get', { patientId: c.ana }));
    // Only for that staff member: another clinician outside Ana's care is still refused.
    expect(await c.m.invoke('pta', 'ws', 'patient.get', { patientId: c.ana })).toMatchObject({ ok: false, error: { code: 'outside_care' } });
    // Four hours on, it is over: a new reason is needed.
    c.clock.now += 1;
    expect(await c.m.invoke('pt2', 'ws', 'patient.get', { patientId: c.ana })).toMatchObject({ ok: false, error: { code: 'outside_care' } });
    expect(await c.m.invoke('pt2', 'ws', 'notes.list', { patientId: c.ana })).toMatchObject({ ok: false, error: { code: 'outside_care' } });

    // The access log flags it with the reason; the readings within the hours are ordinary lines.
    const log = value<CallOutput<'patient.accessLog'>>(await c.m.invoke('mgr', 'ws', 'patient.accessLog', { patientId: c.ana }));
    const emergency = log.filter((l) => l.mode === 'emergency');
    expect(emergency).toMatchObject([
      { staffName: 'Tomas', reason: REASON, verdict: null, action: `emergency access: reason “${REASON}” (awaiting review)` },
    ]);
    expect(
      log
        .filter((l) => l.staffName === 'Tomas' && l.mode === 'ordinary')
        .map((l) => l.what)
        .sort(),
    ).toEqual(['clinical', 'listed', 'profile']);
  });
});

describe('the managers’ review queue', () => {
  it('lists emergency accesses oldest first; a review (justified, with a note) is a signed, sealed entry that takes it out of the queue with its verdict', async () => {
    const c = await clinic();
    value(await c.m.invoke('pt2', 'ws', 'patient.breakGlass', { patientId: c.ben, reason: 'Ben fell in the waiting room' }));
    c.clock.now += 4 * 60_000; // within the auto-lock time
    value(await c.m.invoke('pta', 'ws', 'patient.breakGlass', { patientId: c.ana, reason: REASON }));
    value(await c.m.invoke('pta', 'ws', 'notes.list', { patientId: c.ana }));
    // Therapists, assistants and the front desk see no queue (the role list).
    for (const who of ['pt', 'pta', 'desk'])
      expect(await c.m.invoke(who, 'ws', 'access.emergencies', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const queue = value<Queue>(await c.m.invoke('mgr', 'ws', 'access.emergencies', {}));
    expect(queue.reviewed).toEqual([]);
    expect(queue.awaiting).toMatchObject([
      {
        patientId: c.ben,
        patientName: 'Tester, Ben',
        staffName: 'Tomas',
        role: 'therapist',
        reason: 'Ben fell in the waiting room',
        readings: 1,
        review: null,
      },
      { patientId: c.ana, patientName: 'Tester, Ana', staffName: 'Alex', role: 'assistant', reason: REASON, readings: 2, review: null },
    ]);
    const [first, second] = queue.awaiting as [Queue['awaiting'][number], Queue['awaiting'][number]];
    expect(first.until - first.at).toBe(EMERGENCY_ACCESS_MS);

    // A therapist cannot review (the role list); a review needs a verdict and a note.
    expect(await c.m.invoke('pt', 'ws', 'access.review', { access: first.hash, verdict: 'justified', note: 'Fine.' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const before = c.entries();
    expect(await c.m.invoke('mgr', 'ws', 'access.review', { access: first.hash, verdict: 'justified', note: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await c.m.invoke('mgr', 'ws', 'access.review', { access: first.hash, verdict: 'maybe', note: 'Hmm.' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await c.m.invoke('mgr', 'ws', 'access.review', { access: 'f'.repeat(64), verdict: 'justified', note: 'Fine.' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(c.entries()).toBe(before);

    const reviewed = value<Queue['awaiting'][number]>(
      await c.m.invoke('mgr', 'ws', 'access.review', {
        access: first.hash,
        verdict: 'justified',
        note: 'Checked with Tomas: first aid after a fall.',
      }),
    );
    expect(reviewed.review).toMatchObject({ verdict: 'justified', note: 'Checked with Tomas: first aid after a fall.', reviewerName: 'Lee Chen' });
    const stored = c.m.db.prepare<[], { stream: string; bytes: Buffer }>("SELECT stream, bytes FROM entries WHERE kind = 'access.reviewed'").all();
    expect(stored.map((r) => [r.stream, (JSON.parse(r.bytes.toString('utf8')) as { by: string }).by])).toEqual([
      [`p:${c.ben}/access`, c.m.db.prepare("SELECT id FROM view_staff WHERE name = 'Lee Chen'").pluck().get()],
    ]);
    expect(stored[0]!.bytes.toString('utf8')).not.toContain('first aid');
    // Reviewed once only.
    expect(await c.m.invoke('mgr2', 'ws', 'access.review', { access: first.hash, verdict: 'not_justified', note: 'No.' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'This emergency access was already reviewed by Lee Chen: justified.' },
    });
    c.clock.now += 60_000; // reviewed a minute later
    value(
      await c.m.invoke('mgr2', 'ws', 'access.review', {
        access: second.hash,
        verdict: 'not_justified',
        note: 'Priya was in; Alex should have asked her.',
      }),
    );

    const after = value<Queue>(await c.m.invoke('mgr', 'ws', 'access.emergencies', {}));
    expect(after.awaiting).toEqual([]);
    expect(after.reviewed.map((r) => [r.patientName, r.review?.verdict, r.review?.reviewerName])).toEqual([
      ['Tester, Ana', 'not_justified', 'Mina Okoro'],
      ['Tester, Ben', 'justified', 'Lee Chen'],
    ]);
    const log = value<CallOutput<'patient.accessLog'>>(await c.m.invoke('mgr', 'ws', 'patient.accessLog', { patientId: c.ben }));
    expect(log.find((l) => l.mode === 'emergency')).toMatchObject({
      verdict: 'justified',
      action: 'emergency access: reason “Ben fell in the waiting room” (reviewed: justified)',
    });

    // The queue is derived: the views equal a rebuild from the entries.
    const digest = viewDigest(c.m.db);
    rebuildViews(c.m.db, c.m.keystore);
    expect(viewDigest(c.m.db)).toBe(digest);
  });

  it("the ledger's policy refuses a review signed on behalf of anyone but a manager", async () => {
    const c = await clinic();
    value(await c.m.invoke('pt2', 'ws', 'patient.breakGlass', { patientId: c.ben, reason: 'Ben fell in the waiting room' }));
    const access = value<Queue>(await c.m.invoke('mgr', 'ws', 'access.emergencies', {})).awaiting[0]!.hash;
    const key = c.m.keystore.sealingKey(c.ben)!;
    for (const by of [c.staff.pt, c.staff.pt2, c.staff.pta, c.staff.desk])
      expect(() =>
        c.m.ledger.append(sealedDraft(key, c.ben, 'access.reviewed', { access, verdict: 'justified', note: 'Self-approved.' }, by)),
      ).toThrow(expect.objectContaining({ reason: 'only a manager can review an emergency access' }) as LedgerError);
    expect(c.m.db.prepare("SELECT count(*) AS n FROM entries WHERE kind = 'access.reviewed'").get()).toEqual({ n: 0 });
    c.m.ledger.append(sealedDraft(key, c.ben, 'access.reviewed', { access, verdict: 'justified', note: 'Seen.' }, c.staff.mgr2));
    expect(value<Queue>(await c.m.invoke('mgr', 'ws', 'access.emergencies', {})).awaiting).toEqual([]);
  });

  it('erasing the patient (their key destroyed) leaves no plaintext of the reason or the note in any view', async () => {
    const c = await clinic();
    value(await c.m.invoke('pt2', 'ws', 'patient.breakGlass', { patientId: c.ben, reason: 'Zanzibar reason for opening' }));
    const access = value<Queue>(await c.m.invoke('mgr', 'ws', 'access.emergencies', {})).awaiting[0]!.hash;
    value(await c.m.invoke('mgr', 'ws', 'access.review', { access, verdict: 'not_justified', note: 'Quixotic review note' }));
    const hits = (needle: string) =>
      c.m.db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'view_%'")
        .all()
        .filter(({ name }) =>
          c.m.db
            .prepare<[], { name: string }>(`PRAGMA table_info(${name})`)
            .all()
            .some((col) => c.m.db.prepare(`SELECT 1 FROM ${name} WHERE instr(CAST(${col.name} AS TEXT), ?) > 0`).get(needle) !== undefined),
        )
        .map((t) => t.name);
    expect(hits('Zanzibar')).toEqual(['view_emergency_access']);
    expect(hits('Quixotic')).toEqual(['view_emergency_reviews']);
    c.m.keystore.destroyKey(c.ben);
    rebuildPatient(c.m.db, c.m.keystore, c.ben);
    expect([...hits('Zanzibar'), ...hits('Quixotic')]).toEqual([]);
    expect(value<Queue>(await c.m.invoke('mgr', 'ws', 'access.emergencies', {}))).toEqual({ awaiting: [], reviewed: [] });
    expect(c.m.db.prepare('SELECT count(*) AS n FROM entries WHERE instr(CAST(bytes AS TEXT), ?) > 0').get('Zanzibar')).toEqual({ n: 0 });
  });
});
