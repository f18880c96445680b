import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Draft, NoteDraft } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { viewDigest } from '../ledger/rebuild.js';
import { registerTestPatient } from '../testing/patients.js';
import { discardDraft, DRAFT_MAX_BYTES } from './drafts.js';

const quiet = { warn: () => undefined, error: () => undefined };
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

const HOUR = 3_600_000;
let clock = Date.UTC(2026, 10, 23, 8);
type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};

const content = (more: Partial<NoteDraft> = {}): NoteDraft => ({
  type: 'daily',
  appointmentId: null,
  episodeId: null,
  date: null,
  sections: { subjective: 'Knee aches on the stairs since Tuesday.', objective: 'Flexion 110 degrees' },
  measures: [{ kind: 'pain', value: 4, side: null }],
  goals: [],
  interventions: [{ code: '97110', minutes: 15 }],
  ...more,
});

/**
 * A clinic with two therapists (pt: Priya, pt2: Tomas), an assistant (pta), the front desk (desk)
 * and the manager (mgr) signed in; Ana has a visit with Priya (so she is in Priya's care) and Ben
 * is in no one's care.
 */
async function clinic(dir = mkdtempSync(join(tmpdir(), 'movelog-drafts-'))) {
  clock = Date.UTC(2026, 10, 23, 8);
  const m = openMovelog(dir, () => clock, quiet);
  opened.push(m);
  await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' });
  const add = async (connection: string, name: string, role: string) => {
    const id = value<{ id: string }>(
      await m.invoke('mgr', 'ws', 'staff.add', { name, role, licence: role === 'therapist' ? 'PT-1' : null, passphrase: `${name} passphrase` }),
    ).id;
    value(await m.invoke(connection, 'ws', 'session.signIn', { staffId: id, passphrase: `${name} passphrase` }));
    return id;
  };
  const priya = await add('pt', 'Priya', 'therapist');
  const tomas = await add('pt2', 'Tomas', 'therapist');
  const alex = await add('pta', 'Alex', 'assistant');
  await add('desk', 'Fran', 'front_desk');
  const ana = await registerTestPatient(m, 'desk', 'Ana');
  const ben = await registerTestPatient(m, 'desk', 'Ben');
  const type = value<{ typeId: string }>(
    await m.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
  ).typeId;
  const book = async (patientId: string, therapistId: string, start: number) =>
    value<{ appointmentId: string }[]>(
      await m.invoke('desk', 'ws', 'schedule.book', { patientId, therapistId, roomId: null, typeId: type, start, weeks: 1, allowConflict: true }),
    )[0]!.appointmentId;
  const visitStart = clock + 24 * HOUR;
  const visit = await book(ana, priya, visitStart);
  return { m, dir, priya, tomas, alex, ana, ben, visit, visitStart, book };
}

const draftRows = (m: Movelog) =>
  m.db.prepare('SELECT draft_id AS draftId, staff_id AS staffId, patient_id AS patientId, body FROM drafts ORDER BY saved_at').all() as {
    draftId: string;
    staffId: string;
    patientId: string;
    body: string;
  }[];
const entryCount = (m: Movelog) => (m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;

describe('drafts of clinical notes', () => {
  it('are kept sealed, resumed, replaced in place and listed for their author', async () => {
    const c = await clinic();
    const saved = value<{ draftId: string; savedAt: number }>(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content() }));
    expect(saved.savedAt).toBe(clock);
    expect(value<Draft>(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: null }))).toEqual({
      draftId: saved.draftId,
      patientId: c.ana,
      appointmentId: null,
      content: content(),
      savedAt: clock,
    });
    // Sealed: the row holds none of what was typed.
    const [row] = draftRows(c.m);
    for (const secret of ['stairs', 'Tuesday', 'Flexion', '97110']) expect(row!.body).not.toContain(secret);
    expect(JSON.parse(row!.body)).toMatchObject({ sealed: 'A256GCM', kid: c.m.keystore.sealingKey(c.ana)!.kid });

    // Saving again, with or without its id, replaces it and keeps the id.
    clock += 60_000;
    const again = value<{ draftId: string }>(
      await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content({ sections: { subjective: 'Second try' } }) }),
    );
    expect(again.draftId).toBe(saved.draftId);
    clock += 60_000;
    value(
      await c.m.invoke('pt', 'ws', 'drafts.save', {
        patientId: c.ana,
        draftId: saved.draftId,
        content: content({ sections: { subjective: 'Third try' } }),
      }),
    );
    expect(draftRows(c.m)).toHaveLength(1);
    expect(value<Draft>(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: null })).content.sections).toEqual({
      subjective: 'Third try',
    });

    // A draft of the visit is another draft; the list is newest first, with the name and the visit's start.
    clock += 60_000;
    const forVisit = value<{ draftId: string }>(
      await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content({ type: 'evaluation', appointmentId: c.visit }) }),
    );
    expect(forVisit.draftId).not.toBe(saved.draftId);
    expect(value(await c.m.invoke('pt', 'ws', 'drafts.list', {}))).toEqual([
      {
        draftId: forVisit.draftId,
        patientId: c.ana,
        patientName: 'Tester, Ana',
        appointmentId: c.visit,
        visitStart: c.visitStart,
        type: 'evaluation',
        savedAt: clock,
      },
      {
        draftId: saved.draftId,
        patientId: c.ana,
        patientName: 'Tester, Ana',
        appointmentId: null,
        visitStart: null,
        type: 'daily',
        savedAt: clock - 60_000,
      },
    ]);
    expect(value(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: c.visit }))).toMatchObject({
      draftId: forVisit.draftId,
      content: { type: 'evaluation', appointmentId: c.visit },
    });
  });

  it('are never in the ledger: saving, resuming and discarding append nothing and change no view', async () => {
    const c = await clinic();
    const entries = entryCount(c.m);
    const digest = viewDigest(c.m.db);
    const { draftId } = value<{ draftId: string }>(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content() }));
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, draftId, content: content({ appointmentId: c.visit }) }));
    value(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: c.visit }));
    expect(entryCount(c.m)).toBe(entries);
    expect(viewDigest(c.m.db)).toBe(digest);
    // The list of drafts is recorded like every list of patients (access.listed), and nothing else.
    value(await c.m.invoke('pt', 'ws', 'drafts.list', {}));
    const added = c.m.db.prepare('SELECT kind FROM entries ORDER BY local_seq DESC LIMIT ?').all(entryCount(c.m) - entries) as { kind: string }[];
    expect(added.map((e) => e.kind)).toEqual(['access.listed']);
    value(await c.m.invoke('pt', 'ws', 'drafts.discard', { draftId }));
    expect(draftRows(c.m)).toEqual([]);
    expect(entryCount(c.m)).toBe(entries + 1);
  });

  it('are seen by their author only', async () => {
    const c = await clinic();
    const { draftId } = value<{ draftId: string }>(
      await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content({ appointmentId: c.visit }) }),
    );
    // Tomas is in Ana's care too (a visit of his own), and still sees nothing of Priya's draft.
    await c.book(c.ana, c.tomas, clock + 48 * HOUR);
    expect(value(await c.m.invoke('pt2', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: c.visit }))).toBeNull();
    expect(value(await c.m.invoke('pt2', 'ws', 'drafts.list', {}))).toEqual([]);
    expect(await c.m.invoke('pt2', 'ws', 'drafts.discard', { draftId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Saving onto Priya's draft by its id is refused and leaves it as it was.
    const before = draftRows(c.m);
    expect(await c.m.invoke('pt2', 'ws', 'drafts.save', { patientId: c.ana, draftId, content: content({ appointmentId: c.visit }) })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(draftRows(c.m)).toEqual(before);
    // His own draft for the same visit is his, beside hers.
    value(
      await c.m.invoke('pt2', 'ws', 'drafts.save', { patientId: c.ana, content: content({ appointmentId: c.visit, sections: { plan: 'His' } }) }),
    );
    expect(value<Draft>(await c.m.invoke('pt2', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: c.visit })).content.sections).toEqual({
      plan: 'His',
    });
    expect(value<Draft>(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: c.visit })).draftId).toBe(draftId);
    // discardDraft (signing) removes only the author's own.
    discardDraft(c.m.db, c.tomas, draftId);
    expect(draftRows(c.m).map((r) => r.draftId)).toContain(draftId);
    discardDraft(c.m.db, c.priya, draftId);
    discardDraft(c.m.db, c.priya, draftId); // absent: nothing happens
    expect(draftRows(c.m).map((r) => r.staffId)).toEqual([c.tomas]);
    // The front desk and managers write no notes, so keep no drafts.
    for (const who of ['desk', 'mgr'])
      expect(await c.m.invoke(who, 'ws', 'drafts.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('an assistant keeps drafts too', async () => {
    const c = await clinic();
    await c.book(c.ana, c.alex, clock + 48 * HOUR);
    const { draftId } = value<{ draftId: string }>(await c.m.invoke('pta', 'ws', 'drafts.save', { patientId: c.ana, content: content() }));
    expect(value(await c.m.invoke('pta', 'ws', 'drafts.list', {}))).toMatchObject([{ draftId, patientId: c.ana }]);
    value(await c.m.invoke('pta', 'ws', 'drafts.discard', { draftId }));
    expect(value(await c.m.invoke('pta', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: null }))).toBeNull();
  });

  it('refuses what it cannot keep, with a reason, and keeps nothing', async () => {
    const c = await clinic();
    const refused = async (connection: string, input: unknown, code: string, message?: RegExp) => {
      const result = await c.m.invoke(connection, 'ws', 'drafts.save', input);
      expect(result).toMatchObject({ ok: false, error: { code } });
      if (message) expect((result as { error: { message: string } }).error.message).toMatch(message);
      expect(draftRows(c.m)).toEqual([]);
    };
    await refused('pt', { patientId: 'ab'.repeat(16), content: content() }, 'not_found', /no such patient/);
    // Ben is in no one's care: the clinician is told to use an emergency access.
    await refused('pt', { patientId: c.ben, content: content() }, 'outside_care', /not in your care/);
    const bensVisit = await c.book(c.ben, c.tomas, clock + 48 * HOUR);
    await refused('pt', { patientId: c.ana, content: content({ appointmentId: bensVisit }) }, 'invalid_input', /not one of this patient/);
    await refused('pt', { patientId: c.ana, content: { ...content(), pain: 3 } }, 'invalid_input');
    // Within every field's bounds but over 64 KB in all.
    const big = content({ measures: Array.from({ length: 20 }, () => ({ a: 'x'.repeat(4_000) })) });
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(DRAFT_MAX_BYTES);
    await refused('pt', { patientId: c.ana, content: big }, 'invalid_input', /too large to keep \(\d+ KB; at most 64 KB\)/);
    await refused('pt', { patientId: c.ana, draftId: 'cd'.repeat(16), content: content() }, 'not_found', /no such draft of yours/);
    expect(await c.m.invoke('pt', 'ws', 'drafts.discard', { draftId: 'cd'.repeat(16) })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Resuming is within the care rule too.
    const withPriya = await c.book(c.ben, c.priya, clock + 72 * HOUR);
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ben, content: content() }));
    value(
      await c.m.invoke('desk', 'ws', 'schedule.setStatus', {
        appointmentId: withPriya,
        status: 'cancelled',
        reason: 'Patient moved away',
        scope: 'one',
      }),
    );
    expect(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ben, appointmentId: null })).toMatchObject({
      ok: false,
      error: { code: 'outside_care' },
    });
  });

  it('moving a draft to a visit that already has another draft of the author is refused, and both are kept', async () => {
    const c = await clinic();
    const first = value<{ draftId: string }>(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content() }));
    const second = value<{ draftId: string }>(
      await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content({ appointmentId: c.visit }) }),
    );
    expect(
      await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, draftId: first.draftId, content: content({ appointmentId: c.visit }) }),
    ).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('another draft for that visit') as string } });
    expect(draftRows(c.m).map((r) => r.draftId)).toEqual([first.draftId, second.draftId]);
    // Moved to a visit without one, it keeps its id.
    const other = await c.book(c.ana, c.priya, clock + 96 * HOUR);
    expect(
      value<{ draftId: string }>(
        await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, draftId: first.draftId, content: content({ appointmentId: other }) }),
      ).draftId,
    ).toBe(first.draftId);
    expect(value(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: null }))).toBeNull();
    expect(value<Draft>(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: other })).draftId).toBe(first.draftId);
  });

  it('a sealed body moved to another draft, author or patient does not open, and the row is removed', async () => {
    const c = await clinic();
    await c.book(c.ben, c.priya, clock + 48 * HOUR);
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content() }));
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ben, content: content({ sections: { plan: 'Ben' } }) }));
    const [ana, ben] = draftRows(c.m);
    // Ana's ciphertext put in Ben's row: same author, another patient and draft.
    c.m.db.prepare('UPDATE drafts SET body = ? WHERE draft_id = ?').run(ana!.body, ben!.draftId);
    expect(value(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ben, appointmentId: null }))).toBeNull();
    expect(draftRows(c.m).map((r) => r.draftId)).toEqual([ana!.draftId]);
    // Ana's row given to Tomas: another author.
    await c.book(c.ana, c.tomas, clock + 48 * HOUR);
    c.m.db.prepare('UPDATE drafts SET staff_id = ? WHERE draft_id = ?').run(c.tomas, ana!.draftId);
    expect(value(await c.m.invoke('pt2', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: null }))).toBeNull();
    expect(draftRows(c.m)).toEqual([]);
  });

  it('a draft sealed before the patient’s key was rotated still opens, and the next save seals it with the new key', async () => {
    const c = await clinic();
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content() }));
    const oldKid = c.m.keystore.sealingKey(c.ana)!.kid;
    const newKid = c.m.keystore.rotate(c.ana, clock + 1).kid;
    expect(newKid).not.toBe(oldKid);
    expect(JSON.parse(draftRows(c.m)[0]!.body)).toMatchObject({ kid: oldKid });
    expect(value<Draft>(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: null })).content).toEqual(content());
    expect(value(await c.m.invoke('pt', 'ws', 'drafts.list', {}))).toHaveLength(1);
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content({ sections: { plan: 'After rotation' } }) }));
    expect(JSON.parse(draftRows(c.m)[0]!.body)).toMatchObject({ kid: newKid });
  });

  it('erasing a patient deletes every draft of theirs, whoever wrote it', async () => {
    const c = await clinic();
    await c.book(c.ana, c.tomas, clock + 48 * HOUR);
    await c.book(c.ben, c.priya, clock + 48 * HOUR);
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content() }));
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content({ appointmentId: c.visit }) }));
    value(await c.m.invoke('pt2', 'ws', 'drafts.save', { patientId: c.ana, content: content() }));
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ben, content: content() }));
    value(
      await c.m.invoke('mgr', 'ws', 'patient.erase', {
        patientId: c.ana,
        requestedOn: '2026-11-20',
        receivedVia: 'letter',
        overrideReason: null,
        confirm: 'Tester',
      }),
    );
    expect(draftRows(c.m).map((r) => r.patientId)).toEqual([c.ben]);
    expect(value(await c.m.invoke('pt', 'ws', 'drafts.list', {}))).toMatchObject([{ patientId: c.ben }]);
    expect(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content() })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('erased') as string },
    });
    expect(draftRows(c.m).map((r) => r.patientId)).toEqual([c.ben]);
  });

  it('a draft whose key is gone from this computer cannot be resumed: it is removed and left out of the list', async () => {
    const c = await clinic();
    await c.book(c.ben, c.priya, clock + 48 * HOUR);
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content() }));
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ben, content: content() }));
    c.m.keystore.destroyKey(c.ana);
    expect(value(await c.m.invoke('pt', 'ws', 'drafts.list', {}))).toMatchObject([{ patientId: c.ben }]);
    expect(draftRows(c.m).map((r) => r.patientId)).toEqual([c.ben]);
    value(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ben, content: content() }));
    c.m.keystore.destroyKey(c.ben);
    expect(value(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ben, appointmentId: null }))).toBeNull();
    expect(draftRows(c.m)).toEqual([]);
  });

  it('outlive signing out, the auto-lock and a restart', async () => {
    const c = await clinic();
    const { draftId } = value<{ draftId: string }>(await c.m.invoke('pt', 'ws', 'drafts.save', { patientId: c.ana, content: content() }));
    value(await c.m.invoke('pt', 'ws', 'session.signOut', {}));
    expect(await c.m.invoke('pt', 'ws', 'drafts.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    value(await c.m.invoke('pt', 'ws', 'session.signIn', { staffId: c.priya, passphrase: 'Priya passphrase' }));
    expect(value<Draft>(await c.m.invoke('pt', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: null })).draftId).toBe(draftId);
    // Idle past the auto-lock time: the session ends, the draft stays.
    clock += 24 * HOUR;
    expect(await c.m.invoke('pt', 'ws', 'drafts.list', {})).toMatchObject({ ok: false });
    expect(draftRows(c.m)).toHaveLength(1);
    c.m.close();
    opened.splice(opened.indexOf(c.m), 1);
    const again = openMovelog(c.dir, () => clock, quiet);
    opened.push(again);
    value(await again.invoke('pt', 'ws', 'session.signIn', { staffId: c.priya, passphrase: 'Priya passphrase' }));
    expect(value<Draft>(await again.invoke('pt', 'ws', 'drafts.get', { patientId: c.ana, appointmentId: null }))).toMatchObject({
      draftId,
      content: content(),
    });
  });
});
