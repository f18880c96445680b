import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { openRawDatabase } from '../test/support/rawDb.js';
import { movelogCli } from '../test/support/cli.js';
import { startHostProcess, tempDataDir } from '../test/support/host.js';
import type { HostProcess } from '../test/support/host.js';
import { expectAccessible } from './accessibility.js';
import { signIn } from './journeys.js';

/** The demo clinic (`movelog demo`) as a new clinic first sees it: 200 patients, three weeks of visits and notes. */
const DEMO_PASSPHRASE = 'movelog demo passphrase';
const hosts: HostProcess[] = [];
test.afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop();
});

async function openDemo(page: Page): Promise<string> {
  const data = tempDataDir('movelog-e2e-demo-');
  const made = await movelogCli(['demo', '--data', data]);
  expect(made.code, made.stderr).toBe(0);
  const host = await startHostProcess(data);
  hosts.push(host);
  await page.goto(host.url);
  return data;
}

const results = (page: Page) => page.getByRole('table', { name: 'Search results' });
const search = (page: Page) => page.getByLabel('Search by name, date of birth or phone');

// The demo clinic is set up from the command line, which records no locale: it shows dates in the
// host computer's own locale, day-first or month-first (docs/architecture.md#dates-times-and-the-clinic-locale).
const BORN = /28\/05\/1986|05\/28\/1986/;

test('the front desk finds a patient by name and date of birth, and by the phone prefix everyone shares', async ({ page }) => {
  await openDemo(page);
  await signIn(page, 'Fran Ortiz', DEMO_PASSPHRASE);
  await page.getByRole('button', { name: 'Patients' }).click();

  // Three "Tanaka, Olivia": the year of birth picks the one meant.
  await search(page).fill('tanaka olivia');
  await expect(results(page).getByRole('row').filter({ hasText: 'Tanaka, Olivia' })).toHaveCount(3);
  await search(page).fill('tanaka 1986');
  await expect(results(page).getByRole('row')).toHaveCount(2); // the header and Olivia
  await expect(results(page).getByRole('row').nth(1)).toContainText('Tanaka, Olivia');
  await expect(results(page).getByRole('row').nth(1)).toContainText(BORN);
  await search(page).fill('olivia 28/05/1986');
  await expect(results(page).getByRole('row')).toHaveCount(2);
  await expect(results(page).getByRole('row').nth(1)).toContainText(BORN);

  // Every demo phone number starts with 555: the first 50, and a note to narrow the search.
  await search(page).fill('555');
  await expect(results(page).getByRole('row')).toHaveCount(51);
  await expect(page.getByText('More than 50 patients match: showing the first 50.')).toBeVisible();
  await expectAccessible(page, 'patients: search with more results than shown');
  await search(page).fill('555 829 1181');
  await expect(results(page).getByRole('row')).toHaveCount(2);
  await expect(results(page).getByRole('row').nth(1)).toContainText('Tanaka, Olivia');

  // A date that does not exist is explained, not met with "no patient".
  await search(page).fill('tanaka 31/02/1986');
  await expect(page.getByRole('alert')).toHaveText('“31/02/1986” is not a date: February 1986 has 28 days.');
  await search(page).fill('tanaka 1899');
  await expect(page.getByText(/No patient matches “tanaka 1899”\./)).toBeVisible();
});

test('a therapist writing a second note for a visit is shown the first and adds an addendum instead', async ({ page }) => {
  const data = await openDemo(page);
  // A patient whose latest visit so far has Priya Raman's signed note: the visit the note form picks first.
  const db = openRawDatabase(data, { readonly: true });
  const patient = db
    .prepare<[number], { family: string; given: string; dob: string }>(
      `SELECT p.family, p.given, p.dob FROM view_patients p
        JOIN view_appointments a ON a.patient_id = p.patient_id AND a.start = (
          SELECT max(start) FROM view_appointments b WHERE b.patient_id = p.patient_id AND b.start <= ? AND b.status NOT IN ('cancelled', 'late_cancelled', 'no_show'))
        JOIN view_notes n ON n.appointment_id = a.appointment_id
        JOIN view_staff s ON s.id = n.author_staff AND s.name = 'Priya Raman'
        ORDER BY p.sort_name LIMIT 1`,
    )
    .get(Date.now());
  db.close();
  expect(patient).toBeDefined();
  const { family, given, dob } = patient!;

  await signIn(page, 'Priya Raman', DEMO_PASSPHRASE);
  await page.getByRole('button', { name: 'Patients' }).click();
  await search(page).fill(`${family} ${dob}`);
  await expect(results(page).getByRole('row')).toHaveCount(2);
  await results(page)
    .getByRole('button', { name: `${family}, ${given}` })
    .click();
  const notes = page.getByRole('region', { name: 'Clinical notes' });
  await notes.getByRole('button', { name: 'Write a note' }).click();
  const form = page.getByRole('form', { name: 'Write a clinical note' });
  const warning = form.getByRole('alert').filter({ hasText: 'This visit already has a signed note' });
  await expect(warning).toContainText('by Priya Raman');
  await form.getByLabel('Subjective').fill('Patient rang back: pain eased after the session.');
  await expectAccessible(page, 'note form: the visit already has a note');

  // Signing anyway without saying so is refused by main, with its reason.
  await form.getByRole('button', { name: 'Sign a second note' }).click();
  await expect(form.getByRole('alert').filter({ hasText: 'confirm that this visit needs a second note' })).toBeVisible();

  // The first note is one click away; the addendum takes what was typed.
  await warning.getByRole('button', { name: 'Show that note' }).click();
  await expect(notes.locator('article:focus')).toContainText('by Priya Raman');
  const first = notes.locator(`#${await page.evaluate(() => document.activeElement?.id ?? '')}`);
  await warning.getByRole('button', { name: 'Add an addendum instead' }).click();
  await expect(form).toHaveCount(0);
  const addendum = notes.getByLabel('Addendum text');
  await expect(addendum).toBeFocused();
  await expect(addendum).toHaveValue('Subjective: Patient rang back: pain eased after the session.');
  await notes.getByRole('button', { name: 'Sign addendum' }).click();
  await expect(first.getByRole('list', { name: 'Addenda' })).toContainText(
    'by Priya Raman: Subjective: Patient rang back: pain eased after the session.',
  );

  // A second note for the visit, confirmed, is signed.
  const before = await notes.getByRole('article').count();
  await notes.getByRole('button', { name: 'Write a note' }).click();
  await form.getByLabel('Objective').fill('Separate discipline: hydrotherapy assessment.');
  await form.getByLabel('This visit needs a second note (not an addendum)').check();
  await form.getByRole('button', { name: 'Sign a second note' }).click();
  await expect(notes.getByRole('status').filter({ hasText: 'Note signed.' })).toBeVisible();
  await expect(notes.getByRole('article')).toHaveCount(before + 1);
});
