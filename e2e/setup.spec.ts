import { expect, test } from '@playwright/test';
import { startHostProcess, tempDataDir } from '../test/support/host.js';
import { expectAccessible } from './accessibility.js';
import type { HostProcess } from '../test/support/host.js';

let host: HostProcess | null = null;
test.afterEach(async () => {
  await host?.stop();
  host = null;
});

test('a person sets up a clinic in the browser and finds it again after a restart', async ({ page }) => {
  const dataDir = tempDataDir('movelog-e2e-');
  host = await startHostProcess(dataDir);
  // A page that loads cleanly: no console errors (zod's eval probe used to trip the CSP) and no
  // failed requests (the browser asks for a favicon on its own).
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  await page.goto(host.url);

  await expect(page.getByRole('heading', { name: 'Set up your clinic' })).toBeVisible();
  // The token leaves the address bar once the page has taken it.
  await expect(page).toHaveURL(`${host.origin}/`);
  await expectAccessible(page, 'setup');

  // The other way in: joining an existing clinic.
  await page.getByRole('button', { name: 'Join it with a pairing code' }).click();
  await expect(page.getByRole('heading', { name: 'Join your clinic' })).toBeVisible();
  await expectAccessible(page, 'join');
  await page.getByRole('button', { name: 'Back' }).click();

  // Submitting an empty form shows what to fix and changes nothing.
  await page.getByRole('button', { name: 'Set up clinic' }).click();
  await expect(page.getByText('Clinic name is required.')).toBeVisible();
  await expect(page.getByText('Passphrase must be at least 10 characters.')).toBeVisible();
  // Each error is read with its field, focus is on the first, and the count is said.
  await expect(page.getByLabel('Clinic name')).toBeFocused();
  await expect(page.getByLabel('Clinic name')).toHaveAccessibleDescription('Clinic name is required.');
  await expect(page.getByTestId('announcer')).toHaveText(/^\d+ fields need attention\.$/);
  await expectAccessible(page, 'setup (with errors)');

  await page.getByLabel('Clinic name').fill('Riverside Physio');
  await page.getByLabel('Your name (clinic manager)').fill('Ada Moreno');
  await page.getByLabel('Passphrase').fill('correct horse battery');
  await page.getByRole('button', { name: 'Set up clinic' }).click();

  await page.getByRole('button', { name: 'Clinic' }).click();
  await expect(page.getByRole('heading', { name: 'Riverside Physio' })).toBeVisible();
  await expect(page.getByTestId('manager-name')).toHaveText('Ada Moreno');
  // Setup is five signed entries: the clinic, its manager, the manager's passphrase verifier, the clinic's time zone and its locale.
  await expect(page.getByTestId('entry-count')).toHaveText('5');
  await expectAccessible(page, 'clinic');
  expect(problems).toEqual([]);

  await host.stop();
  host = await startHostProcess(dataDir);
  await page.goto(host.url);
  // A restart signs everyone out; the clinic and its manager are still there.
  await expect(page.getByRole('heading', { name: 'Sign in to Riverside Physio' })).toBeVisible();
  await expectAccessible(page, 'sign-in');
  await page.getByLabel('Ada Moreno').check();
  await page.getByLabel('Passphrase').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Clinic' }).click();
  await expect(page.getByRole('heading', { name: 'Riverside Physio' })).toBeVisible();
  await expect(page.getByTestId('manager-name')).toHaveText('Ada Moreno');
});

test('a page opened without the access key explains what to do', async ({ page }) => {
  host = await startHostProcess(tempDataDir('movelog-e2e-'));
  await page.goto(`${host.origin}/`);
  await expect(page.getByRole('heading', { name: 'Open Movelog from the address it printed' })).toBeVisible();
  await expectAccessible(page, 'no access key');
});

test('an old address after a restart says how to reconnect instead of failing silently', async ({ page }) => {
  const dataDir = tempDataDir('movelog-e2e-');
  host = await startHostProcess(dataDir);
  const port = host.port;
  await host.stop();
  // Same port, new launch: the old token must not work.
  host = await startHostProcess(dataDir, ['--port', String(port)]);
  await page.goto(`${host.origin}/#token=stale-token-from-an-earlier-launch`);
  await expect(page.getByRole('alert')).toContainText('open the new address it printed');
});
