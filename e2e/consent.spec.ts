import { expect, test } from '@playwright/test';
import type { BrowserContext, Page } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import {
  addAppointmentType,
  addStaff,
  bookVisitFromRecord,
  openAnaTester,
  openAsEmergency,
  openEpisode,
  registerAnaTester,
  setSignaling,
  setUpClinic,
  startOtherHost,
  startSignal,
  stopHostAfterEach,
  switchTo,
} from './journeys.js';

stopHostAfterEach();
// Two hosts that find each other, trust each other and sync: longer than one host's journey.
test.setTimeout(240_000);

/** Anything that waits for the two clinics' hosts to find each other and sync. */
const SYNC = { timeout: 60_000 };

/** The two managers trust each other: one invites, the other accepts, both compare the safety number. */
async function trustEachOther(harbour: Page, summit: Page, signal: string): Promise<void> {
  const trust1 = harbour.getByRole('region', { name: 'Trusted clinics' });
  const trust2 = summit.getByRole('region', { name: 'Trusted clinics' });
  await trust1.getByRole('button', { name: 'Invite a clinic' }).click();
  const code = harbour.getByTestId('invitation-code');
  await expect(code).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await trust2.getByLabel('Invitation code').fill((await code.textContent()) ?? '');
  await trust2.getByLabel('Signalling server').fill(signal);
  await trust2.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(trust1.getByRole('group', { name: 'Compare the safety number with “Summit Physio”' })).toBeVisible(SYNC);
  await expect(trust2.getByRole('group', { name: 'Compare the safety number with “Harbour Rehab”' })).toBeVisible(SYNC);
  await trust1.getByRole('button', { name: 'The numbers match' }).click();
  await trust2.getByRole('button', { name: 'The numbers match' }).click();
  await expect(trust1.getByRole('row', { name: /Summit Physio/ }).getByRole('cell', { name: 'Trusted', exact: true })).toBeVisible(SYNC);
  await expect(trust2.getByRole('row', { name: /Harbour Rehab/ }).getByRole('cell', { name: 'Trusted', exact: true })).toBeVisible(SYNC);
}

/** Draws a signature on the pad with the mouse: two strokes, as a person signs. */
async function sign(page: Page): Promise<void> {
  const pad = page.getByTestId('signature-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('the signature pad is not on screen');
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(0.1, 0.7));
  await page.mouse.down();
  for (let i = 1; i <= 24; i++) await page.mouse.move(...at(0.1 + i * 0.02, 0.5 - 0.25 * Math.sin(i / 2.5)), { steps: 3 });
  await page.mouse.up();
  await page.mouse.move(...at(0.65, 0.3));
  await page.mouse.down();
  await page.mouse.move(...at(0.8, 0.75), { steps: 8 });
  await page.mouse.up();
}

/**
 * Searches the Patients screen until `expected` holds of the result for `query`: search answers
 * once per query, so waiting for sync means asking again, as a person would.
 */
async function searchUntil(page: Page, query: string, expected: (result: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(async () => {
    // Another screen and back: the Patients screen opens afresh and searches again.
    await nav.getByRole('button', { name: 'Today' }).click();
    await nav.getByRole('button', { name: 'Patients' }).click();
    await page.getByLabel(/Search by name/).fill(query);
    await expected(page.getByRole('table', { name: 'Search results' }));
  }).toPass(SYNC);
}

/**
 * Harbour Rehab (Lee Chen) and Summit Physio (Sam Okafor), each in its own host, trust each other;
 * Harbour has a front desk and a therapist, Summit a therapist. Returns Summit's page.
 */
async function twoClinics(harbour: Page, context: BrowserContext): Promise<Page> {
  const signal = await startSignal();
  await setUpClinic(harbour);
  const summitHost = await startOtherHost('movelog-e2e-summit-');
  const summit = await context.newPage();
  await summit.goto(summitHost.url);
  await summit.getByLabel('Clinic name').fill('Summit Physio');
  await summit.getByLabel('Your name (clinic manager)').fill('Sam Okafor');
  await summit.getByLabel('Passphrase').fill('manager passphrase 2');
  await summit.getByRole('button', { name: 'Set up clinic' }).click();
  await expect(summit.getByTestId('signed-in-as')).toHaveText('Sam Okafor · Manager');
  await setSignaling(harbour, signal);
  await setSignaling(summit, signal);
  await trustEachOther(harbour, summit, signal);

  await addStaff(harbour, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await addStaff(harbour, 'Priya Raman', 'therapist', 'therapist passphrase');
  await addStaff(summit, 'Jo Park', 'therapist', 'summit therapist passphrase');
  await addAppointmentType(harbour);

  return summit;
}

/**
 * Harbour's front desk registers Ana Tester, who consents that Summit sees her details and clinical
 * notes: signing on screen with the mouse, or aloud before a witness, recorded with the keyboard alone.
 */
async function grantConsent(harbour: Page, how: 'drawn' | 'verbal'): Promise<void> {
  // Harbour's front desk registers Ana Tester; no other clinic sees her record yet.
  await switchTo(harbour, 'Fran Ortiz', 'front desk passphrase');
  await registerAnaTester(harbour);
  // Booked with Priya: Ana is in her care at Harbour (docs/architecture.md#break-the-glass).
  await bookVisitFromRecord(harbour, 'Priya Raman');
  // The record's tabs are one Tab stop; the arrow keys move between them.
  await harbour.getByRole('tab', { name: 'Record' }).focus();
  await harbour.keyboard.press('ArrowRight');
  await expect(harbour.getByRole('tab', { name: 'Consent' })).toBeFocused();
  await expect(harbour.getByRole('tab', { name: 'Consent' })).toHaveAttribute('aria-selected', 'true');
  await expect(harbour.getByRole('region', { name: 'Who can see what now' })).toContainText('No other clinic may see this record');
  await expectAccessible(harbour, 'consent tab');

  // She consents, signing on screen, that Summit sees her details and clinical notes.
  await harbour.getByRole('button', { name: 'Record consent…' }).click();
  const grant = harbour.getByRole('form', { name: 'Record the patient’s consent' });
  await grant.getByLabel('Clinic that may see the record').selectOption({ label: 'Summit Physio' });
  await grant.getByRole('button', { name: 'Record consent' }).click();
  // Nothing ticked, no purpose, not signed: the first problem takes focus, and the count is said.
  await expect(grant.getByLabel(/^Details/)).toBeFocused();
  await expect(grant).toContainText('Choose at least one part of the record to share.');
  await expect(grant).toContainText('Ask the patient to sign in the box');
  await expectAccessible(harbour, 'consent form (with errors)');
  await grant.getByLabel(/^Details/).check();
  await grant.getByLabel(/^Clinical notes/).check();
  await grant.getByLabel('Purpose').selectOption({ label: 'Second opinion' });
  await grant.getByLabel('Last day').fill('31/05/2099');
  if (how === 'drawn') {
    await sign(harbour);
    await expect(grant).toContainText('Signed.');
  } else {
    await grant.getByLabel('The patient signs on this screen').focus();
    await harbour.keyboard.press('ArrowDown');
    await harbour.keyboard.press('ArrowDown');
    await expect(grant.getByLabel('Verbal consent before a witness')).toBeChecked();
    await harbour.keyboard.press('Tab');
    await expect(grant.getByLabel('Witness’s name')).toBeFocused();
    await harbour.keyboard.type('Priya Raman');
  }
  await grant.getByRole('button', { name: 'Record consent' }).click();
  const now = harbour.getByRole('region', { name: 'Who can see what now' });
  await expect(now.getByRole('status')).toHaveText('Consent recorded: Summit Physio may see details, clinical notes until 31 May 2099.');
  await expect(now.getByRole('row', { name: /Summit Physio/ })).toContainText('details, clinical notes');
  const history = harbour.getByRole('region', { name: 'History of consent' });
  const granted = history.getByRole('row', { name: /Consent: Summit Physio may see details, clinical notes/ });
  await expect(granted).toContainText('Second opinion');
  if (how === 'drawn') {
    await expect(granted).toContainText('signature drawn on screen');
    await expect(granted.getByRole('img', { name: 'The patient’s signature' })).toBeVisible();
  } else await expect(granted).toContainText('verbal, witnessed by Priya Raman');
  await expect(granted).toContainText('Fran Ortiz');
  await expect(granted).toContainText('In force');
  await expectAccessible(harbour, 'consent tab (one grant)');
}

/** At Summit the record is locked, and says what that means. */
async function expectLockedAtSummit(summit: Page): Promise<void> {
  // Its name is no longer readable there (nor searchable): the list of all patients shows it.
  await searchUntil(summit, '', async (results) => {
    await expect(results.getByTestId('shared-tag')).toHaveText('Shared by Harbour Rehab · consent ended, locked', { timeout: 1_000 });
  });
  await summit.getByRole('button', { name: /Locked record shared by Harbour Rehab|Tester, Ana/ }).click();
  const locked = summit.getByTestId('locked-record');
  await expect(locked).toContainText('This record is locked: the patient’s consent for this clinic to see it has ended.');
  await expect(locked).toContainText('What was delivered while the patient consented was delivered, and is now locked on Movelog computers');
  await expect(locked).toContainText('contact Harbour Rehab');
  await expect(summit.getByText('Shoulder stiff in the mornings.')).toHaveCount(0);
  await expect(summit.getByTestId('patient-details')).toHaveCount(0);
  await expectAccessible(summit, 'locked record');
}

test('Harbour shares a patient with Summit by a drawn signature, Summit reads the record, Harbour sees the reading, and a withdrawal locks it at Summit', async ({
  page: harbour,
  context,
}) => {
  const summit = await twoClinics(harbour, context);
  await grantConsent(harbour, 'drawn');

  // Harbour's therapist writes a note.
  await switchTo(harbour, 'Priya Raman', 'therapist passphrase');
  await openAnaTester(harbour);
  const notes = harbour.getByRole('region', { name: 'Clinical notes' });
  await openEpisode(harbour, 'M25.511', 'M25.511', 'Shoulder');
  await notes.getByRole('button', { name: 'Write a note' }).click();
  const note = harbour.getByRole('form', { name: 'Write a clinical note' });
  await note.getByLabel('Subjective').fill('Shoulder stiff in the mornings.');
  await note.getByRole('button', { name: 'Sign note' }).click();
  await expect(notes.getByRole('status').filter({ hasText: 'Note signed.' })).toBeVisible();

  // Summit's therapist finds her, marked as shared, and reads the record and the note.
  await switchTo(summit, 'Jo Park', 'summit therapist passphrase');
  await searchUntil(summit, 'tester', async (results) => {
    await expect(results.getByRole('button', { name: 'Tester, Ana' })).toBeVisible({ timeout: 1_000 });
  });
  const shared = 'Shared by Harbour Rehab · until 31 May 2099 · details, clinical notes';
  await expect(summit.getByTestId('shared-tag')).toHaveText(shared);
  await expectAccessible(summit, 'patient search (a shared patient)');
  await summit.getByRole('button', { name: 'Tester, Ana' }).click();
  // Jo has no visit with Ana at Summit: the second opinion opens as an emergency access, reviewed by Summit's managers.
  await openAsEmergency(summit, 'Second opinion asked by Harbour Rehab');
  await expect(summit.getByRole('heading', { name: 'Tester, Ana' })).toBeVisible();
  await expect(summit.getByTestId('shared-by')).toHaveText(shared);
  await expect(summit.getByTestId('patient-details')).toContainText('04/05/1980');
  await expect(async () => {
    // The clinical stream may arrive after the profile: open the record again until the note is there.
    await summit.getByRole('button', { name: '← All patients' }).click();
    await summit.getByRole('button', { name: 'Tester, Ana' }).click();
    await expect(summit.getByRole('region', { name: 'Clinical notes' })).toContainText('Shoulder stiff in the mornings.', { timeout: 1_000 });
  }).toPass(SYNC);
  await expectAccessible(summit, 'shared record');
  await summit.getByRole('tab', { name: 'Consent' }).click();
  await expect(summit.getByRole('region', { name: 'Who can see what now' }).getByRole('row', { name: /Summit Physio/ })).toContainText(
    'details, clinical notes',
  );
  await expectAccessible(summit, 'consent tab (receiving clinic)');

  // Harbour's manager sees Summit's reading in "Who opened this record", and the count on the Network page.
  await switchTo(harbour, 'Lee Chen', 'manager passphrase 1');
  await expect(async () => {
    await openAnaTester(harbour);
    await expect(harbour.getByTestId('access-log')).toContainText('Jo Park', { timeout: 1_000 });
  }).toPass(SYNC);
  await expect(harbour.getByTestId('access-log').getByRole('listitem').filter({ hasText: 'Jo Park' }).first()).toContainText('Therapist');
  await harbour.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Network' }).click();
  const counts = harbour.getByRole('region', { name: 'Shared patients, by clinic' });
  await expect(counts.getByRole('row', { name: /Summit Physio/ })).toContainText('1 patient');
  await expectAccessible(harbour, 'network (shared patients)');

  // Harbour's front desk records the withdrawal, with its reason.
  await switchTo(harbour, 'Fran Ortiz', 'front desk passphrase');
  await openAnaTester(harbour);
  await harbour.getByRole('tab', { name: 'Consent' }).click();
  await harbour.getByRole('button', { name: 'Withdraw this consent…' }).click();
  const withdraw = harbour.getByRole('form', { name: 'Withdraw this consent for Summit Physio' });
  await withdraw.getByRole('button', { name: 'Record withdrawal' }).click();
  await expect(withdraw.getByLabel('Reason (kept in the record)')).toBeFocused();
  await withdraw.getByLabel('Reason (kept in the record)').fill('The patient asked to stop sharing.');
  await withdraw.getByRole('button', { name: 'Record withdrawal' }).click();
  await expect(harbour.getByRole('region', { name: 'Who can see what now' }).getByRole('status')).toHaveText(
    'Withdrawal recorded: Summit Physio no longer sees details, clinical notes.',
  );
  await expect(harbour.getByRole('region', { name: 'Who can see what now' })).toContainText('No other clinic may see this record');
  const withdrawn = harbour.getByRole('region', { name: 'History of consent' }).getByRole('row', { name: /Withdrawn: Summit Physio/ });
  await expect(withdrawn).toContainText('The patient asked to stop sharing.');
  const granted = harbour.getByRole('region', { name: 'History of consent' }).getByRole('row', { name: /Consent: Summit Physio may see/ });
  await expect(granted).toContainText('Withdrawn');
  await expectAccessible(harbour, 'consent tab (withdrawn)');

  // At Summit the record is locked, and says what that means.
  await expectLockedAtSummit(summit);
});

test('a withdrawal the patient tells Summit about is recorded at Summit, and locks the record there', async ({ page: harbour, context }) => {
  const summit = await twoClinics(harbour, context);
  await grantConsent(harbour, 'verbal');

  await switchTo(summit, 'Jo Park', 'summit therapist passphrase');
  await searchUntil(summit, 'tester', async (results) => {
    await expect(results.getByRole('button', { name: 'Tester, Ana' })).toBeVisible({ timeout: 1_000 });
  });
  await summit.getByRole('button', { name: 'Tester, Ana' }).click();
  await openAsEmergency(summit, 'The patient phoned to stop the sharing');
  await summit.getByRole('tab', { name: 'Consent' }).click();
  const opener = summit.getByRole('button', { name: 'Withdraw consent for Summit Physio…' });
  await expect(opener).toHaveAttribute('aria-expanded', 'false');
  await opener.click();
  const withdraw = summit.getByRole('form', { name: 'Withdraw consent for Summit Physio' });
  // Escape closes the form and goes back to the button that opened it.
  await expect(withdraw.getByLabel('Reason (kept in the record)')).toBeFocused();
  await summit.keyboard.press('Escape');
  await expect(withdraw).toHaveCount(0);
  await expect(opener).toBeFocused();
  await summit.keyboard.press('Enter');
  await expect(opener).toHaveAttribute('aria-expanded', 'true');
  // Every part this clinic sees is ticked to start with; none ticked is refused.
  await withdraw.getByLabel('Details').uncheck();
  await withdraw.getByLabel('Clinical notes').uncheck();
  await withdraw.getByLabel('Reason (kept in the record)').fill('The patient phoned to stop the sharing.');
  await withdraw.getByRole('button', { name: 'Record withdrawal' }).click();
  await expect(withdraw).toContainText('Choose at least one part of the record to share.');
  await expect(withdraw.getByLabel('Details')).toBeFocused();
  await withdraw.getByLabel('Details').check();
  await withdraw.getByLabel('Clinical notes').check();
  await expectAccessible(summit, 'withdrawal form (receiving clinic)');
  await withdraw.getByRole('button', { name: 'Record withdrawal' }).click();
  await expect(summit.getByRole('region', { name: 'Who can see what now' }).getByRole('status')).toHaveText(
    'Withdrawal recorded: Summit Physio no longer sees details, clinical notes.',
  );
  await expectAccessible(summit, 'consent tab (receiving clinic, withdrawn)');
  await expectLockedAtSummit(summit);
});
