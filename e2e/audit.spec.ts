import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addStaff, registerAnaTester, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';

stopHostAfterEach();

// The manager's audit report (docs/architecture.md#audit-report): the Audit screen lists every
// signed entry of the period, filtered, in a virtualized grid the keyboard can move through.
test('a manager opens Audit, filters by a staff member and sees what they did', async ({ page }) => {
  await setUpClinic(page);
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit' })).toHaveCount(0);
  await registerAnaTester(page);
  await switchTo(page, 'Lee Chen', 'manager passphrase 1');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit' }).click();
  const grid = page.getByRole('grid', { name: 'Audit entries' });
  await expect(grid.getByRole('row', { name: /Fran Ortiz \(Front desk\) registered a patient Tester, Ana/ })).toBeVisible();
  await expect(grid.getByRole('row', { name: /Lee Chen \(Manager\) added a staff member/ })).toHaveCount(2); // Lee Chen at setup, and Fran
  await expect(page.getByTestId('audit-total')).toContainText(/\d+ entries/);
  await expectAccessible(page, 'audit');

  await page.getByLabel('Staff member').selectOption({ label: 'Fran Ortiz (Front desk)' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(grid.getByRole('row', { name: /Lee Chen/ })).toHaveCount(0);
  await expect(grid.getByRole('row', { name: /Fran Ortiz \(Front desk\) registered a patient Tester, Ana/ })).toBeVisible();
  await expect(grid.getByRole('row', { name: /Fran Ortiz \(Front desk\) saw patients in a list/ }).first()).toBeVisible();

  // The keyboard moves the current row.
  await grid.focus();
  await page.keyboard.press('End');
  const rows = grid.getByRole('row');
  await expect(rows.last()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');

  // The month's CSV and PDF of what is shown, exported off the main thread and downloaded.
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-01-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync(await csv.path(), 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toMatch(/^at,entry,action,staff_id,staff_name,/);
  expect(lines.slice(1).every((l) => l.includes(',Fran Ortiz,front_desk,'))).toBe(true);
  expect(lines.some((l) => l.includes(',patient.registered,'))).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: /^CSV of \d+ entries ready\.$/ })).toBeVisible();
  const pdfDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export PDF' }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  expect(
    readFileSync(await pdf.path())
      .subarray(0, 5)
      .toString('latin1'),
  ).toBe('%PDF-');
  await expect(page.getByRole('status').filter({ hasText: /^PDF of \d+ entries ready\.$/ })).toBeVisible();
  // Read as a reader sees it (poppler-utils): the summary, then Fran's rows.
  const pdfText = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', await pdf.path(), '-'], { encoding: 'utf8' });
  expect(pdfText).toContain('Audit report');
  expect(pdfText).toContain('Fran Ortiz');

  // The self-verifying bundle of the same selection, checked offline by `movelog verify --bundle`.
  const bundleDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export bundle' }).click();
  const bundle = await bundleDownload;
  expect(bundle.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-01-to-\d{4}-\d{2}-\d{2}\.bundle\.jsonl$/);
  await expect(page.getByRole('status').filter({ hasText: /^Bundle of \d+ entries ready\.$/ })).toBeVisible();
  const verified = spawnSync(process.execPath, ['bin/movelog.js', 'verify', '--bundle', await bundle.path()], { encoding: 'utf8' });
  expect(verified.stderr).toBe('');
  expect(verified.status).toBe(0);

  // An action filter with nothing in it says so.
  await page.getByLabel('Action').selectOption({ label: 'co-signed a note' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByText('No entries match.')).toBeVisible();
});
