import { expect, test } from '@playwright/test';
import { setUpClinic, signIn, stopHostAfterEach, startOtherHost, startSignal } from './journeys.js';

stopHostAfterEach();

test('a manager pairs a second computer through the UI, and records flow to it', async ({ page, context }) => {
  const url = await startSignal();
  await setUpClinic(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Network' }).click();
  const pairPanel = page.getByRole('region', { name: 'Pair a device' });
  await pairPanel.getByLabel('Signalling servers').fill(url);
  await pairPanel.getByRole('button', { name: 'Save signalling servers' }).click();
  await pairPanel.getByRole('button', { name: 'Show pairing code' }).click();
  const code = (await page.getByTestId('pairing-code').textContent())!;

  // The new computer: a fresh browser host, joined from its first screen.
  const second = await startOtherHost('movelog-e2e-second-');
  const other = await context.newPage();
  await other.goto(second.url);
  await other.getByRole('button', { name: 'Join it with a pairing code' }).click();
  await other.getByLabel('Pairing code').fill(code.toLowerCase());
  await other.getByLabel('Signalling server').fill(url);
  await other.getByLabel('Name for this computer').fill('Front desk');
  await other.getByRole('button', { name: 'Join clinic' }).click();

  // Its records arrive through sync; then the clinic's staff can sign in on it.
  await expect(other.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 60_000 });
  await signIn(other, 'Lee Chen', 'manager passphrase 1');
  await expect(other.getByTestId('signed-in-as')).toHaveText('Lee Chen · Manager');

  // The first computer lists it as a connected device of the clinic.
  await expect(pairPanel).toContainText('“Front desk” joined the clinic', { timeout: 30_000 });
  const devices = page.getByRole('table', { name: 'Devices' });
  await expect(devices.getByRole('row', { name: /Front desk/ })).toContainText('Connected', { timeout: 30_000 });

  // A staff member added on the first computer shows up on the second.
  await nav.getByRole('button', { name: 'Staff' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Fran Ortiz');
  await page.getByLabel('Role').selectOption('front_desk');
  await page.getByLabel('First passphrase').fill('front desk passphrase');
  await page.getByRole('button', { name: 'Add staff member' }).click();
  await expect(page.getByRole('status')).toHaveText('Fran Ortiz can now sign in.');
  await expect(async () => {
    await other.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Clinic' }).click();
    await other.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Staff' }).click();
    await expect(other.getByRole('cell', { name: 'Fran Ortiz' })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
});
