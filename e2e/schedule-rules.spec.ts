import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addStaff, registerAnaTester, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';

stopHostAfterEach();

test('the front desk books from the record with a confirmation and Undo, records a past visit only when confirmed, and checks in and undoes a no-show by the rules', async ({
  page,
}) => {
  // The page and the host live on Tuesday 1 December 2026, from 08:00.
  await setUpClinic(page, { clock: new Date(2026, 11, 1, 8, 0) });
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');

  // The manager sets up a room, a type and the clinic's Tuesday hours (Priya has none of her own).
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.getByLabel('Room or table').fill('Table 1');
  await page.getByRole('button', { name: 'Add room' }).click();
  await expect(page.getByRole('status')).toHaveText('Added Table 1.');
  await page.getByRole('textbox', { name: 'Appointment type' }).fill('Follow-up');
  await page.getByRole('button', { name: 'Add type' }).click();
  await expect(page.getByRole('status')).toHaveText('Added Follow-up.');
  await expect(page.getByRole('table', { name: 'Appointment types' })).toContainText('Follow-up');
  // Rooms are listed, renamed and retired: a retired room is not offered for new bookings.
  await page.getByLabel('Room or table').fill('Table 2');
  await page.getByRole('button', { name: 'Add room' }).click();
  await expect(page.getByRole('status')).toHaveText('Added Table 2.');
  const roomsTable = page.getByRole('table', { name: 'Rooms and tables' });
  await roomsTable.getByRole('button', { name: 'Rename Table 1' }).click();
  await roomsTable.getByLabel('New name').fill('Table A');
  await roomsTable.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Renamed to Table A.');
  await roomsTable.getByRole('button', { name: 'Retire Table 2' }).click();
  await expect(page.getByRole('status')).toHaveText('Table 2 is retired.');
  await expect(roomsTable.getByRole('row', { name: /Table 2/ })).toContainText('Retired');
  await page.getByLabel('Clinic opens Tuesday').fill('07:00');
  await page.getByLabel('Clinic closes Tuesday').fill('18:00');
  await page.getByRole('button', { name: 'Save opening hours' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Opening hours' })).toHaveText('Opening hours and check-in saved.');
  await expectAccessible(page, 'schedule set-up (rooms, types, opening hours)');

  // The front desk registers Ana and books from her record: the form has her chosen and the next free slot.
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await registerAnaTester(page);
  const visits = page.getByRole('region', { name: 'Visits' });
  await expect(visits).toContainText('No upcoming visits.');
  await visits.getByRole('button', { name: 'Book a visit' }).click();
  const form = page.getByRole('form', { name: 'Book a visit' });
  await expect(form).toContainText('Patient: Tester, Ana');
  await expect(form.getByLabel('Starts')).toHaveValue('01/12/2026 08:15');
  await expect(form.getByLabel('Room or table').locator('option')).toHaveText(['No particular room', 'Table A']);
  await form.getByRole('button', { name: 'Book' }).click();
  const booked = page.getByRole('region', { name: 'Visit booked' });
  await expect(booked.getByTestId('booked-summary')).toContainText('Tester, Ana with Priya Raman');
  await expectAccessible(page, 'booking confirmation (patient record)');
  await expect(booked.getByTestId('booked-summary')).toContainText('no particular room, Follow-up');
  // Undo cancels it.
  await booked.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('region', { name: 'Booking undone' })).toBeVisible();
  await expect(visits.getByRole('table', { name: 'Upcoming' })).toContainText('Cancelled (Booked in error');
  await page.getByRole('region', { name: 'Booking undone' }).getByRole('button', { name: 'Close' }).click();
  // Booked again: the slot the undone visit had is free again.
  await visits.getByRole('button', { name: 'Book a visit' }).click();
  await expect(form.getByLabel('Starts')).toHaveValue('01/12/2026 08:15');
  await form.getByRole('button', { name: 'Book' }).click();
  await booked.getByRole('button', { name: 'Close' }).click();
  await expect(visits.getByRole('table', { name: 'Upcoming' }).getByRole('cell', { name: 'Booked', exact: true })).toHaveCount(1);

  // A visit at 07:00 this morning: refused until "Record a past visit" is ticked.
  await visits.getByRole('button', { name: 'Book a visit' }).click();
  await form.getByLabel('Starts').fill('2026-12-01T07:00');
  await expect(form.getByLabel(/Record a past visit/)).not.toBeChecked();
  await form.getByRole('button', { name: 'Book' }).click();
  await expect(form.getByRole('alert')).toContainText('has already passed. To record a past visit, confirm "Record a past visit" and book again.');
  await form.getByLabel(/Record a past visit/).check();
  await form.getByRole('button', { name: 'Book' }).click();
  await booked.getByRole('button', { name: 'Close' }).click();
  await expect(visits.getByRole('table', { name: 'Past' }).getByRole('cell', { name: 'Booked', exact: true })).toHaveCount(1);
  await expectAccessible(page, "patient record with the patient's visits");

  // On the schedule: the 07:00 visit is a no-show, undone with a reason that shows in its history.
  await page.getByRole('button', { name: 'Schedule' }).click();
  const panel = page.getByRole('dialog', { name: 'Visit: Tester, Ana' });
  await page.locator('.rbc-event').filter({ hasText: '07:00' }).click();
  await panel.getByRole('button', { name: 'No-show' }).click();
  await expect(panel.getByTestId('appointment-status')).toHaveText('No-show');
  await panel.getByRole('button', { name: 'Undo (No-show)' }).click();
  await expect(panel.getByRole('alert')).toHaveText('Give a reason for undoing the no-show.');
  await panel.getByLabel(/Reason for undoing/).fill('She was in the waiting room');
  await panel.getByRole('button', { name: 'Undo (No-show)' }).click();
  await expect(panel.getByTestId('appointment-status')).toHaveText('Booked');
  const history = panel.getByTestId('visit-history');
  await expect(history).toContainText('No-show');
  await expect(history).toContainText('Back to booked');
  await expect(history).toContainText('by Fran Ortiz (She was in the waiting room)');
  await expectAccessible(page, 'visit panel with history');
  await panel.getByRole('button', { name: 'Close' }).click();

  // The 08:15 visit has not started: no no-show yet, but check-in is open (an hour before).
  await page.locator('.rbc-event.status-booked').filter({ hasText: '08:15' }).click();
  await panel.getByRole('button', { name: 'No-show' }).click();
  await expect(panel.getByRole('alert')).toContainText('A no-show can only be recorded once the visit has started');
  await expect(panel.getByTestId('appointment-status')).toHaveText('Booked');
  await panel.getByRole('button', { name: 'Check in' }).click();
  await expect(panel.getByTestId('appointment-status')).toHaveText('Checked in');
  await panel.getByRole('button', { name: 'Close' }).click();

  // A visit at 11:00 cannot be checked in yet.
  await page.getByRole('button', { name: 'Book a visit' }).click();
  await form.getByLabel(/^Patient/).fill('tester');
  await form.getByRole('button', { name: /Tester, Ana/ }).click();
  await form.getByLabel('Starts').fill('2026-12-01T11:00');
  await form.getByRole('button', { name: 'Book' }).click();
  await booked.getByRole('button', { name: 'Close' }).click();
  await page.locator('.rbc-event').filter({ hasText: '11:00' }).click();
  await panel.getByRole('button', { name: 'Check in' }).click();
  await expect(panel.getByRole('alert')).toContainText('Check-in opens 60 minutes before the visit');
  await expect(panel.getByTestId('appointment-status')).toHaveText('Booked');

  // On Today the front desk records a no-show and undoes it there too, with a reason.
  await page.keyboard.press('Escape');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today' }).click();
  const arriving = page.getByRole('region', { name: 'Arriving' });
  await arriving.getByRole('row').filter({ hasText: '07:00' }).getByRole('button', { name: 'No-show' }).click();
  const missed = page.getByRole('region', { name: 'No-shows and cancellations' });
  await missed.getByRole('row').filter({ hasText: '07:00' }).getByRole('button', { name: 'Undo no-show' }).click();
  const undo = missed.getByRole('form', { name: /Undo the no-show/ });
  await undo.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(undo.getByRole('alert')).toHaveText('Give a reason for undoing the no-show.');
  await undo.getByLabel('Reason for undoing').fill('Came in late, seen at 07:20');
  await undo.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(arriving.getByRole('row').filter({ hasText: '07:00' })).toContainText('Booked');
  await expectAccessible(page, 'Today after undoing a no-show');

  // Another day, typed in the clinic's date format.
  await page.getByLabel('Day', { exact: true }).fill('02/12/2026');
  await page.getByLabel('Day', { exact: true }).press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('2 December');
});
