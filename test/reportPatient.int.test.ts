// `movelog report patient` (docs/architecture.md#the-patients-accounting): the patient's access
// report as a PDF from the command line, made by the same call as the app's and recorded as its
// reading; every mistake is one line a person can act on, exit code 2, and no file.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readPdf } from '../main/reports/testing/poppler.js';
import { movelogCli } from './support/cli.js';
import { tempDataDir } from './support/host.js';
import { openRawDatabase } from './support/rawDb.js';

const env = { MOVELOG_PASSPHRASE: 'movelog demo passphrase' };

it('movelog report patient writes the PDF, records the reading, and refuses mistakes with a clear message and no file', async () => {
  const data = tempDataDir();
  expect((await movelogCli(['demo', '--data', data, '--patients', '3'])).code).toBe(0);
  const raw = openRawDatabase(data, { readonly: true });
  const patient = raw.prepare('SELECT patient_id AS id, given, family FROM view_patients ORDER BY patient_id LIMIT 1').get() as {
    id: string;
    given: string;
    family: string;
  };
  raw.close();
  const out = join(tempDataDir('movelog-report-out-'), 'access report.pdf');
  const report = (...args: string[]) => movelogCli(['report', 'patient', '--data', data, ...args], env);

  const made = await report('--patient', patient.id, '--staff', 'Fran Ortiz', '--out', out);
  expect(made.stderr).toBe('');
  expect(made.code).toBe(0);
  expect(made.stdout).toMatch(
    new RegExp(
      `^Wrote the access report of ${patient.given} ${patient.family}, \\d{4}-\\d\\d-\\d\\d to \\d{4}-\\d\\d-\\d\\d \\(\\d+ accesses, 0 disclosures\\), to ${out}\\n$`,
    ),
  );
  const flat = readPdf(out).text.replace(/\s+/g, ' ');
  expect(flat).toContain('Who accessed your record, and what was shared');
  expect(flat).toContain(`${patient.given} ${patient.family}`);
  expect(flat).toContain(patient.id);
  expect(flat).toContain('Your record was not shared with any other clinic in this period.');

  // Recorded as Fran's reading of the patient (an access.listed naming them).
  const after = openRawDatabase(data, { readonly: true });
  const listed = after
    .prepare("SELECT staff_id AS staff, call FROM view_patient_listed WHERE patient_id = ? AND call = 'patient.accessReport'")
    .all(patient.id) as { staff: string; call: string }[];
  const fran = (after.prepare("SELECT id FROM view_staff WHERE name = 'Fran Ortiz'").get() as { id: string }).id;
  after.close();
  expect(listed).toEqual([{ staff: fran, call: 'patient.accessReport' }]);

  const bad = join(tempDataDir('movelog-report-out-'), 'bad.pdf');
  const refusals: [string[], string][] = [
    [['--patient', patient.id, '--staff', 'Priya Raman', '--out', bad], 'No active front desk staff member or manager named "Priya Raman".'],
    [['--patient', 'f'.repeat(32), '--staff', 'Fran Ortiz', '--out', bad], 'There is no such patient.'],
    [['--patient', patient.id, '--staff', 'Fran Ortiz', '--from', '2026-02-30', '--out', bad], 'That date does not exist.'],
    [
      ['--patient', patient.id, '--staff', 'Fran Ortiz', '--from', '2026-03-01', '--to', '2026-02-01', '--out', bad],
      'The period must start before it ends.',
    ],
  ];
  for (const [args, message] of refusals) {
    const r = await report(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  expect(existsSync(bad)).toBe(false);
  expect(readdirSync(join(bad, '..'))).toEqual([]);
  const wrongPassphrase = await movelogCli(['report', 'patient', '--data', data, '--patient', patient.id, '--staff', 'Fran Ortiz', '--out', bad], {
    MOVELOG_PASSPHRASE: 'not the passphrase',
  });
  expect(wrongPassphrase.code).toBe(2);
  expect(existsSync(bad)).toBe(false);
  const noData = await movelogCli(
    ['report', 'patient', '--data', join(data, 'nowhere'), '--patient', patient.id, '--staff', 'Fran Ortiz', '--out', bad],
    env,
  );
  expect(noData.code).toBe(2);
  expect(noData.stderr).toContain('There is no Movelog data in');
}, 240_000);
