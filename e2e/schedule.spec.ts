import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addStaff, registerAnaTester, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';

stopHostAfterEach();

test('a day at the front desk: book a weekly series, move one visit, record a no-show; the therapist sees their day', async ({ page }) => {
  // The page and the host live on Tuesday 1 December 2026, from 08:00.
  await setUpClinic(page, { clock: new Date(2026, 11, 1, 8, 0) });
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.getByLabel('Room or table').fill('Table 1');
  await page.getByRole('button', { name: 'Add room' }).click();
  await expect(page.getByRole('status')).toHaveText('Added Table 1.');
  await page.getByRole('textbox', { name: 'Appointment type' }).fill('Follow-up');
  await page.getByRole('button', { name: 'Add type' }).click();
  await expect(page.getByRole('status')).toHaveText('Added Follow-up.');
  // Priya works Tuesdays 08:30–17:00.
  await page.getByLabel('Tuesday from').fill('08:30');
  await page.getByLabel('Tuesday to').fill('17:00');
  await page.getByRole('button', { name: 'Save weekly hours' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Weekly hours saved.' })).toBeVisible();
  await expectAccessible(page, 'schedule (manager, with weekly hours and rooms)');

  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await registerAnaTester(page);

  // A weekly series of four visits, Tuesdays 09:00.
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.getByRole('button', { name: 'Book a visit' }).click();
  const form = page.getByRole('form', { name: 'Book a visit' });
  await form.getByLabel(/^Patient/).fill('tester');
  await form.getByRole('button', { name: /Tester, Ana/ }).click();
  await form.getByLabel('Room or table').selectOption({ label: 'Table 1' });
  await form.getByLabel('Starts').fill('2026-12-01T09:00');
  await form.getByLabel(/Repeat weekly/).fill('4');
  await form.getByRole('button', { name: 'Book' }).click();
  await expect(form).toHaveCount(0);
  await page.getByRole('region', { name: 'Visit booked' }).getByRole('button', { name: 'Close' }).click();
  await expect(page.locator('.rbc-event')).toHaveCount(1);
  await expectAccessible(page, 'schedule (week)');
  const toolbar = page.locator('.rbc-toolbar');
  await toolbar.getByRole('button', { name: 'Next' }).click();
  await expect(page.locator('.rbc-event')).toHaveCount(1);
  await toolbar.getByRole('button', { name: 'Today' }).click();

  // Move this week's visit to 08:45 (this visit only).
  await page.locator('.rbc-event').first().click();
  const panel = page.getByRole('dialog', { name: 'Visit: Tester, Ana' });
  await expect(panel).toContainText('weekly series');
  await expectAccessible(page, 'visit panel');
  await panel.getByLabel('New time').fill('2026-12-01T08:45');
  await panel.getByRole('button', { name: 'Move' }).click();
  await expect(panel).toContainText('08:45');
  // Outside Priya's hours the move is only done when the person insists.
  await panel.getByLabel('New time').fill('2026-12-01T18:00');
  await panel.getByRole('button', { name: 'Move' }).click();
  await expect(panel.getByRole('alert')).toHaveText(
    'Priya Raman does not usually work then (see their weekly hours). Choose another time, or move anyway.',
  );
  await expect(panel.getByRole('button', { name: 'Move anyway' })).toBeVisible();
  await panel.getByRole('button', { name: 'Close' }).click();

  // A visit at 07:00 this morning that the patient missed, recorded afterwards as a past visit.
  await page.getByRole('button', { name: 'Book a visit' }).click();
  await form.getByLabel(/^Patient/).fill('tester');
  await form.getByRole('button', { name: /Tester, Ana/ }).click();
  await form.getByLabel('Starts').fill('2026-12-01T07:00');
  await form.getByLabel(/Record a past visit/).check();
  await form.getByRole('button', { name: 'Book' }).click();
  // Before Priya's hours: booked only when the person insists.
  await expect(form.getByRole('alert')).toContainText('Priya Raman does not usually work then');
  await form.getByRole('button', { name: 'Book anyway' }).click();
  await page.getByRole('region', { name: 'Visit booked' }).getByRole('button', { name: 'Close' }).click();
  await expect(page.locator('.rbc-event')).toHaveCount(2);
  await page.locator('.rbc-event').filter({ hasText: '07:00' }).click();
  await expect(panel).toContainText('07:00');
  await panel.getByRole('button', { name: 'No-show' }).click();
  await expect(panel.getByTestId('appointment-status')).toHaveText('No-show');
  // The panel is a modal dialog: Escape closes it before the top bar can be used.
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // The therapist's own day.
  await switchTo(page, 'Priya Raman', 'therapist passphrase');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today' }).click();
  await expect(page.getByRole('heading', { name: /^My day/ })).toBeVisible();
  const arriving = page.getByRole('region', { name: 'Arriving' });
  await expect(arriving.locator('tbody tr')).toHaveCount(1); // one visit under the column headers
  await expect(arriving).toContainText('08:45');
  await expectAccessible(page, 'my day');
  await expect(page.getByRole('region', { name: 'No-shows and cancellations' })).toContainText('Tester, Ana');
  await arriving.getByRole('button', { name: 'Check in' }).click();
  await expect(page.getByRole('region', { name: 'Checked in' })).toContainText('Tester, Ana');
});
