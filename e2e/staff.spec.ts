import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addStaff, setUpClinic, signIn, stopHostAfterEach } from './journeys.js';

stopHostAfterEach();

test('a manager adds a front-desk colleague, who signs in on the same machine and sees only what the role allows', async ({ page }) => {
  await setUpClinic(page);
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await expect(page.getByRole('row', { name: /Fran Ortiz Front desk/ })).toBeVisible();
  await expectAccessible(page, 'staff');
  // A new passphrase the schema refuses: the reason is on the field, which has focus.
  await page
    .getByRole('row', { name: /Fran Ortiz Front desk/ })
    .getByRole('button', { name: 'Set passphrase' })
    .click();
  const newPassphrase = page.getByRole('form', { name: 'New passphrase for Fran Ortiz' }).getByLabel('Passphrase');
  await newPassphrase.fill('short');
  await newPassphrase.press('Enter');
  await expect(newPassphrase).toHaveAttribute('aria-invalid', 'true');
  await expect(newPassphrase).toHaveAccessibleDescription(/^Passphrase must be at least/);
  await expect(newPassphrase).toBeFocused();
  await page.getByRole('form', { name: 'New passphrase for Fran Ortiz' }).getByRole('button', { name: 'Cancel' }).click();

  // Quick switch on a shared front-desk machine.
  await page.getByRole('button', { name: 'Switch user' }).click();
  // Signing in without a name: said with the names, focus on the first.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('group', { name: 'Who are you?' })).toHaveAccessibleDescription('Choose your name first.');
  await expect(page.getByRole('radio').first()).toBeFocused();
  await signIn(page, 'Fran Ortiz', 'wrong passphrase!');
  await expect(page.getByRole('alert')).toHaveText('That passphrase is not right. Check it and try again.');
  // The passphrase was cleared; focus is there to try again.
  await expect(page.getByLabel('Passphrase')).toBeFocused();
  await signIn(page, 'Fran Ortiz', 'front desk passphrase');
  await expect(page.getByTestId('signed-in-as')).toHaveText('Fran Ortiz · Front desk');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Staff' })).toHaveCount(0);
});

test('a manager stops listing names at sign-in; a colleague then types their name to sign in', async ({ page }) => {
  await setUpClinic(page);
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Staff' }).click();
  await page.getByLabel('List staff names on the sign-in screen').uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.getByRole('button', { name: 'Switch user' }).click();
  await expect(page.getByRole('radio')).toHaveCount(0);
  await expect(page.getByText('Lee Chen')).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('group', { name: 'Who are you?' })).toHaveAccessibleDescription('Enter your name first.');
  await expect(page.getByLabel('Your name')).toBeFocused();
  await page.getByLabel('Your name').fill('fran ortiz');
  await page.getByLabel('Passphrase').fill('front desk passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText('Fran Ortiz · Front desk');
  await expectAccessible(page, 'sign-in by typed name');
});

test('the screen locks itself after the idle time and clears what was shown', async ({ page }) => {
  await page.clock.install();
  await setUpClinic(page);
  await page.getByRole('button', { name: 'Clinic' }).click();
  await expect(page.getByRole('heading', { name: 'Harbour Rehab' })).toBeVisible();
  await page.clock.fastForward('05:01');
  await expect(page.getByRole('heading', { name: 'Sign in to Harbour Rehab' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Locked after 5 minutes without activity.');
  await expect(page.getByTestId('manager-name')).toHaveCount(0);
  await signIn(page, 'Lee Chen', 'manager passphrase 1');
  await expect(page.getByTestId('signed-in-as')).toHaveText('Lee Chen · Manager');
});

test.describe('on a computer in New York', () => {
  test.use({ timezoneId: 'America/New_York' });

  test("a manager sets the clinic's time zone; a computer on another zone says so, and the hours follow the clinic's clocks", async ({ page }) => {
    await setUpClinic(page);
    await expect(page.getByRole('note')).toHaveCount(0); // set up in this computer's zone, the default
    await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Staff' }).click();
    await page.getByLabel('Clinic time zone').selectOption('Europe/Berlin');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toContainText("the clinic's time zone is Europe/Berlin");
    await page.getByRole('button', { name: 'Switch user' }).click();
    await signIn(page, 'Lee Chen', 'manager passphrase 1');
    await expect(page.getByRole('note')).toHaveText(
      "This computer shows times in America/New York; the clinic's time zone is Europe/Berlin. Weekly hours and repeating visits follow the clinic's clocks.",
    );
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
    await expect(page.getByText("Times are the clinic's (Europe/Berlin).")).toBeVisible();
  });
});
