import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
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
  await expectAccessible(page, 'patients list');

  await page.getByRole('button', { name: 'Register patient' }).click();
  // The form replaces the list: focus starts at its heading, not on a button that is gone.
  await expect(page.getByRole('heading', { name: 'Register a patient' })).toBeFocused();
  await expectAccessible(page, 'patient registration');
  await page.getByRole('button', { name: 'Register patient' }).click(); // empty form: every problem shown, nothing sent
  await expect(page.getByText('Given name is required.')).toBeVisible();
  // In the clinic's date order (en-GB here: the browser's locale at setup).
  await expect(page.getByText('Enter the date of birth as a date such as 30/11/2026 (dd/mm/yyyy).')).toBeVisible();
  // Each error is read with its field; focus goes to the first, and the count is said.
  const given = page.getByLabel('Given name');
  await expect(given).toBeFocused();
  await expect(given).toHaveAttribute('aria-invalid', 'true');
  await expect(given).toHaveAccessibleDescription('Given name is required.');
  await expect(page.getByLabel('Date of birth')).toHaveAccessibleDescription(
    'dd/mm/yyyy, e.g. 30/11/2026 Enter the date of birth as a date such as 30/11/2026 (dd/mm/yyyy).',
  );
  await expect(page.getByTestId('announcer')).toHaveText(/^\d+ fields need attention\.$/);
  await expectAccessible(page, 'patient registration (with errors)');
  await fillPatient(page, 'María José', 'Núñez-López', '1984-03-07', '+1 (555) 201-7788');
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.getByRole('heading', { name: 'Núñez-López, María José' })).toBeVisible();
  await expect(page.getByTestId('patient-details')).toContainText('+1 (555) 201-7788');
  await expect(page.getByRole('heading', { name: 'Núñez-López, María José' })).toBeFocused();
  await expect(page.getByTestId('announcer')).toHaveText('Patient registered: Núñez-López, María José.');
  await expectAccessible(page, 'patient record');

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
  // Opening a record puts focus on its heading.
  await expect(page.getByRole('heading', { name: 'Núñez-López, María José' })).toBeFocused();
  await page.getByRole('button', { name: 'Edit details' }).click();
  await expectAccessible(page, 'patient record (editing)');
  await page.getByLabel('Phone', { exact: true }).fill('555 777 0000');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('patient-details')).toContainText('555 777 0000');
  await expect(page.getByRole('list').filter({ hasText: 'Registered' }).getByRole('listitem')).toHaveCount(2);
  await expect(page.getByText(/Details changed .* by Fran Ortiz/)).toBeVisible();
});
