import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import {
  addAppointmentType,
  addStaff,
  bookVisitFromRecord,
  openAnaTester,
  registerAnaTester,
  setUpClinic,
  signIn,
  stopHostAfterEach,
  switchTo,
} from './journeys.js';

stopHostAfterEach();

/** The note form on the open record. */
const noteForm = (page: Page) => page.getByRole('form', { name: 'Write a clinical note' });

/** On the open record: "Write a note", and the form once it has opened (with a draft or fresh). */
async function writeNote(page: Page): Promise<Locator> {
  await page.getByRole('region', { name: 'Clinical notes' }).getByRole('button', { name: 'Write a note' }).click();
  const form = noteForm(page);
  await expect(form.getByTestId('draft-status')).toBeVisible();
  return form;
}

test('a therapist opens an episode with the evaluation, writes a daily note that survives the screen locking, adds measures and billing minutes, signs it, adds an addendum, meets a goal, prints the progress report, sees the new values on the chart and discharges', async ({
  page,
}) => {
  // Tuesday 1 December 2026, 08:00 on the page and the host: both visits below are today's.
  await setUpClinic(page, { clock: new Date(2026, 11, 1, 8, 0) });
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
  await addAppointmentType(page);

  // The front desk registers Ana and books her two visits with Priya today: the evaluation, then treatment.
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await registerAnaTester(page);
  await bookVisitFromRecord(page, 'Priya Raman');
  await bookVisitFromRecord(page, 'Priya Raman');

  // Priya opens today's patient: no episode of care yet, so the note form starts as an evaluation.
  await switchTo(page, 'Priya Raman', 'therapist passphrase');
  await openAnaTester(page);
  const episodes = page.getByRole('region', { name: 'Episodes of care' });
  await expect(episodes).toContainText('No episode of care yet.');
  let form = await writeNote(page);
  await expect(form.getByLabel('Kind of note')).toHaveValue('evaluation');
  await expect(form.getByLabel('History')).toBeVisible();
  await expect(form.getByLabel('Systems review')).toBeVisible();
  await form.getByRole('button', { name: 'Open a new episode of care' }).click();

  // The episode: a diagnosis found by words, the knee, the plan's certification from its weeks, one goal.
  const episodeForm = page.getByRole('form', { name: 'Open an episode of care' });
  const search = episodeForm.getByRole('combobox', { name: 'Find a diagnosis (ICD-10-CM code or words)' });
  await search.fill('pain right knee');
  await expect(episodeForm.getByRole('option', { name: /M25\.561/ })).toBeVisible();
  await search.press('Enter');
  await expect(episodeForm.getByLabel('Diagnosis 1 code')).toHaveValue('M25.561');
  await expect(episodeForm.getByLabel('Diagnosis 1 description')).toHaveValue('Pain in right knee');
  await episodeForm.getByRole('button', { name: 'Open the episode' }).click();
  await expect(episodeForm.getByLabel('Body region')).toHaveAccessibleDescription('Choose the body region.');
  await episodeForm.getByLabel('Body region').selectOption({ label: 'Knee' });
  await expect(episodeForm.getByLabel('Start')).toHaveValue('01/12/2026');
  await expect(episodeForm.getByLabel('Certified to')).toHaveValue('12/01/2027');
  await episodeForm.getByLabel('Payer (optional)').fill('Medicare');
  await episodeForm.getByRole('button', { name: 'Add a goal' }).click();
  const goal = episodeForm.getByRole('group', { name: 'Goal 1' });
  await goal.getByLabel('Goal', { exact: true }).fill('Climb the stairs at home without the rail');
  await goal.getByLabel('Measurable target').fill('One flight, step over step, no rail');
  await goal.getByLabel('Target date').fill('29/12/2026');
  await expectAccessible(page, 'episode form');
  await episodeForm.getByRole('button', { name: 'Open the episode' }).click();
  await expect(episodeForm).toHaveCount(0);
  await expect(form.getByLabel('Episode of care')).toHaveValue(/^[0-9a-f]+$/);
  await expect(episodes.getByRole('article')).toContainText('M25.561 Pain in right knee');
  await expect(episodes.getByRole('article')).toContainText('Climb the stairs at home without the rail');

  // The evaluation, with a pain score, for the first visit.
  await form.getByLabel('History').fill('Twisted the right knee stepping off a bus three weeks ago.');
  await form.getByLabel('Assessment').fill('Knee pain limiting stairs; good prognosis.');
  await form.getByRole('button', { name: 'Add pain' }).click();
  await form.getByLabel('Pain (0–10, NPRS)').fill('6');
  await form.getByRole('button', { name: 'Sign note' }).click();
  const notes = page.getByRole('region', { name: 'Clinical notes' });
  await expect(notes.getByRole('status').filter({ hasText: 'Note signed.' })).toBeVisible();
  const evaluation = notes.getByRole('article', { name: /^Initial evaluation/ });
  await expect(evaluation.getByRole('table', { name: 'Measures' })).toContainText('6 / 10');

  // The daily note: for the second visit of today, with the evaluation's measures carried forward.
  form = await writeNote(page);
  await expect(form.getByLabel('Kind of note')).toHaveValue('daily');
  await expect(form.getByLabel('Visit', { exact: true })).not.toHaveValue('');
  await expect(form.getByRole('alert')).toHaveCount(0); // not the evaluated visit
  await expect(form.getByTestId('carried-forward')).toContainText('are carried forward');
  await expect(form.getByLabel('Pain (0–10, NPRS)')).toHaveValue('6');
  await form.getByLabel('Subjective').fill('Stairs easier since the evaluation; pain 4 this morning.');
  await expect(form.getByTestId('draft-status')).toHaveText(/^Draft saved /);

  // Nobody touches the computer: the screen locks. Signed back in, the draft is there.
  await form.getByLabel('Objective').fill('Walked in without a limp.');
  await page.clock.fastForward('05:01');
  await expect(page.getByRole('heading', { name: 'Sign in to Harbour Rehab' })).toBeVisible();
  await expect(page.getByText('Stairs easier')).toHaveCount(0);
  await signIn(page, 'Priya Raman', 'therapist passphrase');
  await openAnaTester(page);
  form = await writeNote(page);
  await expect(form.getByTestId('draft-resumed')).toContainText('Resumed your draft from');
  await expect(form.getByLabel('Subjective')).toHaveValue('Stairs easier since the evaluation; pain 4 this morning.');
  await expect(form.getByLabel('Objective')).toHaveValue('Walked in without a limp.');

  // Measures: pain now, knee flexion against its normal range, the LEFS scored as it is answered.
  await form.getByLabel('Pain (0–10, NPRS)').fill('4');
  await form.getByRole('button', { name: 'Add range of motion' }).click();
  const rom = form.getByRole('group', { name: 'Range of motion' });
  await rom.getByLabel('Joint').selectOption({ label: 'Knee' });
  await rom.getByLabel('Motion').selectOption({ label: 'Flexion' });
  await rom.getByLabel('Side').selectOption({ label: 'Right' });
  await rom.getByLabel('Degrees').fill('95');
  await expect(rom.getByLabel('Degrees')).toHaveAccessibleDescription('Normal: 135°');
  await expect(rom.getByTestId('rom-flag')).toHaveText('Limited: 40° short of normal');
  await form.getByRole('button', { name: 'Add outcome questionnaire' }).click();
  const lefs = form.getByRole('group', { name: 'Lower Extremity Functional Scale' });
  const answers = lefs.getByRole('radio', { name: 'A little bit of difficulty' });
  await answers.first().check();
  await expect(lefs.getByTestId('outcome-score')).toContainText('1 of 20 answered');
  for (let i = 1; i < 20; i++) await answers.nth(i).check();
  await expect(lefs.getByTestId('outcome-score')).toHaveText('Score 60 of 80 (20 of 20 answered)');

  // Billing minutes: the units under the episode's payer rule, before signing.
  await form.getByRole('button', { name: 'Add an intervention' }).click();
  await form.getByRole('group', { name: 'Intervention 1' }).getByLabel('CPT code').selectOption('97110');
  await form.getByRole('group', { name: 'Intervention 1' }).getByLabel('Minutes').fill('23');
  await form.getByRole('button', { name: 'Add an intervention' }).click();
  await form.getByRole('group', { name: 'Intervention 2' }).getByLabel('CPT code').selectOption('97140');
  await form.getByRole('group', { name: 'Intervention 2' }).getByLabel('Minutes').fill('10');
  await expect(form.getByTestId('billing-rule')).toContainText('CMS 8-minute rule');
  await expect(form.getByTestId('billing-rule')).toContainText('Medicare');
  // 33 timed minutes: two units by the CMS 8-minute rule.
  await expect(form.getByTestId('total-units')).toHaveText('2');
  await expectAccessible(page, 'daily note with measures and billing');

  await form.getByRole('button', { name: 'Sign note' }).click();
  await expect(notes.getByRole('status').filter({ hasText: 'Note signed.' })).toBeVisible();
  const daily = notes.getByRole('article', { name: /^Daily note \(SOAP\)/ });
  await expect(daily).toContainText('Stairs easier since the evaluation');
  const measures = daily.getByRole('table', { name: 'Measures' });
  await expect(measures).toContainText('4 / 10');
  await expect(measures.getByRole('row', { name: /Knee flexion \(active\)/ })).toContainText('95° (normal 135°, limited)');
  await expect(measures).toContainText('60 / 80');
  await expect(daily.getByRole('table', { name: 'Billing' })).toContainText('2 units by the CMS 8-minute rule');

  // Signed is final: no field to change; corrections are addenda.
  await expect(daily.getByRole('textbox')).toHaveCount(0);
  await daily.getByRole('button', { name: 'Add an addendum' }).click();
  await daily.getByLabel('Addendum text').fill('Flexion was measured supine.');
  await daily.getByRole('button', { name: 'Sign addendum' }).click();
  await expect(daily.getByRole('list', { name: 'Addenda' })).toContainText('by Priya Raman: Flexion was measured supine.');
  await expectAccessible(page, 'signed notes with measures and billing');

  // The draft went with the signing: a new note starts fresh, from the daily note's measures.
  form = await writeNote(page);
  await expect(form.getByTestId('draft-resumed')).toHaveCount(0);
  await expect(form.getByTestId('carried-forward')).toContainText('daily note (soap)');
  await expect(form.getByLabel('Pain (0–10, NPRS)')).toHaveValue('4');

  // A progress note sets the goal's status; the episode shows it.
  await form.getByLabel('Kind of note').selectOption({ label: 'Progress note' });
  await form.getByLabel('Visit', { exact: true }).selectOption({ label: 'Not linked to a visit' });
  const goalStatus = form.getByRole('group', { name: 'Goal status' }).getByLabel(/^Short-term: Climb the stairs at home without the rail/);
  await expect(goalStatus).toHaveValue('progressing');
  await goalStatus.selectOption({ label: 'Met' });
  await form.getByLabel('Progress toward goals').fill('Climbs a flight step over step without the rail.');
  await form.getByRole('button', { name: 'Sign note' }).click();
  await expect(notes.getByRole('status').filter({ hasText: 'Note signed.' })).toBeVisible();
  await expect(notes.getByRole('article', { name: /^Progress note/ })).toContainText('Goals: Met 1');
  await expect(episodes.getByRole('list', { name: 'Goals' })).toContainText('Climb the stairs at home without the rail');
  await expect(episodes.getByRole('list', { name: 'Goals' })).toContainText('Met');

  // The progress report for the referring physician prints, and says what was charted (pdftotext).
  const downloaded = page.waitForEvent('download');
  await episodes.getByRole('button', { name: 'Progress report (PDF)' }).click();
  const pdf = await downloaded;
  await expect(episodes.getByRole('status').filter({ hasText: 'Printed the progress report to a PDF' })).toBeVisible();
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', await pdf.path(), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const words of [
    'Physical therapy progress report',
    'Ana Tester',
    'M25.561 Pain in right knee',
    'Climb the stairs at home without the rail',
    'met',
    'Lower Extremity Functional Scale',
    'Treating therapist: Priya Raman',
  ])
    expect(text).toContain(words);

  // The Chart tab draws the trends with the values just signed.
  await page.getByRole('tab', { name: 'Chart' }).click();
  const chart = page.getByRole('tabpanel', { name: 'Chart' });
  const trends = chart.getByRole('region', { name: 'Trends' });
  await expect(trends).toHaveAttribute('data-drawn', 'true');
  await expect(trends.getByRole('figure', { name: 'Pain (NPRS)' }).getByTestId('latest')).toHaveText('4/10');
  await expect(trends.getByRole('figure', { name: 'Knee flexion' }).getByTestId('latest')).toHaveText('95°');
  await expect(trends.getByRole('figure', { name: /Lower Extremity Functional Scale/ }).getByTestId('latest')).toHaveText('60 points');
  await expectAccessible(page, 'chart after the episode’s notes');

  // The discharge summary ends the episode on its day of service; no further note goes into it.
  await page.getByRole('tab', { name: 'Record' }).click();
  form = await writeNote(page);
  await form.getByLabel('Kind of note').selectOption({ label: 'Discharge summary' });
  await form.getByLabel('Visit', { exact: true }).selectOption({ label: 'Not linked to a visit' });
  await form.getByLabel('Outcomes').fill('Independent on stairs; LEFS 60 of 80.');
  await form.getByLabel('Discharge plan').fill('Home exercise program three times a week.');
  await form.getByRole('button', { name: 'Sign note' }).click();
  await expect(notes.getByRole('status').filter({ hasText: 'Note signed.' })).toBeVisible();
  await expect(notes.getByRole('article', { name: /^Discharge summary/ })).toContainText('Independent on stairs');
  await expect(episodes.getByRole('article')).toContainText('Closed');
  form = await writeNote(page);
  await expect(form).toContainText('This patient has no open episode of care.');
});
