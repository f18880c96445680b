/* global window, WebSocket, sessionStorage -- the page.evaluate callback below runs inside the page */
import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import {
  addAppointmentType,
  addStaff,
  bookVisitFromRecord,
  openAnaTester,
  openEpisode,
  registerAnaTester,
  setUpClinic,
  stopHostAfterEach,
  switchTo,
} from './journeys.js';

stopHostAfterEach();

test('a therapist signs and amends a clinical note; the front desk cannot open clinical notes, and the manager sees the refusal', async ({
  page,
}) => {
  await setUpClinic(page);
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
  await addAppointmentType(page);

  // Ana is registered and booked with Priya: she is in Priya's care (docs/architecture.md#break-the-glass).
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await registerAnaTester(page);
  await bookVisitFromRecord(page, 'Priya Raman');

  // The therapist charts the visit.
  await switchTo(page, 'Priya Raman', 'therapist passphrase');
  await openAnaTester(page);
  const notes = page.getByRole('region', { name: 'Clinical notes' });
  await expect(notes).toContainText('No notes yet.');
  // Notes belong to an episode of care (docs/architecture.md#episodes-of-care).
  await openEpisode(page);
  const write = notes.getByRole('button', { name: 'Write a note' });
  // Cancelling puts focus back on "Write a note" and says so.
  await write.click();
  await page.getByRole('form', { name: 'Write a clinical note' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(write).toBeFocused();
  await expect(page.getByTestId('announcer')).toHaveText('Note discarded.');
  await write.click();
  const form = page.getByRole('form', { name: 'Write a clinical note' });
  await form.getByRole('button', { name: 'Sign note' }).click();
  await expect(form.getByRole('alert')).toHaveText('Write at least one section of the note before signing it.');
  // A problem of the whole note: focus goes to its message.
  await expect(form.getByRole('alert')).toBeFocused();
  await form.getByRole('button', { name: 'Add pain' }).click();
  await form.getByLabel('Pain (0–10, NPRS)').fill('12');
  await form.getByLabel('Subjective').fill('Knee pain on stairs, better than last week.');
  await form.getByRole('button', { name: 'Sign note' }).click();
  await expect(form.getByText('Pain is at most 10.')).toBeVisible();
  const pain = form.getByLabel('Pain (0–10, NPRS)');
  await expect(pain).toBeFocused();
  await expect(pain).toHaveAccessibleDescription('Pain is at most 10.');
  await expect(page.getByTestId('announcer')).toHaveText('One field needs attention.');
  await expectAccessible(page, 'note form (with an error)');
  await form.getByLabel('Pain (0–10, NPRS)').fill('4');
  await form.getByLabel('Objective').fill('Knee flexion 115 degrees active.');
  await form.getByLabel('Plan').fill('Progress closed-chain strengthening.');
  await form.getByRole('button', { name: 'Sign note' }).click();
  await expect(notes.getByRole('status').filter({ hasText: 'Note signed.' })).toBeVisible();
  await expect(write).toBeFocused();
  await expect(page.getByTestId('announcer')).toHaveText('Note signed.');
  const note = notes.getByRole('article', { name: /^Daily note \(SOAP\)/ });
  await expect(note).toContainText('signed');
  await expect(note).toContainText('Priya Raman (Therapist)');
  await expect(note).toContainText('Knee pain on stairs');
  await expect(note).toContainText('4 / 10');
  await note.getByRole('button', { name: 'Add an addendum' }).click();
  await note.getByLabel('Addendum text').fill('Flexion was measured supine.');
  await note.getByRole('button', { name: 'Sign addendum' }).click();
  await expect(note.getByRole('list', { name: 'Addenda' })).toContainText('by Priya Raman: Flexion was measured supine.');
  await expectAccessible(page, 'clinical notes');

  // The front desk sees the record but not the notes, and main refuses the call whatever the UI shows.
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await openAnaTester(page);
  await expect(page.getByTestId('patient-details')).toContainText('04/05/1980'); // born 1980-05-04, in the clinic's order
  await expect(page.getByRole('region', { name: 'Clinical notes' })).toContainText(
    'Clinical notes are open only to therapists, assistants and managers.',
  );
  await expect(page.getByText('Knee pain on stairs')).toHaveCount(0);
  const answer = await page.evaluate(async () => {
    // A hand-made request on a fresh connection, signed in as the front desk: what a tampered UI could send.
    const url = new URL('/api', window.location.href);
    url.protocol = 'ws:';
    url.searchParams.set('token', sessionStorage.getItem('movelog.token') ?? '');
    const socket = new WebSocket(url);
    await new Promise((resolve) => (socket.onopen = resolve));
    let next = 1;
    const ask = (call: string, input: unknown) =>
      new Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>((resolve) => {
        const id = next++;
        socket.addEventListener('message', (event: MessageEvent<string>) => {
          const message = JSON.parse(event.data) as {
            id: number;
            result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
          };
          if (message.id === id) resolve(message.result);
        });
        socket.send(JSON.stringify({ id, call, input }));
      });
    const choices = (await ask('session.choices', {})).value as { id: string; name: string }[];
    const fran = choices.find((c) => c.name === 'Fran Ortiz');
    await ask('session.signIn', { staffId: fran?.id, passphrase: 'front desk passphrase' });
    const found = (await ask('patient.search', { query: 'tester' })).value as { patientId: string }[];
    const result = await ask('notes.list', { patientId: found[0]?.patientId });
    socket.close();
    return result;
  });
  expect(answer).toEqual({ ok: false, error: { code: 'forbidden', message: 'Your role does not allow this.' } });

  // The manager sees who asked, and that main said no.
  await switchTo(page, 'Lee Chen', 'manager passphrase 1');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Staff' }).click();
  const refusals = page.getByRole('table', { name: 'Refused requests' });
  // In words, not the API's name for the call.
  await expect(
    refusals.getByRole('row').filter({ hasText: 'Fran Ortiz (Front desk)' }).filter({ hasText: "read a patient's clinical notes" }),
  ).toContainText('Your role does not allow this.');
  await expect(refusals).not.toContainText('notes.list');
  // And, as a manager, can read the note (the reading itself is recorded in the access log).
  await openAnaTester(page);
  await expect(page.getByRole('region', { name: 'Clinical notes' })).toContainText('Knee pain on stairs');
  await expect(page.getByRole('region', { name: 'Clinical notes' }).getByRole('button', { name: 'Write a note' })).toHaveCount(0);
  await expect(page.getByTestId('access-log')).toContainText('Priya Raman (Therapist)');
});
