import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PatientRecord, PatientSummary } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { enforceConsent } from '../ledger/consentLock.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';
import { sealingKeyOf } from '../ledger/seal.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import { registerTestPatient } from '../testing/patients.js';

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

/** A clinic with front desk (desk), a therapist (pt) and an assistant (pta) signed in. */
async function staffedClinic(name: string) {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-links-')), () => clock, quiet);
  opened.push(m);
  await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: name, managerName: 'Lee Chen', passphrase: 'manager passphrase 1' });
  const add = async (connection: string, name: string, role: string) => {
    const id = value<{ id: string }>(
      await m.invoke('mgr', 'ws', 'staff.add', { name, role, licence: role === 'therapist' ? 'PT-1' : null, passphrase: `${name} passphrase` }),
    ).id;
    value(await m.invoke(connection, 'ws', 'session.signIn', { staffId: id, passphrase: `${name} passphrase` }));
    return id;
  };
  const fran = await add('desk', 'Fran', 'front_desk');
  const priya = await add('pt', 'Priya', 'therapist');
  await add('pta', 'Alex', 'assistant');
  const clinicId = (m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
  const managerId = (m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id;
  return { m, fran, priya, clinicId, managerId };
}

/** One clinic with three patients named Tester. */
async function clinic() {
  const c = await staffedClinic('Summit Physio');
  const patient = (given: string) => registerTestPatient(c.m, 'desk', given);
  return { ...c, ana: await patient('Ana'), ben: await patient('Ben'), cleo: await patient('Cleo') };
}

type Clinic = Awaited<ReturnType<typeof staffedClinic>>;

/** `from`'s manager trusts `to` (as the Network page records it once the safety numbers match). */
function trust(from: Clinic, to: Clinic, name: string): void {
  from.m.ledger.append({
    stream: `c:${from.clinicId}/public`,
    kind: 'clinic.trusted',
    by: from.managerId,
    body: { clinic: to.clinicId, name, fingerprint: '12345 12345 12345 12345 12345 12345 12345 12345' },
  });
}

/** What sync would bring `to` from `from`: the entries of the streams that start with `prefix`, in `from`'s order. */
function deliver(from: Clinic, to: Clinic, prefix: string): void {
  const rows = from.m.db
    .prepare<[string, string], { bytes: Buffer; sig: string }>(
      'SELECT bytes, sig FROM entries WHERE substr(stream, 1, length(?)) = ? ORDER BY local_seq',
    )
    .all(prefix, prefix);
  for (const r of rows) expect(to.m.ledger.ingest(new Uint8Array(r.bytes), r.sig, 'sync').status).not.toBe('refused');
}

const noor = {
  givenName: 'Noor',
  familyName: 'Haddad',
  preferredName: null,
  dateOfBirth: '1986-05-28',
  sex: 'female',
  phone: '+44 20 7946 0101',
  email: null,
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
} as const;

const note = {
  type: 'daily',
  appointmentId: null,
  subjective: 'Shoulder stiff in the mornings.',
  objective: '',
  assessment: '',
  plan: 'Review in two weeks.',
  pain: 3,
} as const;

const entries = (m: Movelog) => (m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;

describe('linking records (docs/architecture.md#linked-records)', () => {
  it("refuses to link two of this clinic's own records, a record with itself, an unknown record, and an assistant; nothing is stored", async () => {
    const c = await clinic();
    const before = entries(c.m);
    expect(await c.m.invoke('desk', 'ws', 'patient.link', { patientId: c.ana, otherPatientId: c.ben })).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message:
          "Both records are this clinic's own. Links join this clinic's record with a record another clinic shares; two records of this clinic are duplicates to resolve here.",
      },
    });
    expect(await c.m.invoke('pt', 'ws', 'patient.link', { patientId: c.ana, otherPatientId: c.ana })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'A record cannot be linked with itself.' },
    });
    expect(await c.m.invoke('desk', 'ws', 'patient.link', { patientId: c.ana, otherPatientId: 'e'.repeat(32) })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: "There is no such patient (the other clinic's record)." },
    });
    expect(await c.m.invoke('desk', 'ws', 'patient.unlink', { patientId: c.ana, otherPatientId: c.ben })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(entries(c.m)).toBe(before);
    // The assistant's refusal is itself recorded (an access.refused), and names the request in words.
    expect(await c.m.invoke('pta', 'ws', 'patient.link', { patientId: c.ana, otherPatientId: c.ben })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(value<{ request: string }[]>(await c.m.invoke('mgr', 'ws', 'staff.refusals', {}))).toMatchObject([
      { request: "link this clinic's record of a patient with another clinic's" },
    ]);
  });

  // The order of search results, with a third record between the two in name order: the link entry is
  // written here as the service writes it, between two records of one clinic (which the service
  // refuses: the two-clinic journey below goes through it).
  it('a linked pair: search shows both records together, each with the other as its link; the history is the demographics', async () => {
    const c = await clinic();
    const key = c.m.keystore.keyFor(c.ana)!;
    const here = (c.m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
    const hash = c.m.ledger.append(sealedDraft(sealingKeyOf(key), c.ana, 'patient.linked', { other: c.cleo, otherHome: here }, c.fran)).hash;

    const search = async (query: string) =>
      value<PatientSummary[]>(await c.m.invoke('desk', 'ws', 'patient.search', { query })).map((p) => p.givenName);
    expect(await search('tester')).toEqual(['Ana', 'Cleo', 'Ben']);
    expect(await search('cleo')).toEqual(['Cleo', 'Ana']);
    expect(await search('ben')).toEqual(['Ben']);
    // The limit holds, linked records included.
    expect(value<PatientSummary[]>(await c.m.invoke('desk', 'ws', 'patient.search', { query: 'tester', limit: 1 }))).toHaveLength(1);

    const found = value<PatientSummary[]>(await c.m.invoke('desk', 'ws', 'patient.search', { query: 'ana' }));
    expect(found.map((p) => [p.givenName, p.links])).toEqual([
      ['Ana', [{ patientId: c.cleo, clinicId: here, clinicName: 'Summit Physio', own: true, notes: true }]],
      ['Cleo', [{ patientId: c.ana, clinicId: here, clinicName: 'Summit Physio', own: true, notes: true }]],
    ]);

    const record = value<PatientRecord>(await c.m.invoke('desk', 'ws', 'patient.get', { patientId: c.ana }));
    expect(record.history.map((v) => v.kind)).toEqual(['patient.registered']);
    expect(record.history.map((v) => v.hash)).not.toContain(hash);
    expect(record.summary.links.map((l) => l.patientId)).toEqual([c.cleo]);

    // Withdrawn: each record stands alone again.
    c.m.ledger.append(sealedDraft(sealingKeyOf(key), c.ana, 'patient.unlinked', { other: c.cleo, otherHome: here }, c.fran));
    expect(await search('ana')).toEqual(['Ana']);
    expect(value<PatientRecord>(await c.m.invoke('desk', 'ws', 'patient.get', { patientId: c.cleo })).summary.links).toEqual([]);

    const digest = viewDigest(c.m.db);
    rebuildViews(c.m.db, c.m.keystore);
    expect(viewDigest(c.m.db)).toBe(digest);
  });

  it('Summit links its own record of Noor with the record Harbour shares: search, the record and the notes show both, each with its clinic', async () => {
    const harbour = await staffedClinic('Harbour Rehab');
    const summit = await staffedClinic('Summit Physio');
    trust(harbour, summit, 'Summit Physio');
    trust(summit, harbour, 'Harbour Rehab');
    deliver(harbour, summit, `c:${harbour.clinicId}/public`);

    // Harbour's record of Noor, a note, and her consent that Summit sees her details and notes.
    const shared = value<PatientSummary>(
      await harbour.m.invoke('desk', 'ws', 'patient.register', { details: noor, confirmDuplicate: false }),
    ).patientId;
    value(await harbour.m.invoke('pt', 'ws', 'notes.sign', { patientId: shared, note }));
    value(
      await harbour.m.invoke('desk', 'ws', 'consent.grant', {
        patientId: shared,
        grantee: summit.clinicId,
        categories: ['profile', 'clinical'],
        from: null,
        until: null,
        purpose: 'treatment',
        note: '',
        capture: { method: 'verbal', witness: 'Sam Reyes' },
      }),
    );
    summit.m.keystore.storeKey(shared, harbour.m.keystore.keyFor(shared)!, 0);
    deliver(harbour, summit, `p:${shared}/`);

    // Summit already had its own record of her; the duplicate check finds both.
    const own = value<PatientSummary>(await summit.m.invoke('desk', 'ws', 'patient.register', { details: noor, confirmDuplicate: true })).patientId;
    const dupes = value<PatientSummary[]>(
      await summit.m.invoke('desk', 'ws', 'patient.findDuplicates', {
        givenName: 'Noor',
        familyName: 'Haddad',
        dateOfBirth: '1986-05-28',
        phone: null,
      }),
    );
    expect(new Map(dupes.map((d) => [d.patientId, d.sharing?.homeClinicName ?? null]))).toEqual(
      new Map([
        [own, null],
        [shared, 'Harbour Rehab'],
      ]),
    );

    // The shared record first, or linked twice: refused, nothing stored.
    const before = entries(summit.m);
    expect(await summit.m.invoke('desk', 'ws', 'patient.link', { patientId: shared, otherPatientId: own })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/^The first record is shared by another clinic/) as unknown },
    });
    expect(entries(summit.m)).toBe(before);
    const linked = value<PatientSummary>(await summit.m.invoke('desk', 'ws', 'patient.link', { patientId: own, otherPatientId: shared }));
    expect(linked.links).toEqual([{ patientId: shared, clinicId: harbour.clinicId, clinicName: 'Harbour Rehab', own: false, notes: true }]);
    expect(await summit.m.invoke('pt', 'ws', 'patient.link', { patientId: own, otherPatientId: shared })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'These records are already linked.' },
    });
    // One signed entry, sealed, in Summit's own record's profile stream.
    expect(summit.m.db.prepare("SELECT stream FROM entries WHERE kind = 'patient.linked'").all()).toEqual([{ stream: `p:${own}/profile` }]);

    // Search: both records, together, each saying whose it is.
    const found = value<PatientSummary[]>(await summit.m.invoke('desk', 'ws', 'patient.search', { query: 'haddad' }));
    const label = (p: PatientSummary) => (p.sharing ? `Shared by ${p.sharing.homeClinicName ?? '?'}` : 'own');
    expect(new Map(found.map((p) => [p.patientId, [label(p), p.links.map((l) => l.clinicName)]]))).toEqual(
      new Map([
        [own, ['own', ['Harbour Rehab']]],
        [shared, ['Shared by Harbour Rehab', ['Summit Physio']]],
      ]),
    );
    // Summit's therapist opens the shared record within her own care (docs/architecture.md#break-the-glass):
    // a visit at Summit with Summit's own record of Noor, linked with it, puts her in Noor's care.
    expect(await summit.m.invoke('pt', 'ws', 'patient.get', { patientId: shared })).toMatchObject({ ok: false, error: { code: 'outside_care' } });
    const type = value<{ typeId: string }>(
      await summit.m.invoke('mgr', 'ws', 'schedule.defineType', {
        typeId: null,
        name: 'Follow-up',
        minutes: 30,
        category: 'follow_up',
        active: true,
      }),
    ).typeId;
    value(
      await summit.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: own,
        therapistId: summit.priya,
        roomId: null,
        typeId: type,
        start: clock + 24 * 3_600_000,
        weeks: 1,
        allowConflict: true,
      }),
    );
    const record = value<PatientRecord>(await summit.m.invoke('pt', 'ws', 'patient.get', { patientId: shared }));
    expect(record.summary.links).toEqual([{ patientId: own, clinicId: summit.clinicId, clinicName: 'Summit Physio', own: true, notes: true }]);

    // The chart of the linked record: Harbour's notes are read through notes.list, and that reading is
    // recorded in Harbour's record (its access stream goes back to Harbour).
    const reads = () =>
      (summit.m.db.prepare("SELECT count(*) AS n FROM entries WHERE kind = 'access.read' AND stream = ?").get(`p:${shared}/access`) as { n: number })
        .n;
    const readsBefore = reads();
    const notes = value<{ body: { sections: { subjective?: string } } | null }[]>(
      await summit.m.invoke('pt', 'ws', 'notes.list', { patientId: shared }),
    );
    expect(notes.map((n) => n.body?.sections.subjective)).toEqual(['Shoulder stiff in the mornings.']);
    expect(reads()).toBe(readsBefore + 1);

    // Harbour withdraws consent: the link stays in Summit's own record, the shared record is locked
    // and its notes are no longer offered; a new link is refused.
    const grant = (harbour.m.db.prepare("SELECT hash FROM entries WHERE kind = 'consent.granted'").get() as { hash: string }).hash;
    value(
      await harbour.m.invoke('desk', 'ws', 'consent.revoke', {
        patientId: shared,
        clinic: summit.clinicId,
        grant,
        categories: ['profile', 'clinical'],
        reason: 'The patient asked us to stop sharing.',
      }),
    );
    deliver(harbour, summit, `p:${shared}/consent`);
    enforceConsent(summit.m.db, summit.m.keystore, clock + 1);
    const after = value<PatientRecord>(await summit.m.invoke('desk', 'ws', 'patient.get', { patientId: own }));
    expect(after.summary.links).toEqual([{ patientId: shared, clinicId: harbour.clinicId, clinicName: 'Harbour Rehab', own: false, notes: false }]);
    value(await summit.m.invoke('desk', 'ws', 'patient.unlink', { patientId: own, otherPatientId: shared }));
    expect(await summit.m.invoke('desk', 'ws', 'patient.link', { patientId: own, otherPatientId: shared })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/^Harbour Rehab no longer shares this record with this clinic/) as unknown },
    });

    const digest = viewDigest(summit.m.db);
    rebuildViews(summit.m.db, summit.m.keystore);
    expect(viewDigest(summit.m.db)).toBe(digest);
  });
});
