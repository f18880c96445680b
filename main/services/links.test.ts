import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PatientRecord, PatientSummary } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';
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

/** A clinic with front desk (desk), a therapist (pt) and an assistant (pta) signed in, and three patients named Tester. */
async function clinic() {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-links-')), () => clock, quiet);
  opened.push(m);
  await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Summit Physio', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' });
  const add = async (connection: string, name: string, role: string) => {
    const id = value<{ id: string }>(
      await m.invoke('mgr', 'ws', 'staff.add', { name, role, licence: role === 'therapist' ? 'PT-1' : null, passphrase: `${name} passphrase` }),
    ).id;
    value(await m.invoke(connection, 'ws', 'session.signIn', { staffId: id, passphrase: `${name} passphrase` }));
    return id;
  };
  const fran = await add('desk', 'Fran', 'front_desk');
  await add('pt', 'Priya', 'therapist');
  await add('pta', 'Alex', 'assistant');
  const patient = (given: string) => registerTestPatient(m, 'desk', given);
  return { m, fran, ana: await patient('Ana'), ben: await patient('Ben'), cleo: await patient('Cleo') };
}

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

  // The service links only a record another clinic shares (PatientSummary.sharing), which needs the
  // consent state; here the link entry is written as the service writes it, to show what follows.
  it('a linked pair: search shows both records together, each with the other as its link; the history is the demographics', async () => {
    const c = await clinic();
    const key = c.m.keystore.keyFor(c.ana)!;
    const here = (c.m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
    const hash = c.m.ledger.append(sealedDraft(key, c.ana, 'patient.linked', { other: c.cleo, otherHome: here }, c.fran)).hash;

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
    c.m.ledger.append(sealedDraft(key, c.ana, 'patient.unlinked', { other: c.cleo, otherHome: here }, c.fran));
    expect(await search('ana')).toEqual(['Ana']);
    expect(value<PatientRecord>(await c.m.invoke('desk', 'ws', 'patient.get', { patientId: c.cleo })).summary.links).toEqual([]);

    const digest = viewDigest(c.m.db);
    rebuildViews(c.m.db, c.m.keystore);
    expect(viewDigest(c.m.db)).toBe(digest);
  });
});
