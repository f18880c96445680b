// The manager's audit report (docs/architecture.md#audit-report): the view is derived (a rebuild
// gives the same rows), the filters select what they say, keyset paging yields every row once in
// order for any filter, the CSV is RFC 4180 and formula-safe, and the PDF reads as it should.
import { mkdtempSync, readFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditFilter, AuditRow } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';
import { registerTestPatient } from '../testing/patients.js';
import { auditRows } from '../views/audit.js';
import { auditRowsPage, auditSelection, auditSummary, csvField, renderAuditCsv, renderAuditPdf, AUDIT_CSV_COLUMNS } from './audit.js';
import { readPdf } from './testing/poppler.js';
import type { JobState } from '../../shared/api/index.js';
import { EXPORTS_DIR } from '../jobs/runner.js';

const quiet = { warn: () => undefined, error: () => undefined };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2 March 2026, 08:00 UTC (09:00 in Berlin); every call advances the clock irregularly, many entries share a millisecond. */
const START = Date.UTC(2026, 2, 2, 8);
let clock = START;

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};

let m: Movelog;
let dir: string;
const fx = { manager: '', therapist: '', desk: '', ana: '', ben: '', cleo: '' };

/** Moves the clock on and signs everyone in again (the screen locks after a while without activity). */
async function advance(ms: number): Promise<void> {
  clock += ms;
  for (const [conn, id] of [
    ['manager', fx.manager],
    ['therapist', fx.therapist],
    ['desk', fx.desk],
  ] as const)
    value(await m.invoke(conn, 'ws', 'session.signIn', { staffId: id, passphrase: `${conn} passphrase 1` }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'movelog-audit-'));
  m = openMovelog(dir, () => clock, quiet);
  value(
    await m.invoke('manager', 'ws', 'clinic.setup', {
      clinicName: 'Harbour Rehab',
      managerName: 'Łucja Øberg',
      passphrase: 'manager passphrase 1',
    }),
  );
  value(await m.invoke('manager', 'ws', 'settings.update', { timeZone: 'Europe/Berlin' }));
  fx.manager = value<{ staffId: string }>(await m.invoke('manager', 'ws', 'session.current', {})).staffId;
  for (const [conn, role, name] of [
    ['therapist', 'therapist', 'Ζωή Παπαδοπούλου'],
    ['desk', 'front_desk', 'Fran = Desk'],
  ] as const) {
    const id = value<{ id: string }>(
      await m.invoke('manager', 'ws', 'staff.add', { name, role, licence: role === 'therapist' ? 'PT-1' : null, passphrase: `${conn} passphrase 1` }),
    ).id;
    value(await m.invoke(conn, 'ws', 'session.signIn', { staffId: id, passphrase: `${conn} passphrase 1` }));
    if (role === 'therapist') fx.therapist = id;
    else fx.desk = id;
  }
  fx.ana = await registerTestPatient(m, 'desk', 'Ana');
  fx.ben = await registerTestPatient(m, 'desk', 'Ben');
  await advance(DAY + 7);
  fx.cleo = await registerTestPatient(m, 'desk', 'Cleo');
  const type = value<{ typeId: string }>(
    await m.invoke('manager', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
  ).typeId;
  for (const [i, patientId] of [fx.ana, fx.ben, fx.cleo].entries()) {
    await advance(HOUR + i);
    value(
      await m.invoke('desk', 'ws', 'schedule.book', {
        patientId,
        therapistId: fx.therapist,
        roomId: null,
        typeId: type,
        start: START + 3 * DAY + i * HOUR,
        weeks: 2,
        allowConflict: true,
      }),
    );
  }
  await advance(DAY);
  value(await m.invoke('therapist', 'ws', 'patient.get', { patientId: fx.ana }));
  value(await m.invoke('therapist', 'ws', 'notes.list', { patientId: fx.ana }));
  value(
    await m.invoke('therapist', 'ws', 'notes.sign', {
      patientId: fx.ana,
      note: { type: 'daily', appointmentId: null, subjective: 'Better.', objective: '', assessment: '', plan: '', pain: 2 },
    }),
  );
  value(await m.invoke('desk', 'ws', 'patient.search', { query: 'tester' }));
  // A refused request: the front desk may not add staff.
  expect(await m.invoke('desk', 'ws', 'staff.add', { name: 'X', role: 'manager', licence: null, passphrase: 'whatever passphrase' })).toMatchObject({
    ok: false,
  });
  await advance(3 * DAY);
  value(await m.invoke('therapist', 'ws', 'schedule.range', { from: START, to: START + 14 * DAY }));
  // Flush refusals recorded in bulk (refusals.ts) so they are entries now.
  m.close();
  m = openMovelog(dir, () => clock, quiet);
}, 60_000);
afterAll(() => m.close());

const MONTH: AuditFilter = { from: '2026-03-01', to: '2026-03-31' };
const all = (filter: AuditFilter): AuditRow[] => auditRowsPage(m.db, filter, null, 100_000).rows;

describe('the audit view', () => {
  it('holds one row per audited entry and equals a rebuild from the entries', () => {
    const entries = m.db
      .prepare("SELECT count(*) AS n FROM entries WHERE kind NOT IN ('checkpoint.signed', 'checkpoint.witnessed', 'trust.secret')")
      .get() as {
      n: number;
    };
    expect(m.db.prepare('SELECT count(*) AS n FROM view_audit').get()).toEqual(entries);
    const before = viewDigest(m.db);
    rebuildViews(m.db, m.keystore);
    expect(viewDigest(m.db)).toBe(before);
  });

  it('says who, role, computer, clinic and, for an opening, what', () => {
    const opened = all({ ...MONTH, action: 'access.read' });
    expect(opened.length).toBe(2);
    expect(opened.map((r) => r.what).sort()).toEqual(['clinical', 'profile']);
    for (const r of opened) {
      expect(r).toMatchObject({ staffId: fx.therapist, staffName: 'Ζωή Παπαδοπούλου', role: 'therapist', patientId: fx.ana, mode: 'ordinary' });
      expect(r.patientName).toBe('Tester, Ana');
      expect(r.clinicName).toBe('Harbour Rehab');
      expect(r.deviceLabel).not.toBeNull();
    }
    const listed = all({ ...MONTH, action: 'access.listed', staffId: fx.desk });
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((r) => r.role === 'front_desk' && r.via === 'ws' && r.patientId === null && (r.patients ?? 0) > 0)).toBe(true);
  });
});

describe('filters', () => {
  it('by staff member, action and day (clinic-local days)', () => {
    expect(all({ ...MONTH, staffId: fx.desk }).every((r) => r.staffId === fx.desk)).toBe(true);
    expect(all({ ...MONTH, action: 'appointment.booked' }).length).toBe(6);
    // The first day holds the setup and the first two registrations; Cleo came a day later.
    const first = all({ from: '2026-03-02', to: '2026-03-02' });
    expect(first.some((r) => r.action === 'clinic.created')).toBe(true);
    expect(first.filter((r) => r.action === 'patient.registered').map((r) => r.patientId)).not.toContain(fx.cleo);
    expect(all({ from: '2026-02-01', to: '2026-02-28' })).toEqual([]);
    // A Berlin day starts at 23:00 UTC the day before in winter.
    const berlin = all({ from: '2026-03-02', to: '2026-03-02' });
    expect(Math.min(...berlin.map((r) => r.at))).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 1, 23));
  });

  it('by patient: their own streams and the lists that showed them', () => {
    const rows = all({ ...MONTH, patientId: fx.ben });
    const kinds = new Set(rows.map((r) => r.action));
    expect(kinds).toContain('patient.registered');
    expect(kinds).toContain('appointment.booked');
    expect(kinds).toContain('access.listed');
    expect(rows.every((r) => r.patientId === fx.ben || r.action === 'access.listed')).toBe(true);
    expect(rows.some((r) => r.patientId === fx.ana)).toBe(false);
  });

  it('by clinic: the clinic whose computer signed', () => {
    const clinic = all(MONTH)[0]?.clinicId as string;
    expect(all({ ...MONTH, clinicId: clinic }).length).toBe(all(MONTH).length);
    expect(all({ ...MONTH, clinicId: 'f'.repeat(64) })).toEqual([]);
  });

  it('pages through every row exactly once, newest first, for any filter and page size', () => {
    const staff = [undefined, fx.manager, fx.therapist, fx.desk];
    const patients = [undefined, fx.ana, fx.ben, fx.cleo];
    const actions = [undefined, 'access.listed', 'appointment.booked', 'patient.registered', 'access.read'];
    const days = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-06', '2026-03-10'];
    fc.assert(
      fc.property(
        fc.constantFrom(...staff),
        fc.constantFrom(...patients),
        fc.constantFrom(...actions),
        fc.constantFrom(...days),
        fc.constantFrom(...days),
        fc.integer({ min: 1, max: 7 }),
        (staffId, patientId, action, a, b, limit) => {
          const filter = Object.fromEntries(
            Object.entries({ from: a < b ? a : b, to: a < b ? b : a, staffId, patientId, action }).filter(([, v]) => v !== undefined),
          ) as AuditFilter;
          const expected = all(filter);
          const seen: AuditRow[] = [];
          let after = null;
          for (let guard = 0; guard < 1000; guard++) {
            const page: { rows: AuditRow[]; next: { at: number; hash: string } | null } = auditRowsPage(m.db, filter, after, limit);
            seen.push(...page.rows);
            expect(page.rows.length).toBeLessThanOrEqual(limit);
            if (page.next === null) break;
            after = page.next;
          }
          expect(seen.map((r) => r.hash)).toEqual(expected.map((r) => r.hash));
          for (let i = 1; i < seen.length; i++) {
            const [p, q] = [seen[i - 1] as AuditRow, seen[i] as AuditRow];
            expect(p.at > q.at || (p.at === q.at && p.hash > q.hash)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('export reading', () => {
  it('reads the same rows as the screen, in the same order, across page boundaries', () => {
    for (const filter of [MONTH, { ...MONTH, patientId: fx.ben }, { ...MONTH, staffId: fx.desk }]) {
      const s = auditSelection(m.db, filter);
      expect([...auditRows(m.db, s, 3)]).toEqual(all(filter));
    }
  });
});

describe('summary', () => {
  it('counts by action and staff, refusals, and says integrity was not verified yet', () => {
    const s = auditSummary(m.db, MONTH, null);
    expect(s.total).toBe(all(MONTH).length);
    expect(s.byAction.find((a) => a.action === 'appointment.booked')?.count).toBe(6);
    expect(s.byStaff.reduce((n, x) => n + x.count, 0)).toBe(s.total);
    expect(s.refused).toBe(1);
    expect(s.emergencies).toBe(0);
    expect(s.integrity).toBeNull();
    expect(s.timeZone).toBe('Europe/Berlin');
  });
});

describe('CSV', () => {
  it('quotes as RFC 4180 says and neutralises formulas (OWASP)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('=1+1')).toBe(`"'=1+1"`);
    expect(csvField('+44 1234')).toBe(`"'+44 1234"`);
    expect(csvField('-2')).toBe(`"'-2"`);
    expect(csvField('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvField('\tx')).toBe(`"'\tx"`);
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
    expect(csvField('Fran = Desk')).toBe('Fran = Desk');
  });

  it('writes a header and one line per row, parseable back', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const progress: number[] = [];
    const { rows } = await renderAuditCsv(m.db, MONTH, sink, { onProgress: (done) => progress.push(done) });
    const text = Buffer.concat(chunks).toString('utf8');
    const lines = parseCsv(text);
    expect(lines[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(lines.length - 1).toBe(rows);
    expect(rows).toBe(all(MONTH).length);
    expect(progress[progress.length - 1]).toBe(rows);
    const first = all(MONTH)[0] as AuditRow;
    expect(lines[1]?.[0]).toBe(new Date(first.at).toISOString());
    expect(lines[1]?.[1]).toBe(first.hash);
    expect(lines.slice(1).some((l) => l[4] === 'Ζωή Παπαδοπούλου')).toBe(true);
    expect(lines.slice(1).every((l) => l.length === AUDIT_CSV_COLUMNS.length)).toBe(true);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const sink = new PassThrough();
    sink.resume();
    await expect(renderAuditCsv(m.db, MONTH, sink, { signal: controller.signal })).rejects.toThrow();
  });
});

/** A strict RFC 4180 reader, to read the CSV back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

describe('PDF', () => {
  it('has the summary page, then the rows, with names in any script', async () => {
    const file = join(dir, 'audit.pdf');
    const out = createWriteStream(file);
    const { rows } = await renderAuditPdf(m.db, MONTH, out, { integrity: null, madeBy: 'Łucja Øberg', now: clock });
    expect(rows).toBe(all(MONTH).length);
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text, pages } = readPdf(file);
    expect(pages).toBeGreaterThanOrEqual(2);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Audit report');
    expect(flat).toContain('2026-03-01 to 2026-03-31');
    expect(flat).toContain(`Entries ${rows}`);
    expect(flat).toContain('Refused requests 1');
    expect(flat).toContain('Not verified on this computer yet');
    expect(flat).toContain('Ζωή Παπαδοπούλου');
    expect(flat).toContain('Łucja Øberg');
    expect(flat).toContain('booked a visit');
    expect(flat).toContain('Tester, Ana');
    expect(flat).toMatch(/By action Action Kind Entries/);
    expect(flat).toContain('appointment.booked 6');
  });
});

describe('exports as jobs (docs/architecture.md#long-work-off-the-main-thread)', () => {
  it('a manager exports the CSV; the patients it names are recorded as read by the manager', async () => {
    await advance(0);
    // The rows as they stand when the job starts (its own reading is recorded after it).
    const rows = all(MONTH).length;
    const started = value<JobState>(await m.invoke('manager', 'ws', 'job.start', { kind: 'audit.csv', input: MONTH }));
    await m.jobs.settled(started.id);
    const state = value<JobState>(await m.invoke('manager', 'ws', 'job.state', { id: started.id }));
    expect(state).toMatchObject({ status: 'done', message: null, result: { rows } });
    const file = join(m.dataDir, EXPORTS_DIR, started.id);
    const text = readFileSync(file, 'utf8');
    expect(parseCsv(text).length - 1).toBe((state.result as { rows: number }).rows);
    const recorded = m.db
      .prepare("SELECT DISTINCT l.patient_id FROM view_patient_listed l WHERE l.call = 'job.start' AND l.staff_id = ? ORDER BY 1")
      .all(fx.manager)
      .map((r) => (r as { patient_id: string }).patient_id);
    expect(recorded).toEqual([fx.ana, fx.ben, fx.cleo].sort());
  });

  it("is refused to other roles and to a bad filter, in the filter's own words", async () => {
    await advance(0);
    expect(await m.invoke('desk', 'ws', 'job.start', { kind: 'audit.pdf', input: MONTH })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await m.invoke('manager', 'ws', 'job.start', { kind: 'audit.pdf', input: { from: '2026-03-31', to: '2026-03-01' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/The first day comes after the last/) as unknown },
    });
  });
});
