import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addStaff, registerAnaTester, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';

stopHostAfterEach();

/** The window's polite live region (docs/architecture.md#accessibility). */
const announcer = (page: Page) => page.getByTestId('announcer');
/** The calendar's time grid (not its toolbar). */
const grid = (page: Page) => page.locator('.rbc-time-content');

test('the front desk books, opens and closes a visit with the keyboard alone; focus and announcements follow', async ({ page }) => {
  // The page and the host live on Tuesday 1 December 2026, from 08:00 (check-in opens an hour before a visit).
  await setUpClinic(page, { clock: new Date(2026, 11, 1, 8, 0) });
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.getByRole('textbox', { name: 'Appointment type' }).fill('Follow-up');
  await page.getByRole('button', { name: 'Add type' }).click();
  await expect(page.getByRole('status')).toHaveText('Added Follow-up.');

  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  // Registering opens the record with focus on its heading, and says so.
  await registerAnaTester(page);
  await expect(page.getByRole('heading', { name: 'Tester, Ana' })).toBeFocused();
  await expect(announcer(page)).toHaveText('Patient registered: Tester, Ana.');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByRole('heading', { name: 'Schedule', level: 1 })).toBeVisible();
  await expectAccessible(page, 'schedule (week)');

  // The time grid is one Tab stop, whatever it holds; a skip link passes it.
  await expect(grid(page).locator('[tabindex="0"]')).toHaveCount(1);
  await page.getByRole('link', { name: 'Skip the calendar' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('End of the calendar')).toBeFocused();

  // Into the grid: today at 09:00, then down a quarter-hour, right a day and back.
  const stop = grid(page).locator('[tabindex="0"]');
  await expect(stop).toHaveAccessibleName('Book at Tuesday 1 December at 09:00');
  await stop.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: 'Book at Tuesday 1 December at 09:15' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('button', { name: 'Book at Wednesday 2 December at 09:15' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('button', { name: 'Book at Tuesday 1 December at 09:15' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('button', { name: 'Book at Tuesday 1 December at 09:00' })).toBeFocused();

  // Enter books at the focused time: a dialog, focus on its first field.
  await page.keyboard.press('Enter');
  const booking = page.getByRole('dialog', { name: 'Book a visit' });
  const form = booking.getByRole('form', { name: 'Book a visit' });
  await expect(form.getByLabel('Starts')).toHaveValue('01/12/2026 09:00'); // the clinic's format (en-GB);
  const patientField = form.getByLabel(/^Patient/);
  await expect(patientField).toBeFocused();
  await expectAccessible(page, 'booking form');

  // Submitting without a patient: the error is on the field, focus goes there, the count is said.
  await form.getByRole('button', { name: 'Book' }).click();
  await expect(patientField).toHaveAttribute('aria-invalid', 'true');
  await expect(patientField).toHaveAccessibleDescription('Choose the patient.');
  await expect(patientField).toBeFocused();
  await expect(announcer(page)).toHaveText('One field needs attention.');

  // Picking the patient moves on to the therapist and says who was chosen.
  await patientField.fill('tester');
  await form.getByRole('button', { name: /Tester, Ana/ }).press('Enter');
  await expect(form.getByLabel('Therapist')).toBeFocused();
  await expect(announcer(page)).toHaveText('Patient chosen: Tester, Ana.');
  // "Change" brings the search back, with focus in it.
  await form.getByRole('button', { name: 'Change' }).click();
  await expect(patientField).toBeFocused();
  await patientField.fill('tester');
  await form.getByRole('button', { name: /Tester, Ana/ }).press('Enter');
  await expect(form.getByLabel('Therapist')).toBeFocused();
  await form.getByRole('button', { name: 'Book' }).press('Enter');

  // Booked: the dialog shows what was booked (with an Undo) with focus on its heading, and the result
  // is said; closing it puts focus on the new visit.
  await expect(booking.getByRole('heading', { name: 'Visit booked' })).toBeFocused();
  await expect(announcer(page)).toHaveText('Visit booked: Tester, Ana, Tuesday 1 December at 09:00.');
  await expectAccessible(page, 'booking confirmation');
  await booking.getByRole('button', { name: 'Close' }).press('Enter');
  await expect(booking).toHaveCount(0);
  const visit = page.locator('.rbc-event').filter({ hasText: 'Tester, Ana' });
  await expect(visit).toBeFocused();

  // Enter opens the visit as a dialog with focus inside; Escape closes it and focus is back on the visit.
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog', { name: 'Visit: Tester, Ana' });
  await expect(panel.getByRole('heading', { name: 'Tester, Ana' })).toBeFocused();
  await expectAccessible(page, 'visit panel');
  // Moving without a time: the problem is on the New time field, which has focus.
  const newTime = panel.getByLabel('New time');
  await newTime.fill('');
  await panel.getByRole('button', { name: 'Move' }).click();
  // The hint and the problem, both in the clinic's format (en-GB here).
  await expect(newTime).toHaveAccessibleDescription(
    'e.g. 30/11/2026 14:00 Enter the new time as a date and time such as 30/11/2026 14:00 (dd/mm/yyyy then the time).',
  );
  await expect(newTime).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(visit).toBeFocused();
  // Close does the same.
  await page.keyboard.press('Enter');
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toHaveCount(0);
  await expect(visit).toBeFocused();

  // Up from the visit (09:00–09:45) is 08:45; down from it the next free time, 09:45; "Book a visit" takes it.
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('button', { name: 'Book at Tuesday 1 December at 08:45' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(visit).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: 'Book at Tuesday 1 December at 09:45' })).toBeFocused();
  await page.getByRole('button', { name: 'Book a visit' }).click();
  await expect(form.getByLabel('Starts')).toHaveValue('01/12/2026 09:45');
  // Escape closes the booking form and focus returns to the button that opened it.
  await page.keyboard.press('Escape');
  await expect(booking).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Book a visit' })).toBeFocused();

  // By therapist, in the day view: still one Tab stop, still clean.
  await page.getByLabel('Columns').selectOption('therapist');
  await page.locator('.rbc-toolbar').getByRole('button', { name: 'Day', exact: true }).click();
  await expect(page.locator('.rbc-event')).toHaveCount(1);
  await expect(grid(page).locator('[tabindex="0"]')).toHaveCount(1);
  await expectAccessible(page, 'schedule (day, by therapist)');
  // The tab stop is the therapist's 09:00, under the visit now: focus landing there goes to the visit.
  await grid(page).locator('[tabindex="0"]').focus();
  await expect(visit).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: 'Book at Tuesday 1 December at 09:45' })).toBeFocused();

  // Today: checking in moves focus to the visit's next step and says what happened.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today' }).click();
  const arriving = page.getByRole('region', { name: 'Arriving' });
  await expect(arriving).toContainText('Tester, Ana');
  await expectAccessible(page, 'today');
  await arriving.getByRole('button', { name: 'Check in' }).click();
  await expect(page.getByRole('region', { name: 'Checked in' }).getByRole('button', { name: 'Complete' })).toBeFocused();
  await expect(announcer(page)).toHaveText('Tester, Ana: checked in.');
});

test('at 200 % zoom the top bar keeps every control on it and the schedule shows one day', async ({ browser }) => {
  // 1280 × 800 at 200 %: a 640 × 400 CSS-pixel window drawn at twice the density.
  const context = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, timezoneId: 'UTC', locale: 'en-GB' });
  const page = await context.newPage();
  await setUpClinic(page);
  const bar = page.locator('header.topbar');
  const barBox = await bar.boundingBox();
  for (const name of ['Switch user', 'Lock']) {
    const box = await bar.getByRole('button', { name }).boundingBox();
    expect(
      box && barBox && box.x >= barBox.x && box.x + box.width <= barBox.x + barBox.width && box.y + box.height <= barBox.y + barBox.height,
      `${name} inside the bar`,
    ).toBe(true);
  }
  // Nothing scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
  await expect(page.locator('.rbc-time-view .rbc-day-slot')).toHaveCount(1);
  await expect(page.locator('.rbc-toolbar').getByRole('button', { name: 'Week' })).toHaveCount(0);
  await expectAccessible(page, 'schedule at 200 %');
  // No screen scrolls sideways (WCAG 2.2 SC 1.4.10 Reflow).
  for (const name of ['Today', 'Schedule', 'Patients', 'Staff', 'Audit', 'Network', 'Clinic']) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${name} at 200 %`).toBeLessThanOrEqual(0);
  }
  await context.close();
});
