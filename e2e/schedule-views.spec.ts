import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addStaff, registerAnaTester, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';

stopHostAfterEach();

/** Manager: a Follow-up type, and Priya Raman (therapist) who works any hour (no weekly hours). */
async function clinicWithPriya(page: Page): Promise<void> {
  // The page lives on Tuesday 1 December 2026, 08:00 (its own clock; the host keeps real time).
  await page.clock.install({ time: new Date(2026, 11, 1, 8, 0) });
  await setUpClinic(page);
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.getByRole('textbox', { name: 'Appointment type' }).fill('Follow-up');
  await page.getByRole('button', { name: 'Add type' }).click();
  await expect(page.getByRole('status')).toHaveText('Added Follow-up.');
}

async function registerPatient(page: Page, given: string, family: string, dob: string): Promise<void> {
  // Through Today: the Patients menu item keeps an open record open.
  const menu = page.getByRole('navigation', { name: 'Main' });
  await menu.getByRole('button', { name: 'Today' }).click();
  await menu.getByRole('button', { name: 'Patients' }).click();
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByLabel('Given name').fill(given);
  await page.getByLabel('Family name').fill(family);
  await page.getByLabel('Date of birth').fill(dob);
  await page.getByLabel('Sex').selectOption('female');
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.getByRole('heading', { name: `${family}, ${given}` })).toBeVisible();
}

/** On the Schedule screen: books the patient the search finds by `query` whose choice matches `choice`. */
async function book(page: Page, query: string, choice: RegExp, start: string): Promise<void> {
  await page.getByRole('button', { name: 'Book a visit' }).click();
  const form = page.getByRole('form', { name: 'Book a visit' });
  await form.getByLabel(/^Patient/).fill(query);
  await form.getByRole('button', { name: choice }).click();
  await form.getByLabel('Starts').fill(start);
  await form.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(form).toHaveCount(0);
  await page.getByRole('region', { name: 'Visit booked' }).getByRole('button', { name: 'Close' }).click();
}

/** Whether `inner` is drawn wholly inside `outer` (not clipped or scrolled out of it). */
async function inside(inner: Locator, outer: Locator): Promise<boolean> {
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  return a !== null && b !== null && a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
}

test('three patients called Olivia Tanaka: Today shows the date of birth and the warning, and opens the right record in one click', async ({
  page,
}) => {
  await clinicWithPriya(page);
  await registerPatient(page, 'Olivia', 'Tanaka', '1986-05-28');
  await registerPatient(page, 'Olivia', 'Tanaka', '1990-02-11');
  await registerPatient(page, 'Olivia', 'Tanaka', '1975-09-30');

  // The booking form's picker tells them apart by date of birth and says the name is shared.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
  await page.getByRole('button', { name: 'Book a visit' }).click();
  const form = page.getByRole('form', { name: 'Book a visit' });
  await form.getByLabel(/^Patient/).fill('tanaka olivia');
  const matches = form.getByRole('list', { name: 'Matching patients' }).getByRole('listitem');
  await expect(matches).toHaveCount(3);
  for (const item of await matches.all()) await expect(item).toContainText('2 other patients share this name — check the date of birth');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await book(page, 'tanaka olivia', /Tanaka, Olivia · born .*1990/, '2026-12-01T09:00');

  // The calendar's visit says who it is in full in its tooltip.
  const visit = page.locator('.rbc-event').filter({ hasText: 'Tanaka, Olivia' });
  await expect(visit).toHaveAttribute('title', /Tanaka, Olivia, born .*1990 \(2 other patients share this name — check the date of birth\)/);

  // Today: the date of birth in its own column, the warning beside the name.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today' }).click();
  const arriving = page.getByRole('region', { name: 'Arriving' });
  await expect(arriving.getByRole('columnheader')).toHaveText(['Time', 'Patient', 'Date of birth', 'Type', 'Therapist', 'Room', 'Status', 'Actions']);
  const row = arriving.getByRole('row').filter({ hasText: 'Tanaka, Olivia' });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(1)).toContainText('1990');
  await expect(row).toContainText('2 other patients share this name — check the date of birth');
  await expectAccessible(page, 'today with a shared name');

  // One click opens the record of this Olivia, not one of the others.
  await row.getByRole('button', { name: 'Tanaka, Olivia' }).click();
  await expect(page.getByRole('heading', { name: 'Tanaka, Olivia' })).toBeVisible();
  await expect(page.getByTestId('patient-details')).toContainText('11/02/1990');

  // The visit panel names her the same way.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
  await page.locator('.rbc-event').filter({ hasText: 'Tanaka, Olivia' }).click();
  const panel = page.getByRole('dialog', { name: /^Visit: Tanaka, Olivia/ });
  await expect(panel.getByRole('heading').first()).toContainText(/Tanaka, Olivia born .*1990/);
  await expect(panel).toContainText('2 other patients share this name — check the date of birth');
  await expectAccessible(page, 'visit panel with a shared name');
  await panel.getByRole('button', { name: 'Close' }).click();

  // Another day on Today: the day after has nothing; back to today shows her again.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today' }).click();
  await page.getByRole('button', { name: 'Next day →' }).click();
  await expect(page.getByRole('heading', { name: /^Visits — Wednesday/ })).toBeVisible();
  await expect(page.getByText('No visits on this day.')).toBeVisible();
  await page.getByRole('button', { name: 'Back to today' }).click();
  await expect(page.getByRole('region', { name: 'Arriving' }).getByRole('row').filter({ hasText: 'Tanaka, Olivia' })).toHaveCount(1);

  // The therapist's own day shows the same identifiers and opens the same record.
  await switchTo(page, 'Priya Raman', 'therapist passphrase');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today' }).click();
  await expect(page.getByRole('heading', { name: /^My day/ })).toBeVisible();
  const mine = page.getByRole('region', { name: 'Arriving' }).getByRole('row').filter({ hasText: 'Tanaka, Olivia' });
  await expect(mine).toContainText('1990');
  await expect(mine).toContainText('2 other patients share this name — check the date of birth');
  await mine.getByRole('button', { name: 'Tanaka, Olivia' }).click();
  await expect(page.getByTestId('patient-details')).toContainText('11/02/1990');
});

test('a visit moved to Saturday 21:30 is drawn in the day and week views, and the calendar says it widened its hours', async ({ page }) => {
  await clinicWithPriya(page);
  await registerAnaTester(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
  await book(page, 'tester', /Tester, Ana/, '2026-12-01T09:00');
  await expect(page.getByTestId('hours-notice')).toHaveCount(0);

  await page.locator('.rbc-event').filter({ hasText: 'Tester, Ana' }).click();
  const panel = page.getByRole('dialog', { name: /^Visit: Tester, Ana/ });
  await panel.getByLabel('New time').fill('2026-12-05T21:30');
  await panel.getByRole('button', { name: 'Move', exact: true }).click();
  // Moving outside the clinic's usual hours may need a second confirmation; either way it is moved.
  const anyway = panel.getByRole('button', { name: 'Move anyway' });
  await expect(anyway.or(panel.getByText(/Saturday.*21:30/)).first()).toBeVisible();
  if (await anyway.isVisible()) await anyway.click();
  await expect(panel).toContainText(/Saturday.*21:30/);
  await panel.getByRole('button', { name: 'Close' }).click();

  // Week view: the visit is in Saturday's column, inside the drawn grid, not scrolled away.
  const grid = page.locator('.rbc-time-content');
  const moved = page.locator('.rbc-event').filter({ hasText: 'Tester, Ana' });
  await expect(moved).toBeVisible();
  await expect(moved).toContainText('Tester, Ana');
  expect(await inside(moved, grid)).toBe(true);
  expect(await inside(moved, page.locator('.rbc-day-slot').nth(5))).toBe(true);
  await expect(page.getByTestId('hours-notice')).toHaveText('1 visit this week is outside 07:00–19:00, so the calendar shows 07:00–23:00.');
  await expect(grid.locator('.rbc-time-gutter')).toContainText('21:00');
  await expectAccessible(page, 'week with an evening visit');

  // Day view on Saturday: the same.
  await page.locator('.rbc-toolbar').getByRole('button', { name: 'Day', exact: true }).click();
  for (let i = 0; i < 4; i++) await page.locator('.rbc-toolbar').getByRole('button', { name: 'Next' }).click();
  await expect(page.locator('.rbc-toolbar-label')).toContainText('Saturday');
  await expect(moved).toBeVisible();
  expect(await inside(moved, grid)).toBe(true);
  await expect(page.getByTestId('hours-notice')).toHaveText('1 visit this day is outside 07:00–19:00, so the calendar shows 07:00–23:00.');

  // The view and columns chosen are kept when the person leaves the screen and comes back.
  await page.getByLabel('Columns').selectOption({ label: 'By therapist' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByLabel('Columns')).toHaveValue('therapist');
  await expect(page.locator('.rbc-toolbar').getByRole('button', { name: 'Day', exact: true })).toHaveClass(/rbc-active/);
  // …for this person only: another staff member starts from the whole clinic's week.
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByLabel('Columns')).toHaveValue('none');
  await expect(page.locator('.rbc-toolbar').getByRole('button', { name: 'Week', exact: true })).toHaveClass(/rbc-active/);
});
