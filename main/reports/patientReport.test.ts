// The patient's accounting of access and disclosures (docs/architecture.md#the-patients-accounting):
// two clinics in one process, entries carried between them as sync carries them; the report
// through the API, and the PDF read back as a reader sees it (poppler's pdftotext).
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobState, PatientAccessReport, PatientSummary } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { enforceConsent } from '../ledger/consentLock.js';
import { reportPeriod } from '../services/patientReport.js';
import { drawPatientReport, renderPatientReport, writePatientReport } from './patientReport.js';
import { readPdf, renderPdfPages } from './testing/poppler.js';

const quiet = { warn: () => undefined, error: () => undefined };
const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** The report is asked for on 23 November 2026; the clinics' clock is moved back to write older history. */
const TODAY = Date.UTC(2026, 10, 23, 10);
let now = TODAY;

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};

const opened: Movelog[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const m of opened.splice(0)) m.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A clinic with a front desk (desk), a therapist (pt) and the manager (mgr) signed in. */
async function staffedClinic(name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'movelog-accounting-'));
  dirs.push(dir);
  const m = openMovelog(dir, () => now, quiet);
  opened.push(m);
  value(await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: name, managerName: `${name} Manager`, passphrase: 'manager passphrase 1' }));
  const add = async (connection: string, staff: string, role: string) => {
    const id = value<{ id: string }>(
      await m.invoke('mgr', 'ws', 'staff.add', {
        name: staff,
        role,
        licence: role === 'therapist' ? 'PT-1' : null,
        passphrase: `${staff} passphrase`,
      }),
    ).id;
    value(await m.invoke(connection, 'ws', 'session.signIn', { staffId: id, passphrase: `${staff} passphrase` }));
    return id;
  };
  const desk = await add('desk', `${name} Desk`, 'front_desk');
  const pt = await add('pt', `${name} Therapist`, 'therapist');
  const clinicId = (m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
  const managerId = (m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id;
  /** Signs everyone in again: sessions lock after a while without activity, and the test moves the clock by years. */
  const wake = async () => {
    value(await m.invoke('mgr', 'ws', 'session.signIn', { staffId: managerId, passphrase: 'manager passphrase 1' }));
    value(await m.invoke('desk', 'ws', 'session.signIn', { staffId: desk, passphrase: `${name} Desk passphrase` }));
    value(await m.invoke('pt', 'ws', 'session.signIn', { staffId: pt, passphrase: `${name} Therapist passphrase` }));
  };
  return { m, desk, pt, clinicId, managerId, wake };
}

/** Moves both clinics' clocks to `at` and signs the staff of `clinics` in again. */
async function clockAt(at: number, ...clinics: Clinic[]): Promise<void> {
  now = at;
  for (const c of clinics) await c.wake();
}
type Clinic = Awaited<ReturnType<typeof staffedClinic>>;

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

const zoe = {
  givenName: 'Zoë',
  familyName: 'Łukasiewicz-Ørsted',
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

let harbour: Clinic;
let summit: Clinic;
let patientId = '';
let grantHash = '';

const report = async (clinic: Clinic, input: object = {}, connection = 'desk') =>
  clinic.m.invoke(connection, 'ws', 'patient.accessReport', { patientId, ...input });

beforeAll(async () => {
  // Seven years ago Harbour registered Zoë and its manager opened her record.
  now = TODAY - 7 * YEAR;
  harbour = await staffedClinic('Harbour Rehab');
  summit = await staffedClinic('Summit Physio');
  trust(harbour, summit, 'Summit Physio');
  trust(summit, harbour, 'Harbour Rehab');
  deliver(harbour, summit, `c:${harbour.clinicId}/public`);
  deliver(summit, harbour, `c:${summit.clinicId}/public`);
  patientId = value<PatientSummary>(await harbour.m.invoke('desk', 'ws', 'patient.register', { details: zoe, confirmDuplicate: false })).patientId;
  value(await harbour.m.invoke('mgr', 'ws', 'patient.get', { patientId }));

  // A year ago she consented that Summit sees her details and notes, for a second opinion.
  await clockAt(TODAY - YEAR, harbour);
  value(
    await harbour.m.invoke('desk', 'ws', 'consent.grant', {
      patientId,
      grantee: summit.clinicId,
      categories: ['profile', 'clinical'],
      from: null,
      until: null,
      purpose: 'second_opinion',
      note: 'Knee surgery',
      capture: { method: 'verbal', witness: 'Sam Reyes' },
    }),
  );
  grantHash = (harbour.m.db.prepare("SELECT hash FROM entries WHERE kind = 'consent.granted'").get() as { hash: string }).hash;
  summit.m.keystore.storeKey(patientId, harbour.m.keystore.keyFor(patientId)!, 0);
  deliver(harbour, summit, `p:${patientId}/`);

  // Summit's therapist, who has no visit with her, breaks the glass (an emergency reading of her
  // details, with the reason), then reads her notes within its hours; the readings travel home in
  // her access stream.
  await clockAt(TODAY - YEAR + 2 * DAY, summit);
  value(await summit.m.invoke('pt', 'ws', 'patient.breakGlass', { patientId, reason: 'Unconscious on arrival, checking for allergies' }));
  now += 60_000;
  value(await summit.m.invoke('pt', 'ws', 'notes.list', { patientId }));
  now += 60_000;
  // Summit's front desk sees her in a search: recorded in Summit's private stream, which never leaves Summit.
  value(await summit.m.invoke('desk', 'ws', 'patient.search', { query: 'zoë' }));
  deliver(summit, harbour, `p:${patientId}/access`);
  deliver(summit, harbour, `c:${summit.clinicId}/private`);

  // Harbour's front desk finds her in a search.
  await clockAt(TODAY - 30 * DAY, harbour);
  value(await harbour.m.invoke('desk', 'ws', 'patient.search', { query: 'Łukasiewicz' }));

  // Ten days ago she withdrew her consent.
  await clockAt(TODAY - 10 * DAY, harbour);
  value(
    await harbour.m.invoke('desk', 'ws', 'consent.revoke', {
      patientId,
      clinic: summit.clinicId,
      grant: grantHash,
      categories: ['profile', 'clinical'],
      reason: 'Second opinion done.',
    }),
  );
  await clockAt(TODAY, harbour, summit);
}, 120_000);

describe("the patient's accounting (patient.accessReport)", () => {
  it('lists readings at another clinic with its name, emergency readings with their reason, and lists seen here', async () => {
    const r = value<PatientAccessReport>(await report(harbour));
    expect(r.patient).toEqual({ patientId, givenName: 'Zoë', familyName: 'Łukasiewicz-Ørsted', dateOfBirth: '1986-05-28' });
    expect([r.from, r.to, r.clinicName, r.shared]).toEqual(['2020-11-23', '2026-11-23', 'Harbour Rehab', false]);
    const lines = r.accesses.map((a) => [a.clinicName, a.staffName, a.role, a.what, a.mode, a.reason]);
    expect(lines).toEqual([
      ['Summit Physio', 'Summit Physio Therapist', 'therapist', 'profile', 'emergency', 'Unconscious on arrival, checking for allergies'],
      ['Summit Physio', 'Summit Physio Therapist', 'therapist', 'clinical', 'ordinary', null],
      ['Harbour Rehab', 'Harbour Rehab Desk', 'front_desk', 'listed', 'ordinary', null],
    ]);
    expect(r.accesses.map((a) => a.here)).toEqual([false, false, true]);
    expect(r.accesses[2]?.action).toBe('saw the patient in a list (search for patients)');
  });

  it('a consent granted and then withdrawn: both dates, what, purpose, how it was given, and the openings there', async () => {
    const r = value<PatientAccessReport>(await report(harbour));
    expect(r.disclosures).toHaveLength(1);
    const d = r.disclosures[0]!;
    expect(d).toMatchObject({
      hash: grantHash,
      clinicName: 'Summit Physio',
      categories: ['profile', 'clinical'],
      purpose: 'Second opinion: Knee surgery',
      capture: 'Given aloud before Sam Reyes',
      recordedBy: 'Harbour Rehab Desk',
      from: TODAY - YEAR,
      recordedAt: TODAY - YEAR,
      until: null,
      ended: TODAY - 10 * DAY,
      status: 'revoked',
      openings: 2,
    });
    expect(d.revocations).toMatchObject([{ at: TODAY - 10 * DAY, categories: ['profile', 'clinical'], reason: 'Second opinion done.' }]);
  });

  it('covers six years back to today by default; an older period is asked for with from', async () => {
    const older = value<PatientAccessReport>(await report(harbour, { from: '2019-01-01', to: '2019-12-31' }));
    expect(older.accesses.map((a) => [a.staffName, a.what])).toEqual([['Harbour Rehab Manager', 'profile']]);
    expect(older.disclosures).toEqual([]);
    // The month before the withdrawal: Harbour's search only, and the consent then in force.
    const month = value<PatientAccessReport>(await report(harbour, { from: '2026-10-01', to: '2026-11-01' }));
    expect(month.accesses.map((a) => a.what)).toEqual(['listed']);
    expect(month.disclosures.map((d) => [d.hash, d.openings])).toEqual([[grantHash, 0]]);
  });

  it('refuses a therapist, a period that ends before it starts, an unknown patient, an erased record, and a computer without the key', async () => {
    expect(await report(harbour, {}, 'pt')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await report(harbour, { from: '2026-02-01', to: '2026-01-01' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'The period must start before it ends.' },
    });
    expect(await report(harbour, { to: '2026-02-30' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('does not exist') as unknown },
    });
    expect(await harbour.m.invoke('desk', 'ws', 'patient.accessReport', { patientId: 'e'.repeat(32) })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    // An erased record leaves nothing to report.
    const erased = value<PatientSummary>(
      await harbour.m.invoke('desk', 'ws', 'patient.register', { details: { ...zoe, givenName: 'Ben', familyName: 'Gone' }, confirmDuplicate: true }),
    ).patientId;
    value(
      await harbour.m.invoke('mgr', 'ws', 'patient.erase', {
        patientId: erased,
        requestedOn: '2026-11-20',
        receivedVia: 'letter',
        overrideReason: 'Registered by mistake',
        confirm: 'Gone',
      }),
    );
    expect(await harbour.m.invoke('desk', 'ws', 'patient.accessReport', { patientId: erased })).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message:
          "This patient's record was erased on 2026-11-23 at the patient's request: nothing readable is left of it, so no access report can be made.",
      },
    });
    // At Summit the consent ended: the key is destroyed, and the report says who can make it.
    deliver(harbour, summit, `p:${patientId}/consent`);
    enforceConsent(summit.m.db, summit.m.keystore, now);
    expect(await report(summit)).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message:
          "Harbour Rehab no longer shares this record with this clinic, so it is locked here: it cannot name the patient nor tell what was read, so it cannot make their access report. The patient's home clinic, Harbour Rehab, can make it.",
      },
    });
  });

  it('records that whoever asked for it saw the patient (access.listed naming her)', async () => {
    const before = (harbour.m.db.prepare("SELECT count(*) AS n FROM entries WHERE kind = 'access.listed'").get() as { n: number }).n;
    // Past the 15 minutes within which a repeated listing is not recorded again.
    await clockAt(TODAY + 20 * 60_000, harbour);
    value(await report(harbour, {}, 'mgr'));
    const rows = harbour.m.db.prepare("SELECT bytes FROM entries WHERE kind = 'access.listed' ORDER BY local_seq").all() as { bytes: Buffer }[];
    expect(rows.length).toBeGreaterThan(before);
    const last = JSON.parse(rows.at(-1)!.bytes.toString('utf8')) as { body: { call: string; patients: string[] } };
    expect(last.body).toMatchObject({ call: 'patient.accessReport', patients: [patientId] });
    await clockAt(TODAY, harbour);
  }, 30_000);
});

describe('the period', () => {
  it('is clinic-local days, both included; six years back by default, 29 February falling back to the 28th', () => {
    // 29 Feb 2028, 23:30 in Auckland is still the 29th there (10:30 UTC).
    const p = reportPeriod({}, 'Pacific/Auckland', Date.UTC(2028, 1, 29, 10, 30));
    expect([p.from, p.to]).toEqual(['2022-02-28', '2028-02-29']);
    expect(p.fromAt).toBe(Date.UTC(2022, 1, 27, 11)); // midnight of the 28th in Auckland (UTC+13)
    expect(p.toAt).toBe(Date.UTC(2028, 1, 29, 11)); // midnight of 1 March 2028 in Auckland
    expect(reportPeriod({ from: '2026-03-01', to: '2026-03-01' }, 'UTC', 0)).toEqual({
      from: '2026-03-01',
      to: '2026-03-01',
      fromAt: Date.UTC(2026, 2, 1),
      toAt: Date.UTC(2026, 2, 2),
    });
    expect(() => reportPeriod({ from: '2026-03-02', to: '2026-03-01' }, 'UTC', 0)).toThrow('The period must start before it ends.');
  });
});

describe('the printed report', () => {
  it('names the patient in her own script, the reading at Summit, the emergency, the disclosure and what the report cannot list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'movelog-accounting-pdf-'));
    dirs.push(dir);
    const file = join(dir, 'report.pdf');
    const progress: number[] = [];
    const { rows } = await renderPatientReport(harbour.m.db, { patientId }, createWriteStream(file), {
      now: TODAY,
      onProgress: (done) => progress.push(done),
    });
    // Three accesses and one disclosure, and the reports asked for by the tests above (each a listing).
    expect(rows).toBeGreaterThanOrEqual(4);
    expect(progress.at(-1)).toBe(rows);
    const { pages } = readPdf(file);
    expect(renderPdfPages(file, 1, pages)).toBeGreaterThan(0);
    // In the order drawn (-raw), so a cell that wraps reads as one run of words.
    const flat = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const words of [
      'Who accessed your record, and what was shared',
      'Zoë Łukasiewicz-Ørsted',
      patientId,
      '1. Who accessed your record',
      'Summit Physio Therapist',
      'Yes: Unconscious on arrival, checking for allergies',
      'are not shared with Harbour Rehab',
      '2. Disclosures to other clinics',
      '45 CFR 164.528',
      'Second opinion: Knee surgery',
      'Given aloud before Sam Reyes',
      'Second opinion done.',
      grantHash.slice(0, 16),
      'page 1',
    ])
      expect(flat).toContain(words);
    // One access row: who, role, clinic, what, not an emergency; one disclosure row: the clinic, what, purpose.
    expect(flat).toMatch(/Summit Physio Therapist Therapist Summit Physio read the clinical notes No/);
    expect(flat).toMatch(/Summit Physio details \(name, date of birth, contact, insurance\), clinical notes Second opinion: Knee surgery Recorded/);
  });

  it('says so when there is nothing to list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'movelog-accounting-pdf-'));
    dirs.push(dir);
    const file = join(dir, 'empty.pdf');
    const r = value<PatientAccessReport>(await report(harbour, { from: '2010-01-01', to: '2010-12-31' }));
    await drawPatientReport(r, createWriteStream(file));
    const flat = readPdf(file).text.replace(/\s+/g, ' ');
    expect(flat).toContain('No one accessed your record in this period.');
    expect(flat).toContain('Your record was not shared with any other clinic in this period.');
  });

  it('prints as a job off the main thread: the PDF is downloaded once, and the reading recorded', async () => {
    const listed = () =>
      (harbour.m.db.prepare('SELECT count(*) AS n FROM view_patient_listed WHERE patient_id = ?').get(patientId) as { n: number }).n;
    const before = listed();
    // Past the 15 minutes within which a repeated listing is not recorded again.
    await clockAt(TODAY + 40 * 60_000, harbour);
    const started = value<JobState>(await harbour.m.invoke('desk', 'ws', 'job.start', { kind: 'patient.accessReport', input: { patientId } }));
    await harbour.m.jobs.settled(started.id);
    const state = value<JobState>(await harbour.m.invoke('desk', 'ws', 'job.state', { id: started.id }));
    expect(state).toMatchObject({ status: 'done', message: null, download: { name: `access-report-${patientId}.pdf`, mime: 'application/pdf' } });
    const download = harbour.m.jobs.takeDownload((state.download?.url ?? '').replace('/download/', ''));
    const flat = readPdf(download?.path ?? '').text.replace(/\s+/g, ' ');
    download?.release();
    expect(flat).toContain('Zoë Łukasiewicz-Ørsted');
    expect(flat).toContain('Summit Physio Therapist');
    expect(listed()).toBe(before + 1);
    // Recorded as the report it is, in the words the next report shows.
    const last = harbour.m.db.prepare("SELECT bytes FROM entries WHERE kind = 'access.listed' ORDER BY local_seq DESC LIMIT 1").get() as {
      bytes: Buffer;
    };
    expect((JSON.parse(last.bytes.toString('utf8')) as { body: { call: string } }).body.call).toBe('patient.accessReport');
    // The therapist may not print it; a bad period is refused before any work.
    expect(await harbour.m.invoke('pt', 'ws', 'job.start', { kind: 'patient.accessReport', input: { patientId } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await harbour.m.invoke('desk', 'ws', 'job.start', { kind: 'patient.accessReport', input: { patientId, from: '2026-03-02', to: '2026-03-01' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('The period must start before it ends.') as unknown },
    });
    await clockAt(TODAY, harbour);
  }, 60_000);

  it('stops at once when aborted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'movelog-accounting-pdf-'));
    dirs.push(dir);
    const controller = new AbortController();
    controller.abort();
    await expect(
      renderPatientReport(harbour.m.db, { patientId }, createWriteStream(join(dir, 'x.pdf')), { now: TODAY, signal: controller.signal }),
    ).rejects.toThrow();
    // Written to a path: nothing is left, under the final name or a partial one.
    const out = join(dir, 'aborted.pdf');
    await expect(writePatientReport(harbour.m.db, { patientId }, out, { now: TODAY, signal: controller.signal })).rejects.toThrow();
    expect(readdirSync(dir).filter((n) => n.startsWith('aborted'))).toEqual([]);
    // A refusal (unknown patient) leaves nothing either.
    await expect(writePatientReport(harbour.m.db, { patientId: 'e'.repeat(32) }, out, { now: TODAY })).rejects.toThrow('There is no such patient.');
    expect(readdirSync(dir).filter((n) => n.startsWith('aborted'))).toEqual([]);
    await writePatientReport(harbour.m.db, { patientId }, out, { now: TODAY });
    expect(readdirSync(dir).filter((n) => n.startsWith('aborted'))).toEqual(['aborted.pdf']);
  });
});
