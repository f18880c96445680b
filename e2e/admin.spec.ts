import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addStaff, openAnaTester, registerAnaTester, setUpClinic, stopHostAfterEach } from './journeys.js';

stopHostAfterEach();

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

/** Staff → Clinic settings: picks the clinic's date and time format and saves. */
async function setLocale(page: Page, locale: string): Promise<void> {
  await nav(page, 'Staff');
  await page.getByLabel('Date and time format').selectOption(locale);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
}

test("a manager switches the clinic's date and time format, and every screen and input follows it", async ({ page }) => {
  // The page lives on Tuesday 1 December 2026, 08:00 (its own clock): day 1 of month 12 tells the orders apart.
  await page.clock.install({ time: new Date(2026, 11, 1, 8, 0) });
  await setUpClinic(page);
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
  await nav(page, 'Schedule');
  await page.getByRole('textbox', { name: 'Appointment type' }).fill('Follow-up');
  await page.getByRole('button', { name: 'Add type' }).click();
  await expect(page.getByRole('status')).toHaveText('Added Follow-up.');
  await registerAnaTester(page);

  // en-US: 12-hour times, month first, the calendar and the inputs included.
  await setLocale(page, 'en-US');
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toContainText('Nov 30, 2026, 2:02 PM');
  await nav(page, 'Today');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Tuesday, December 1');
  await openAnaTester(page);
  await expect(page.getByTestId('patient-details')).toContainText('05/04/1980'); // born 4 May 1980, month first
  await nav(page, 'Schedule');
  await expect(page.locator('.rbc-time-gutter').first()).toContainText(/9:00\sAM/);
  await page.getByRole('button', { name: 'Book a visit' }).click();
  const form = page.getByRole('form', { name: 'Book a visit' });
  // The next free time (from the host's own clock), written the clinic's way.
  await expect(form.getByLabel('Starts')).toHaveValue(/^\d{2}\/\d{2}\/\d{4} \d{1,2}:\d{2}\s[AP]M$/);
  await expect(form.getByText('e.g. 11/30/2026 2:00 PM')).toBeVisible();
  await form.getByLabel(/^Patient/).fill('tester');
  await form.getByRole('button', { name: /Tester, Ana/ }).click();
  // A date typed the clinic's way; what is not a date says how to write one.
  await form.getByLabel('Starts').fill('13/01/2026 9:00 AM');
  await form.getByRole('button', { name: 'Book' }).click();
  const starts = form.getByLabel('Starts');
  await expect(starts).toHaveAttribute('aria-invalid', 'true');
  await expect(starts).toHaveAccessibleDescription(/such as 11\/30\/2026 2:00\sPM/);
  await form.getByLabel('Starts').fill('12/01/2026 9:00 AM');
  await form.getByRole('button', { name: 'Book' }).click();
  // The confirmation says when, the clinic's way.
  const booked = page.getByRole('region', { name: 'Visit booked' });
  await expect(booked).toContainText(/9:00\sAM/);
  await booked.getByRole('button', { name: 'Close' }).click();
  const event = page.locator('.rbc-event').filter({ hasText: 'Tester, Ana' });
  await expect(event).toContainText(/9:00\s?–\s?9:\d{2}\sAM/);
  await event.click();
  const panel = page.getByRole('dialog', { name: 'Visit: Tester, Ana' });
  await expect(panel).toContainText(/Tuesday, December 1 at 9:00\sAM/);
  await expect(panel.getByLabel('New time')).toHaveValue(/^12\/01\/2026 9:00\sAM$/);
  await panel.getByRole('button', { name: 'Close' }).click();

  // en-GB: 24-hour times, day first, everywhere.
  await setLocale(page, 'en-GB');
  await nav(page, 'Today');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Tuesday 1 December');
  await expect(page.getByRole('cell', { name: '09:00' }).first()).toBeVisible();
  await nav(page, 'Schedule');
  await expect(page.locator('.rbc-time-gutter').first()).toContainText('09:00');
  await expect(page.locator('.rbc-time-gutter').first()).not.toContainText('AM');
  await expect(page.locator('.rbc-event').filter({ hasText: 'Tester, Ana' })).toContainText(/09:00\s?–\s?09:\d{2}/);
  await page.getByRole('button', { name: 'Book a visit' }).click();
  await expect(form.getByLabel('Starts')).toHaveValue(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  await expect(form.getByText('e.g. 30/11/2026 14:00')).toBeVisible();
});

test('the lock setting says what is wrong with 0, −5 and 100000 minutes, and saves "1 minute"', async ({ page }) => {
  await setUpClinic(page);
  await nav(page, 'Staff');
  const minutes = page.getByLabel('Lock the screen after this many minutes without activity');
  const save = page.getByRole('button', { name: 'Save settings' });
  for (const [typed, message] of [
    ['0', 'At least 1 minute.'],
    ['-5', 'At least 1 minute.'],
    ['100000', 'At most 240 minutes.'],
  ] as const) {
    await minutes.fill(typed);
    await save.click();
    await expect(page.locator('#auto-lock-error')).toHaveText(message);
    await expect(minutes).toHaveAttribute('aria-invalid', 'true');
    await expect(minutes).toBeFocused();
  }
  await expectAccessible(page, 'staff, clinic settings with an error');
  await minutes.fill('1');
  await save.click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toContainText('Screens lock after 1 minute without activity');
  await expect(minutes).not.toHaveAttribute('aria-invalid', 'true');
});

test('the Clinic page says the clinic, its computers and the last check in words, with the ids on demand', async ({ page }) => {
  // The page's timers run as usual until paused below, to see the verification's progress.
  await page.clock.install();
  await setUpClinic(page);
  await registerAnaTester(page); // registering opens the record: the first reading
  await nav(page, 'Clinic');
  await expect(page.getByRole('heading', { name: 'Harbour Rehab' })).toBeVisible();
  const computers = page.getByRole('table', { name: 'Computers of the clinic' });
  await expect(computers.getByRole('row', { name: /First device \(this computer\)/ })).toContainText('Active');
  await expect(page.getByText('No checkpoint of this computer has been witnessed yet')).toBeVisible();
  await expect(page.getByTestId('last-verify')).toHaveText('The whole record has not been verified on this computer yet.');
  // The verification runs as a job off Movelog's main thread: while the page's clock is paused
  // (it asks for progress on a timer), its progress bar and Cancel stay on screen.
  await page.clock.pauseAt(Date.now() + 60_000);
  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(page.getByRole('progressbar', { name: 'Verifying the record' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await page.clock.resume();
  await expect(page.getByRole('progressbar')).toBeHidden();
  // A computer that never synced has no witnessed checkpoint: the page does not claim that nothing was removed.
  await expect(page.getByTestId('last-verify')).toContainText(
    /^Last verified .*: intact \(\d+ entries; nothing was altered\)\. Not checked: removal of the newest entries \(no checkpoint witnessed by another computer is kept yet\)\.$/,
  );
  // Ids and hashes only when asked for.
  const ids = page.getByText('Ids and hashes');
  await expect(page.getByText('Clinic id')).toBeHidden();
  await ids.click();
  await expect(page.getByText('Clinic id')).toBeVisible();
  await expectAccessible(page, 'clinic, with ids and hashes shown');

  // The access log says what was read, one line per reading: two openings of the details (the
  // log loads once they are open), and the clinical notes read alongside.
  await openAnaTester(page);
  const log = page.getByTestId('access-log');
  await expect(log.getByRole('listitem').filter({ hasText: "Lee Chen (Manager) opened the patient's details on First device" })).toHaveCount(2);
  await expect(log.getByRole('listitem').filter({ hasText: 'Lee Chen (Manager) read the clinical notes on First device' }).first()).toBeVisible();
  await expect(log).not.toContainText('patient.get');
});
