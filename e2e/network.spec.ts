import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { setUpClinic, stopHostAfterEach } from './journeys.js';

stopHostAfterEach();

test('a manager sets a signalling server and shows a pairing code for a new device', async ({ page }) => {
  await setUpClinic(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Network' }).click();
  await expect(page.getByRole('heading', { name: 'Network', level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Devices' }).getByText('This device', { exact: true })).toBeVisible();
  await expectAccessible(page, 'network');

  // No signalling server yet: pairing explains that and asks for one first.
  const pairPanel = page.getByRole('region', { name: 'Pair a device' });
  await expect(pairPanel.getByRole('button', { name: 'Show pairing code' })).toHaveCount(0);
  // Nothing listens on port 9; the address only has to be valid.
  await pairPanel.getByLabel('Signalling servers').fill('ws://127.0.0.1:9');
  await pairPanel.getByRole('button', { name: 'Save signalling servers' }).click();

  await pairPanel.getByRole('button', { name: 'Show pairing code' }).click();
  const code = page.getByTestId('pairing-code');
  await expect(code).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const shown = (await code.textContent())!;
  await expect(page.getByTestId('join-command')).toHaveText(`movelog join ${shown} --signal ws://127.0.0.1:9`);
  await expect(pairPanel).toContainText('The code works once, for 10 minutes.');

  // The saved server is listed, and an address that is not ws:// or wss:// is refused inline.
  const signalling = page.getByRole('region', { name: 'Signalling servers' });
  await expect(signalling.getByRole('listitem')).toHaveText(['ws://127.0.0.1:9']);
  await signalling.getByLabel('Signalling servers').fill('http://x');
  await signalling.getByRole('button', { name: 'Save signalling servers' }).click();
  await expect(signalling.getByRole('alert')).toContainText('Use a signalling address like ws://192.168.1.20:4444.');
  await expect(signalling.getByLabel('Signalling servers')).toHaveAttribute('aria-invalid', 'true');

  // Nothing was refused on this new clinic.
  await expect(page.getByText('Nothing refused.')).toBeVisible();
  await expect(page.getByText('No forks.')).toBeVisible();
});
