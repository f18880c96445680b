import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addStaff, openAnaTester, registerAnaTester, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';

stopHostAfterEach();

const REASON = 'Covering the phone: Ana called about new swelling';

test('a therapist opens a record outside her care with a reason; the manager finds it in the review queue and reviews it', async ({ page }) => {
  await setUpClinic(page);
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');

  // The Clinic page says the rule; the manager keeps the default care window of 12 months.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Clinic' }).click();
  const care = page.getByRole('region', { name: 'Care window' });
  await expect(care.getByTestId('care-window')).toContainText('a visit with the patient in the past 12 months or one booked');
  await care.getByLabel("Months a visit keeps a patient in a clinician's care").fill('0');
  await care.getByRole('button', { name: 'Save the care window' }).click();
  await expect(care.getByText('At least 1 month.')).toBeVisible();
  await expectAccessible(page, 'Clinic page (care window, with an error)');
  await care.getByLabel("Months a visit keeps a patient in a clinician's care").fill('12');

  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await registerAnaTester(page);

  // Priya has no visit with Ana: the record does not open; a dialog asks why.
  await switchTo(page, 'Priya Raman', 'therapist passphrase');
  await openAnaTester(page);
  await expect(page.getByRole('heading', { name: 'Not in your care', level: 1 })).toBeVisible();
  const dialog = page.getByRole('dialog', { name: 'Open this record as an emergency access' });
  await expect(dialog).toContainText('This patient is not in your care: you have no visit with them in the past 12 months and none booked.');
  const reason = dialog.getByLabel('Why do you need this record now?');
  await expect(reason).toBeFocused();
  await expectAccessible(page, 'emergency access dialog');
  // A reason is required.
  await dialog.getByRole('button', { name: 'Open as an emergency access' }).click();
  await expect(reason).toHaveAccessibleDescription(/Say why you need to open this record\./);
  await expect(reason).toBeFocused();
  await reason.fill('urgent');
  await dialog.getByRole('button', { name: 'Open as an emergency access' }).click();
  await expect(reason).toHaveAccessibleDescription(/Say why in a few words \(at least 10 characters\)\./);
  await reason.fill(REASON);
  await dialog.getByRole('button', { name: 'Open as an emergency access' }).click();

  // The record opens, flagged; her notes open too, within the four hours.
  await expect(page.getByRole('heading', { name: 'Tester, Ana', level: 1 })).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Emergency access until' })).toContainText('a manager will review it');
  await expect(page.getByRole('region', { name: 'Clinical notes' })).toContainText('No notes yet.');
  await expectAccessible(page, 'record opened as an emergency access');
  // Opened again within the hours, it opens as usual, without the dialog.
  await page.getByRole('button', { name: '← All patients' }).click();
  await page.getByLabel(/Search by name/).fill('tester');
  await page.getByRole('button', { name: 'Tester, Ana' }).click();
  await expect(page.getByRole('heading', { name: 'Tester, Ana', level: 1 })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The manager's queue lists it; she reviews it: justified, with a note.
  await switchTo(page, 'Lee Chen', 'manager passphrase 1');
  await nav.getByRole('button', { name: 'Emergency access' }).click();
  await expect(page.getByRole('heading', { name: 'Emergency access', level: 1 })).toBeVisible();
  const awaiting = page.getByRole('table', { name: /Awaiting review/ });
  const row = awaiting.getByRole('row', { name: /Priya Raman \(Therapist\)/ });
  await expect(row).toContainText('Tester, Ana');
  await expect(row).toContainText(REASON);
  // The emergency opening, its notes, and the record and notes opened again.
  await expect(row).toContainText('opened 4 times');
  await expectAccessible(page, 'emergency access review queue');
  await row.getByRole('button', { name: /^Review the emergency access by Priya Raman/ }).click();
  const review = page.getByRole('dialog', { name: 'Review the emergency access' });
  await expect(review).toContainText(REASON);
  await review.getByRole('button', { name: 'Record the review' }).click();
  await expect(review.getByText('Choose whether the access was justified.')).toBeVisible();
  await expect(review.getByText('Write a note for the record.')).toBeVisible();
  await expectAccessible(page, 'review dialog (with errors)');
  await review.getByLabel('Justified', { exact: true }).check();
  await review.getByLabel('Note').fill('Checked with Priya: Ana phoned while her therapist was away.');
  await review.getByRole('button', { name: 'Record the review' }).click();
  await expect(review).toHaveCount(0);
  await expect(page.getByTestId('announcer')).toHaveText('Reviewed: justified.');
  await expect(page.getByRole('region', { name: /Awaiting review/ })).toContainText('No emergency access is waiting for review.');
  const reviewed = page.getByRole('table', { name: 'Reviewed' });
  await expect(reviewed).toContainText('Justified');
  await expect(reviewed).toContainText('Checked with Priya: Ana phoned while her therapist was away. — Lee Chen');
  await expectAccessible(page, 'emergency access reviewed');

  // The record's access log flags it, with the reason and the verdict.
  await reviewed.getByRole('button', { name: 'Tester, Ana' }).click();
  await expect(page.getByTestId('access-log')).toContainText(`Priya Raman (Therapist) emergency access: reason “${REASON}” (reviewed: justified)`);
});
