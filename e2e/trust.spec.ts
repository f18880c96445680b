import { expect, test } from '@playwright/test';
import { setSignaling, setUpClinic, stopHostAfterEach, startOtherHost, startSignal } from './journeys.js';

stopHostAfterEach();

/** Anything that needs the two clinics' hosts to find each other and sync. */
const SYNC = { timeout: 60_000 };

test('two clinics trust each other after comparing the safety number, share their directories, and one withdraws', async ({ page, context }) => {
  const url = await startSignal();

  // Clinic 1: Harbour Rehab, Lee Chen. Clinic 2: Northside Physio, set up in its own host.
  await setUpClinic(page);
  const second = await startOtherHost('movelog-e2e-clinic2-');
  const other = await context.newPage();
  await other.goto(second.url);
  await other.getByLabel('Clinic name').fill('Northside Physio');
  await other.getByLabel('Your name (clinic manager)').fill('Sam Okafor');
  await other.getByLabel('Passphrase').fill('manager passphrase 2');
  await other.getByRole('button', { name: 'Set up clinic' }).click();
  await expect(other.getByTestId('signed-in-as')).toHaveText('Sam Okafor · Manager');

  await setSignaling(page, url);
  await setSignaling(other, url);
  const trust1 = page.getByRole('region', { name: 'Trusted clinics' });
  const trust2 = other.getByRole('region', { name: 'Trusted clinics' });
  await expect(trust1).toContainText('No trusted clinics yet.');
  await expect(trust2).toContainText('patient records stay at this clinic until a patient consents');

  // Clinic 1 invites; the code and the command for a computer without a screen show with the signalling address.
  await trust1.getByRole('button', { name: 'Invite a clinic' }).click();
  const codeShown = page.getByTestId('invitation-code');
  await expect(codeShown).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const code = (await codeShown.textContent())!;
  await expect(page.getByTestId('trust-command')).toHaveText(`movelog trust ${code} --signal ${url}`);
  await expect(trust1).toContainText('Waiting for the other clinic’s manager to enter the code');

  // Clinic 2's manager enters it with the signalling address.
  await trust2.getByLabel('Invitation code').fill(code);
  await trust2.getByLabel('Signalling server').fill(url);
  await trust2.getByRole('button', { name: 'Accept invitation' }).click();

  // Both see the other clinic's name and the same safety number.
  await expect(trust1.getByRole('group', { name: 'Compare the safety number with “Northside Physio”' })).toBeVisible(SYNC);
  await expect(trust2.getByRole('group', { name: 'Compare the safety number with “Harbour Rehab”' })).toBeVisible(SYNC);
  const number1 = page.getByTestId('safety-number');
  const number2 = other.getByTestId('safety-number');
  await expect(number1).toHaveText(/\S/);
  const digits = (await number1.textContent())!;
  await expect(number2).toHaveText(digits);
  await expect(trust1).toContainText('read these digits to each other');

  await trust1.getByRole('button', { name: 'The numbers match' }).click();
  await trust2.getByRole('button', { name: 'The numbers match' }).click();

  // Each lists the other as trusted, with the number they compared.
  const northside = trust1.getByRole('row', { name: /Northside Physio/ });
  const harbour = trust2.getByRole('row', { name: /Harbour Rehab/ });
  await expect(northside.getByRole('cell', { name: 'Trusted', exact: true })).toBeVisible(SYNC);
  await expect(harbour.getByRole('cell', { name: 'Trusted', exact: true })).toBeVisible(SYNC);
  await expect(northside).toContainText(digits);
  await expect(harbour).toContainText(digits);

  // Clinic 1's public directory reached clinic 2 over WebRTC: its manager is in the staff directory.
  await harbour.getByText('Staff directory').click();
  await expect(harbour.getByRole('listitem').filter({ hasText: 'Lee Chen' })).toContainText('Manager', SYNC);

  // Clinic 1 withdraws trust; a reason is required.
  await northside.getByRole('button', { name: 'Withdraw trust…' }).click();
  const withdraw = trust1.getByRole('form', { name: 'Withdraw trust in Northside Physio' });
  await withdraw.getByRole('button', { name: 'Withdraw trust', exact: true }).click();
  await expect(withdraw).toContainText('Say why trust is withdrawn.');
  await withdraw.getByLabel('Reason (kept in the record)').fill('Partnership ended');
  await withdraw.getByRole('button', { name: 'Withdraw trust', exact: true }).click();
  await expect(trust1.getByRole('status').filter({ hasText: 'Withdrew trust in “Northside Physio”' })).toBeVisible();
  await expect(northside.getByRole('cell', { name: 'Withdrawn', exact: true })).toBeVisible(SYNC);
  await expect(northside.getByRole('button', { name: 'Withdraw trust…' })).toHaveCount(0);
});
