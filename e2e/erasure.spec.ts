import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addStaff, registerAnaTester, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';

stopHostAfterEach();

// Erasure at the patient's request (docs/architecture.md#erasure): the manager sees the clinic's
// retention period on the Clinic page, erases a record after confirming in a dialog, and the record
// then shows as erased, found by its id, with no name left; other roles have no erase action.
test("a manager erases a patient's record at the patient's request; it shows as erased, by its id", async ({ page }) => {
  await setUpClinic(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Clinic' }).click();
  await expect(page.getByTestId('retention-setting')).toContainText("10 years after a patient's last clinical entry (the default)");
  await page.getByLabel('Retention period (years)').fill('7');
  await page.getByRole('button', { name: 'Save retention period' }).click();
  await expect(page.getByTestId('retention-setting')).toContainText("7 years after a patient's last clinical entry:");
  await expectAccessible(page, 'clinic (retention)');

  await registerAnaTester(page);
  await expect(page.getByTestId('retention-state')).toContainText('This record has no clinical entry, so the period does not hold it.');
  await page.getByRole('button', { name: "Erase this patient's record" }).click();
  const dialog = page.getByRole('dialog', { name: "Erase this patient's record" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Request received on')).toBeFocused();
  await expectAccessible(page, 'erase dialog');

  // Nothing chosen, nothing typed: every problem is shown and nothing is sent.
  await dialog.getByRole('button', { name: 'Erase the record' }).click();
  await expect(dialog.getByText('Choose how the request was received.')).toBeVisible();
  await expect(dialog.getByText("Type the patient's family name to confirm.")).toBeVisible();
  // The wrong name: main refuses, the record stays.
  await dialog.getByLabel('How it was received').selectOption('letter');
  await dialog.getByLabel('Type the family name, Tester, to confirm').fill('Testre');
  await dialog.getByRole('button', { name: 'Erase the record' }).click();
  await expect(dialog.getByRole('alert')).toHaveText("To confirm, type the patient's family name exactly as the record shows it.");

  await dialog.getByLabel('Type the family name, Tester, to confirm').fill('Tester');
  await dialog.getByRole('button', { name: 'Erase the record' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: /^Erased record [0-9a-f]{32}$/ })).toBeFocused();
  await expect(page.getByTestId('erased-record')).toContainText("This record was erased at the patient's request");
  await expect(page.getByTestId('erasure-facts')).toContainText('by letter');
  await expect(page.getByTestId('erasure-facts')).toContainText('Lee Chen');
  await expect(page.getByText('Tester, Ana')).toHaveCount(0);
  await expectAccessible(page, 'erased record');
  const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
  const patientId = heading.replace('Erased record ', '');

  // The name finds no one; the id finds the erased record, with no name.
  await page.getByRole('button', { name: '← All patients' }).click();
  await page.getByLabel(/Search by name/).fill('tester');
  await expect(page.getByRole('button', { name: 'Tester, Ana' })).toHaveCount(0);
  await page.getByLabel(/Search by name/).fill(patientId);
  await expect(page.getByRole('button', { name: `Erased record ${patientId}` })).toBeVisible();

  // The front desk sees the erased record too, and has no erase action anywhere.
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await page.getByRole('button', { name: 'Patients' }).click();
  await page.getByLabel(/Search by name/).fill(patientId);
  await page.getByRole('button', { name: `Erased record ${patientId}` }).click();
  await expect(page.getByTestId('erased-record')).toBeVisible();
  await expect(page.getByRole('button', { name: "Erase this patient's record" })).toHaveCount(0);
});
