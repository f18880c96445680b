// `movelog report audit` (docs/architecture.md#audit-report): the manager's audit report from the
// command line, as CSV and PDF, recorded as read by the manager; bad input is a one-line error
// (exit 2) that writes nothing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openMovelog } from '../main/core.js';
import { readPdf } from '../main/reports/testing/poppler.js';
import { movelogCli } from './support/cli.js';
import { tempDataDir } from './support/host.js';

const env = { MOVELOG_PASSPHRASE: 'movelog demo passphrase' };
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const from = day(Date.now() - 60 * 86_400_000);
const to = day(Date.now() + 60 * 86_400_000);
let data: string;
let outDir: string;

beforeAll(async () => {
  data = tempDataDir();
  outDir = tempDataDir();
  const demo = await movelogCli(['demo', '--data', data]);
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);

const report = (args: string[], extra: Record<string, string> = env) =>
  movelogCli(['report', 'audit', '--data', data, '--manager', 'Lee Chen', '--from', from, '--to', to, ...args], extra);

describe('movelog report audit', () => {
  it('writes the CSV of the period, and the patients it names are recorded as read by the manager', async () => {
    const out = join(outDir, 'audit.csv');
    const result = await report(['--format', 'csv', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Wrote the audit report of .* \((\d+) entries\) to .*audit\.csv\n$/);
    const lines = readFileSync(out, 'utf8').split('\r\n');
    expect(lines[0]).toMatch(/^at,entry,action,staff_id,staff_name,role,/);
    const rows = Number(/\((\d+) entries\)/.exec(result.stdout)?.[1]);
    expect(lines.length - 2).toBe(rows); // header, rows, and the empty string after the last CRLF
    expect(lines.some((l) => l.includes(',appointment.booked,'))).toBe(true);
    // No progress line without a terminal, and no partial file left.
    expect(readdirSync(outDir).filter((n) => n.includes('.partial-'))).toEqual([]);
    const m = openMovelog(data, Date.now, { warn: () => undefined, error: () => undefined });
    try {
      const listed = m.db
        .prepare(
          "SELECT count(DISTINCT l.patient_id) AS n, max(a.via) AS via FROM view_patient_listed l JOIN view_audit a ON a.hash = l.hash WHERE l.call = 'audit.rows'",
        )
        .get() as { n: number; via: string };
      expect(listed.n).toBe(200);
      expect(listed.via).toBe('cli');
      const reader = m.db.prepare("SELECT s.name FROM view_audit a JOIN view_staff s ON s.id = a.staff_id WHERE a.call = 'audit.rows'").all() as {
        name: string;
      }[];
      expect(new Set(reader.map((r) => r.name))).toEqual(new Set(['Lee Chen']));
      // ≤ 200 patients an entry: 200 patients take one entry.
      expect(reader.length).toBe(1);
    } finally {
      m.close();
    }
  }, 120_000);

  it('writes the PDF for one staff member, with the summary first', async () => {
    const out = join(outDir, 'priya.pdf');
    const result = await report(['--format', 'pdf', '--staff', 'Priya Raman', '--action', 'note.signed', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { text } = readPdf(out);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Audit report');
    expect(flat).toContain('Staff member Priya Raman');
    expect(flat).toMatch(/Entries [1-9]/);
    expect(flat).toContain('signed a note');
    expect(flat).toContain('Priya Raman (therapist)');
    expect(flat).not.toContain('booked a visit');
  }, 120_000);

  it('writes the self-verifying bundle, which movelog verify --bundle checks offline', async () => {
    const out = join(outDir, 'audit.bundle');
    const result = await report(['--format', 'bundle', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const verified = await movelogCli(['verify', '--bundle', out]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  }, 120_000);

  it.each([
    [['--format', 'xlsx'], /Unknown report format "xlsx"/],
    [['--format', 'csv', '--staff', 'Nobody Here'], /--staff: no staff member named "Nobody Here"/],
    [['--format', 'csv', '--action', 'coffee.made'], /--action: Choose an action from the list/],
    [['--format', 'csv', '--patient', 'f'.repeat(32)], /No patient with the id f{32}/],
  ])('refuses %j with a human error and writes nothing', async (args, message) => {
    const out = join(outDir, 'refused.csv');
    const result = await report([...args, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses days that do not exist, a period backwards, and a wrong passphrase', async () => {
    const out = join(outDir, 'refused.csv');
    const bad = await movelogCli(
      ['report', 'audit', '--data', data, '--manager', 'Lee Chen', '--from', '2026-02-30', '--to', to, '--format', 'csv', '--out', out],
      env,
    );
    expect(bad.stderr).toMatch(/--from: The first day does not exist/);
    const backwards = await movelogCli(
      ['report', 'audit', '--data', data, '--manager', 'Lee Chen', '--from', to, '--to', from, '--format', 'csv', '--out', out],
      env,
    );
    expect(backwards.stderr).toMatch(/--to: The first day comes after the last/);
    const wrong = await report(['--format', 'csv', '--out', out], { MOVELOG_PASSPHRASE: 'not the passphrase at all' });
    expect(wrong.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
