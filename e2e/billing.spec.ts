import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addStaff, bookVisitFromRecord, registerAnaTester, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';
import { signNoteForAna } from './signNote.js';

stopHostAfterEach();

test("the front desk's billing day: the day's visits, whether each note is signed, its codes and units, and the totals", async ({ page }) => {
  // The page and the host live on Tuesday 1 December 2026, from 08:00.
  await setUpClinic(page, { clock: new Date(2026, 11, 1, 8, 0) });
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.getByRole('textbox', { name: 'Appointment type' }).fill('Follow-up');
  await page.getByRole('button', { name: 'Add type' }).click();
  await expect(page.getByRole('status')).toHaveText('Added Follow-up.');
  await page.getByLabel('Clinic opens Tuesday').fill('07:00');
  await page.getByLabel('Clinic closes Tuesday').fill('18:00');
  await page.getByRole('button', { name: 'Save opening hours' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Opening hours' })).toHaveText('Opening hours and check-in saved.');

  // Ana is booked for this morning, and her note is not written yet.
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await registerAnaTester(page);
  await bookVisitFromRecord(page, 'Priya Raman');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Billing' }).click();
  await expect(page.getByRole('heading', { name: '1 December 2026' })).toBeVisible();
  await expect(page.getByLabel('Day')).toHaveValue('01/12/2026');
  const table = page.getByRole('table', { name: '1 December 2026' });
  const row = table.getByRole('row', { name: /Tester, Ana/ });
  await expect(row).toContainText('08:15');
  await expect(row).toContainText('Priya Raman');
  await expect(row).toContainText('Booked');
  await expect(row).toContainText('Not yet signed');
  await expect(page.getByTestId('billing-total-units')).toHaveText('0');
  await expectAccessible(page, 'billing day (a note not yet signed)');

  // The therapist signs the visit's note with 30 minutes of exercise and 15 of manual therapy.
  await signNoteForAna(
    page,
    'Priya Raman',
    'therapist passphrase',
    {
      type: 'daily',
      sections: { objective: 'Step-ups, quad sets; patellar mobilisation.' },
      interventions: [
        { code: '97110', minutes: 30 },
        { code: '97140', minutes: 15 },
      ],
    },
    true,
  );

  // The day shown again: the note is signed, with its codes and units under the CMS 8-minute rule.
  await page.getByRole('button', { name: 'Next day' }).click();
  await expect(page.getByRole('heading', { name: '2 December 2026' })).toBeVisible();
  await expect(page.getByText('No visits on this day.')).toBeVisible();
  await page.getByRole('button', { name: 'Back to today' }).click();
  await expect(row).toContainText('Signed');
  await expect(row).toContainText('97110 × 2, 97140 × 1');
  await expect(row).toContainText('CMS 8-minute rule');
  // The units column (the patient is the row's header, not a cell).
  await expect(row.getByRole('cell').nth(5)).toHaveText('3');
  await expect(page.getByTestId('billing-total-units')).toHaveText('3');
  const totals = page.getByRole('region', { name: 'Totals' });
  await expect(totals).toContainText('97110 × 2, 97140 × 1');
  await expectAccessible(page, 'billing day (a signed note)');

  // A day typed in the clinic's order; one that is not a date is refused with the pattern.
  await page.getByLabel('Day').fill('30/11/2026');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('heading', { name: '30 November 2026' })).toBeVisible();
  await page.getByLabel('Day').fill('31/02/2026');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByLabel('Day')).toHaveAccessibleDescription(/Enter the day as dd\/mm\/yyyy/);
});
