import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { expectAccessible } from './accessibility.js';
import { addStaff, registerAnaTester, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';

stopHostAfterEach();

// The patient's access report (docs/architecture.md#the-patients-accounting): the front desk shows
// it on the record and prints it; the browser downloads the PDF, which is read back as text.
test('the front desk shows a patient who accessed their record, then prints the access report as a PDF', async ({ page }) => {
  await setUpClinic(page);
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  // Registering opens the record: Fran's opening of Ana's details is the first line.
  await registerAnaTester(page);

  const panel = page.getByRole('region', { name: 'Access report for the patient' });
  // A day that does not exist is refused, in words, and nothing is shown.
  await panel.getByLabel('From').fill('2026-02-30');
  await panel.getByRole('button', { name: 'Show access report' }).click();
  await expect(panel.getByRole('alert')).toContainText('That date does not exist.');
  await panel.getByLabel('From').fill('');
  await panel.getByRole('button', { name: 'Show access report' }).click();
  const accesses = panel.getByRole('table', { name: 'Who accessed the record' });
  await expect(accesses.getByRole('row', { name: /Fran Ortiz Front desk Harbour Rehab opened the patient's details No/ })).toBeVisible();
  await expect(panel.getByText('The record was not shared with any other clinic in this period.')).toBeVisible();
  await expectAccessible(page, 'patient record with its access report');

  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Print access report' }).click();
  const pdf = await (await download).path();
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain('Who accessed your record, and what was shared');
  expect(text).toContain('Ana Tester');
  expect(text).toMatch(/Fran Ortiz Front desk Harbour Rehab opened the patient's details No/);
  expect(text).toContain('Your record was not shared with any other clinic in this period.');
  await expect(panel.getByRole('status')).toContainText('The access report was printed to a PDF');

  // The manager has it too (therapists do not: the call and the job refuse them, main/reports/patientReport.test.ts).
  await switchTo(page, 'Lee Chen', 'manager passphrase 1');
  await page.getByRole('button', { name: 'Patients' }).click();
  await page.getByLabel(/Search by name/).fill('tester');
  await page.getByRole('button', { name: 'Tester, Ana' }).click();
  await expect(
    page.getByRole('region', { name: 'Access report for the patient' }).getByRole('button', { name: 'Print access report' }),
  ).toBeVisible();
});
