import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { addStaff, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';

stopHostAfterEach();

/** A clinic whose manager added a front-desk colleague, who is now signed in. */
async function frontDeskSignedIn(page: Page): Promise<void> {
  await setUpClinic(page);
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
}

async function fillPatient(page: Page, given: string, family: string, dob: string, phone: string): Promise<void> {
  await page.getByLabel('Given name').fill(given);
  await page.getByLabel('Family name').fill(family);
  await page.getByLabel('Date of birth').fill(dob);
  await page.getByLabel('Sex').selectOption('female');
  await page.getByLabel('Phone', { exact: true }).fill(phone);
}

test('the front desk registers a patient, is warned about a duplicate, finds and edits the record', async ({ page }) => {
  await frontDeskSignedIn(page);
  await page.getByRole('button', { name: 'Patients' }).click();
  await expect(page.getByText('No patients yet. Register the first one.')).toBeVisible();

  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByRole('button', { name: 'Register patient' }).click(); // empty form: every problem shown, nothing sent
  await expect(page.getByText('Given name is required.')).toBeVisible();
  // In the clinic's date order (en-GB here: the browser's locale at setup).
  await expect(page.getByText('Enter the date of birth as a date such as 30/11/2026 (dd/mm/yyyy).')).toBeVisible();
  await fillPatient(page, 'María José', 'Núñez-López', '1984-03-07', '+1 (555) 201-7788');
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.getByRole('heading', { name: 'Núñez-López, María José' })).toBeVisible();
  await expect(page.getByTestId('patient-details')).toContainText('+1 (555) 201-7788');

  // The same person again: the front desk is warned and can open the existing record instead.
  await page.getByRole('button', { name: '← All patients' }).click();
  await page.getByRole('button', { name: 'Register patient' }).click();
  await fillPatient(page, 'Maria', 'Nunez-Lopez', '1984-03-07', '555 201 7788');
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.getByRole('alert')).toContainText('This may be someone already registered.');
  await page.getByRole('button', { name: 'Open this record' }).click();
  await expect(page.getByRole('heading', { name: 'Núñez-López, María José' })).toBeVisible();

  // Search as you type, accents and order ignored; then a correction keeps the earlier version.
  await page.getByRole('button', { name: '← All patients' }).click();
  await page.getByLabel(/Search by name/).fill('lopez mar');
  await expect(page.getByRole('table', { name: 'Search results' }).getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Núñez-López, María José' }).click();
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Phone', { exact: true }).fill('555 777 0000');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('patient-details')).toContainText('555 777 0000');
  await expect(page.getByRole('list').filter({ hasText: 'Registered' }).getByRole('listitem')).toHaveCount(2);
  await expect(page.getByText(/Details changed .* by Fran Ortiz/)).toBeVisible();
});
