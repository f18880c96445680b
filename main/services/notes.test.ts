import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Note } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { generateDeviceKeyPair } from '../ledger/crypto/index.js';
import { Ledger } from '../ledger/ledger.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';
import { sealBody } from '../ledger/seal.js';
import { registerTestPatient } from '../testing/patients.js';
import { storedEntries } from '../ledger/testing/fixtures.js';
import { cosignNote } from './notes.js';

const quiet = { warn: () => undefined, error: () => undefined };
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

const clock = Date.UTC(2026, 10, 23, 8);
type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};

/** A note in the version-1 shape (SOAP and pain), as callers sent before charting: still signed, as a version-2 note. */
interface LegacyNoteInput {
  type: string;
  appointmentId: string | null;
  subjective: string;
  objective: string;
  assessment: string;
  plan: string;
  pain: number | null;
}

const daily: LegacyNoteInput = {
  type: 'daily',
  appointmentId: null,
  subjective: 'Knee pain 4/10 on stairs, better than last week.',
  objective: 'Knee flexion 115° active; quadriceps 4/5.',
  assessment: 'Improving as expected after ACL reconstruction.',
  plan: 'Progress closed-chain strengthening; review in one week.',
  pain: 4,
};

/** A clinic with a therapist (pt), an assistant (pta), a front-desk person (desk) and a manager (mgr) signed in. */
async function clinic() {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-notes-')), () => clock, quiet);
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
  const fran = await add('desk', 'Fran', 'front_desk');
  const patient = (given: string) => registerTestPatient(m, 'desk', given);
  const c = { m, priya, tomas, fran, ana: await patient('Ana'), ben: await patient('Ben') };
  // Priya and Alex treat Ana (amending a note needs her in their care, docs/architecture.md#break-the-glass); Tomas does not.
  await inCareOf(c, priya, c.ana);
  await inCareOf(c, alex, c.ana);
  return c;
}

/**
 * Puts a clinician in a patient's care (docs/architecture.md#break-the-glass): a visit booked with
 * them a week on, outside the days the tests book for themselves.
 */
let careVisits = 0;
async function inCareOf(c: { m: Movelog }, therapistId: string, patientId: string) {
  const type = value<{ typeId: string }>(
    await c.m.invoke('mgr', 'ws', 'schedule.defineType', {
      typeId: null,
      name: `Care visit ${String(++careVisits)}`,
      minutes: 30,
      category: 'follow_up',
      active: true,
    }),
  ).typeId;
  value(
    await c.m.invoke('desk', 'ws', 'schedule.book', {
      patientId,
      therapistId,
      roomId: null,
      typeId: type,
      start: clock + 7 * 24 * 3_600_000,
      weeks: 1,
      allowConflict: true,
    }),
  );
}

const count = (m: Movelog, sql: string, ...args: unknown[]) => (m.db.prepare(sql).get(...args) as { n: number }).n;

describe('clinical notes', () => {
  it('a therapist signs a sealed note, amends it with an addendum, and every reading is recorded', async () => {
    const c = await clinic();
    const signed = value<Note>(await c.m.invoke('pt', 'ws', 'notes.sign', { patientId: c.ana, note: daily }));
    expect(signed).toMatchObject({
      readable: true,
      authorName: 'Priya',
      authorRole: 'therapist',
      awaitingCosign: false,
      addenda: [],
      // A note sent in the version-1 shape is signed in the version-2 shape: its sections, and pain as a measure on the day of service.
      body: {
        v: 2,
        type: 'daily',
        episodeId: null,
        date: '2026-11-23',
        sections: { subjective: daily.subjective, objective: daily.objective, assessment: daily.assessment, plan: daily.plan },
        measures: [{ kind: 'pain', date: '2026-11-23', side: 'none', site: '', value: 4, unit: 'NPRS' }],
        goals: [],
        billing: null,
      },
    });
    // Only ciphertext in the ledger.
    const bytes = (c.m.db.prepare("SELECT CAST(bytes AS TEXT) AS b FROM entries WHERE kind = 'note.signed'").get() as { b: string }).b;
    for (const secret of ['stairs', 'ACL', 'quadriceps']) expect(bytes).not.toContain(secret);

    const amended = value<Note>(
      await c.m.invoke('pt', 'ws', 'notes.addendum', { patientId: c.ana, note: signed.hash, text: 'Flexion was measured supine.' }),
    );
    expect(amended.addenda).toMatchObject([{ byName: 'Priya', text: 'Flexion was measured supine.' }]);
    expect(amended.body).toEqual(signed.body); // the signed note itself never changes

    await inCareOf(c, c.tomas, c.ana);
    const readsBefore = count(c.m, 'SELECT count(*) AS n FROM view_patient_access WHERE patient_id = ?', c.ana);
    const list = value<Note[]>(await c.m.invoke('pt2', 'ws', 'notes.list', { patientId: c.ana }));
    expect(list.map((n) => n.hash)).toEqual([signed.hash]);
    expect(value<Note[]>(await c.m.invoke('mgr', 'ws', 'notes.list', { patientId: c.ben }))).toEqual([]);
    expect(count(c.m, 'SELECT count(*) AS n FROM view_patient_access WHERE patient_id = ?', c.ana)).toBe(readsBefore + 1);
    const log = value<{ staffName: string; what: string; action: string }[]>(
      await c.m.invoke('mgr', 'ws', 'patient.accessLog', { patientId: c.ana }),
    );
    expect(log[0]).toMatchObject({ staffName: 'Tomas', what: 'clinical', action: 'read the clinical notes' });

    const before = viewDigest(c.m.db);
    rebuildViews(c.m.db, c.m.keystore);
    expect(viewDigest(c.m.db)).toBe(before);
  });

  it('a clinician opening a record reads its details and its notes: one line for each, saying which', async () => {
    const c = await clinic();
    await inCareOf(c, c.priya, c.ana);
    value(await c.m.invoke('pt', 'ws', 'patient.get', { patientId: c.ana }));
    value(await c.m.invoke('pt', 'ws', 'notes.list', { patientId: c.ana }));
    const log = value<{ staffName: string; action: string }[]>(await c.m.invoke('mgr', 'ws', 'patient.accessLog', { patientId: c.ana }));
    expect(log.map((l) => `${l.staffName} ${l.action}`).sort()).toEqual(["Priya opened the patient's details", 'Priya read the clinical notes']);
    const refusals = value<{ request: string }[]>(await c.m.invoke('mgr', 'ws', 'staff.refusals', {}));
    expect(refusals).toEqual([]);
    expect(await c.m.invoke('desk', 'ws', 'notes.list', { patientId: c.ana })).toMatchObject({ ok: false });
    expect(value<{ request: string; reason: string }[]>(await c.m.invoke('mgr', 'ws', 'staff.refusals', {}))).toMatchObject([
      { request: "read a patient's clinical notes", reason: 'Your role does not allow this.' },
    ]);
  });

  it('a second note for a visit that already has one is refused, naming the first, unless confirmed; the refusal stores nothing', async () => {
    const c = await clinic();
    const type = value<{ typeId: string }>(
      await c.m.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
    ).typeId;
    const book = async (start: number) =>
      value<{ appointmentId: string }[]>(
        await c.m.invoke('desk', 'ws', 'schedule.book', {
          patientId: c.ana,
          therapistId: c.priya,
          roomId: null,
          typeId: type,
          start,
          weeks: 1,
          allowConflict: false,
        }),
      )[0]!.appointmentId;
    const visit = await book(Date.UTC(2026, 10, 24, 10));
    const otherVisit = await book(Date.UTC(2026, 10, 25, 10));
    const forVisit: LegacyNoteInput = { ...daily, appointmentId: visit };
    const first = value<Note>(await c.m.invoke('pt', 'ws', 'notes.sign', { patientId: c.ana, note: forVisit }));

    const entries = () => count(c.m, 'SELECT count(*) AS n FROM entries');
    const before = entries();
    const message =
      /^This visit already has a signed note: Daily note \(SOAP\), signed Mon 23 Nov, 08:00 .*by Priya\. Add an addendum to that note instead, or confirm that this visit needs a second note\.$/;
    for (const confirm of [undefined, false]) {
      const again = (await c.m.invoke('pt2', 'ws', 'notes.sign', {
        patientId: c.ana,
        note: { ...forVisit, type: 'progress', subjective: 'Second thoughts.' },
        ...(confirm === undefined ? {} : { confirmSecondNote: confirm }),
      })) as Result<Note>;
      expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(message) as unknown } });
    }
    expect(entries()).toBe(before);
    expect(value<Note[]>(await c.m.invoke('pt', 'ws', 'notes.list', { patientId: c.ana })).map((n) => n.hash)).toEqual([first.hash]);

    // Another visit, or none: no question asked.
    value(await c.m.invoke('pt', 'ws', 'notes.sign', { patientId: c.ana, note: { ...daily, appointmentId: otherVisit } }));
    value(await c.m.invoke('pt', 'ws', 'notes.sign', { patientId: c.ana, note: daily }));
    // Confirmed: the visit has two notes, and a third is refused naming the first and counting the rest.
    const second = value<Note>(
      await c.m.invoke('pt2', 'ws', 'notes.sign', { patientId: c.ana, note: { ...forVisit, type: 'progress' }, confirmSecondNote: true }),
    );
    expect(second).toMatchObject({ authorName: 'Tomas', body: { type: 'progress', appointmentId: visit } });
    expect(await c.m.invoke('pt', 'ws', 'notes.sign', { patientId: c.ana, note: forVisit })).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(/^This visit already has a signed note: Daily note \(SOAP\), .* by Priya \(and 1 more\)\./) as unknown,
      },
    });
  });

  it('the front desk cannot open clinical notes: refused in main, recorded, and nothing is read', async () => {
    const c = await clinic();
    value(await c.m.invoke('pt', 'ws', 'notes.sign', { patientId: c.ana, note: daily }));
    const refusedBefore = count(c.m, "SELECT count(*) AS n FROM entries WHERE kind = 'access.refused'");
    const readsBefore = count(c.m, "SELECT count(*) AS n FROM entries WHERE kind = 'access.read'");
    expect(await c.m.invoke('desk', 'ws', 'notes.list', { patientId: c.ana })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Your role does not allow this.' },
    });
    expect(await c.m.invoke('desk', 'ws', 'notes.sign', { patientId: c.ana, note: daily })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(count(c.m, "SELECT count(*) AS n FROM entries WHERE kind = 'access.refused'")).toBe(refusedBefore + 2);
    expect(count(c.m, "SELECT count(*) AS n FROM entries WHERE kind = 'access.read'")).toBe(readsBefore);
    const refusals = value<{ staffName: string; call: string; reason: string }[]>(await c.m.invoke('mgr', 'ws', 'staff.refusals', {}));
    expect(
      refusals
        .slice(0, 2)
        .map((r) => `${r.staffName} ${r.call}: ${r.reason}`)
        .sort(),
    ).toEqual(['Fran notes.list: Your role does not allow this.', 'Fran notes.sign: Your role does not allow this.']);

    // The ledger's own policy refuses a note signed in a front-desk person's name, whatever the service does.
    const key = c.m.keystore.keyFor(c.ana)!;
    const stream = `p:${c.ana}/clinical`;
    expect(() => c.m.ledger.append({ stream, kind: 'note.signed', by: c.fran, body: sealBody(key, stream, 'note.signed', { ...daily }) })).toThrow(
      /only a therapist or an assistant can sign clinical notes/,
    );
    expect(() =>
      c.m.ledger.append({ stream: `p:${c.ana}/profile`, kind: 'note.signed', by: c.priya, body: sealBody(key, stream, 'note.signed', { ...daily }) }),
    ).toThrow(/belongs in a clinical stream/);
  });

  it("an assistant's note waits for a therapist's co-signature, once", async () => {
    const c = await clinic();
    const note = value<Note>(await c.m.invoke('pta', 'ws', 'notes.sign', { patientId: c.ana, note: { ...daily, type: 'progress' } }));
    expect(note).toMatchObject({ authorRole: 'assistant', awaitingCosign: true, cosignedBy: null });
    expect(await c.m.invoke('pta', 'ws', 'notes.cosign', { patientId: c.ana, note: note.hash })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const cosigned = value<Note>(await c.m.invoke('pt', 'ws', 'notes.cosign', { patientId: c.ana, note: note.hash }));
    expect(cosigned).toMatchObject({ awaitingCosign: false, cosignedBy: 'Priya', cosignedAt: clock });
    // Tomas, who also treats Ana, finds it co-signed already (without her in his care he is refused first, as outside_care).
    await inCareOf(c, c.tomas, c.ana);
    expect(await c.m.invoke('pt2', 'ws', 'notes.cosign', { patientId: c.ana, note: note.hash })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'This note is already co-signed by Priya.' },
    });
    const own = value<Note>(await c.m.invoke('pt', 'ws', 'notes.sign', { patientId: c.ana, note: daily }));
    expect(await c.m.invoke('pt2', 'ws', 'notes.cosign', { patientId: c.ana, note: own.hash })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    // Ana's note named under Ben, who is not in Priya's care: refused before anything is looked up.
    expect(await c.m.invoke('pt', 'ws', 'notes.cosign', { patientId: c.ben, note: note.hash })).toMatchObject({
      ok: false,
      error: { code: 'outside_care' },
    });
  });

  it('refuses notes that are empty, too long, out of range or about another patient’s visit, and stores nothing', async () => {
    const c = await clinic();
    const entries = () => count(c.m, 'SELECT count(*) AS n FROM entries');
    const before = entries();
    const refuse = async (note: unknown, message: RegExp) => {
      const result = (await c.m.invoke('pt', 'ws', 'notes.sign', { patientId: c.ana, note })) as Result<Note>;
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(message);
    };
    await refuse({ ...daily, subjective: ' ', objective: '', assessment: '', plan: '' }, /Write at least one section/);
    await refuse({ ...daily, pain: 11 }, /Pain is at most 10/);
    await refuse({ ...daily, subjective: 'é'.repeat(3_000), objective: 'é'.repeat(3_000) }, /too long to sign as one entry \(\d+ of 8000 bytes\)/);
    await refuse({ ...daily, type: 'soap' }, /Choose the kind of note/);
    await refuse({ ...daily, appointmentId: 'f'.repeat(32) }, /not one of this patient’s/);
    expect(await c.m.invoke('pt', 'ws', 'notes.addendum', { patientId: c.ana, note: 'e'.repeat(64), text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    // Only the refusals themselves (none: these were valid calls with bad content) — nothing else was written.
    expect(entries()).toBe(before);
  });

  it('two co-signatures made offline on two computers: any delivery order keeps the same one', async () => {
    const c = await clinic();
    const note = value<Note>(await c.m.invoke('pta', 'ws', 'notes.sign', { patientId: c.ana, note: daily }));
    const bKey = generateDeviceKeyPair();
    const manager = (c.m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id;
    const clinicId = (c.m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
    c.m.ledger.append({
      stream: `c:${clinicId}/public`,
      kind: 'device.enrolled',
      by: manager,
      body: { device: bKey.publicKey, label: 'Gym laptop' },
    });
    const b = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-notes-b-')), () => clock, quiet);
    opened.push(b);
    const bLedger = new Ledger(b.db, bKey, { now: () => clock, keystore: b.keystore });
    b.keystore.storeKey(c.ana, c.m.keystore.keyFor(c.ana)!, 0);
    for (const e of storedEntries(c.m.ledger)) bLedger.ingest(e.bytes, e.sig, 'sync');
    const tomas = (c.m.db.prepare("SELECT id FROM view_staff WHERE name = 'Tomas'").get() as { id: string }).id;
    cosignNote(
      { ledger: c.m.ledger, keystore: c.m.keystore },
      { patientId: c.ana, note: note.hash },
      { session: { staffId: c.priya, role: 'therapist' }, bridge: 'cli' },
    );
    cosignNote(
      { ledger: bLedger, keystore: b.keystore },
      { patientId: c.ana, note: note.hash },
      { session: { staffId: tomas, role: 'therapist' }, bridge: 'cli' },
    );
    const all = [...storedEntries(c.m.ledger), ...storedEntries(bLedger)];
    const cosigner = (db: Movelog['db']) =>
      (db.prepare('SELECT cosigned_by FROM view_notes WHERE hash = ?').get(note.hash) as { cosigned_by: string }).cosigned_by;
    let expected: string | null = null;
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (order) => {
        const fresh = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-notes-f-')), () => clock, quiet);
        try {
          fresh.keystore.storeKey(c.ana, c.m.keystore.keyFor(c.ana)!, 0);
          const ledger = new Ledger(fresh.db, generateDeviceKeyPair(), { now: () => clock, keystore: fresh.keystore });
          for (const e of order) ledger.ingest(e.bytes, e.sig, 'shuffle');
          const digest = viewDigest(fresh.db);
          expected ??= digest;
          expect(digest).toBe(expected);
          expect([c.priya, tomas]).toContain(cosigner(fresh.db));
        } finally {
          fresh.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});
