import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility.js';
import { addAppointmentType, addStaff, bookVisitFromRecord, registerAnaTester, setUpClinic, stopHostAfterEach, switchTo } from './journeys.js';
import { signNoteForAna } from './signNote.js';

stopHostAfterEach();

test("an assistant's note waits in the therapists' co-signature queue, is read there and co-signed, and leaves the queue", async ({ page }) => {
  await setUpClinic(page);
  await addStaff(page, 'Fran Ortiz', 'front_desk', 'front desk passphrase');
  await addStaff(page, 'Priya Raman', 'therapist', 'therapist passphrase');
  await addStaff(page, 'Sam Okafor', 'assistant', 'assistant passphrase');
  await addAppointmentType(page);

  // Ana is booked with the assistant; the supervising therapist has no visit with her.
  await switchTo(page, 'Fran Ortiz', 'front desk passphrase');
  await registerAnaTester(page);
  await bookVisitFromRecord(page, 'Sam Okafor');
  // The front desk has no co-signature queue.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('button', { name: /^Co-signature/ })).toHaveCount(0);

  // The assistant signs the visit's note: sections and a range of motion.
  await signNoteForAna(
    page,
    'Sam Okafor',
    'assistant passphrase',
    {
      type: 'daily',
      sections: { subjective: 'Stairs easier this week.', objective: 'Step-ups 3×10, quad sets.' },
      measures: [{ kind: 'rom', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: 95 }],
    },
    true,
  );

  // The therapist sees it waiting, with a count in the navigation.
  await switchTo(page, 'Priya Raman', 'therapist passphrase');
  const entry = nav.getByRole('button', { name: /^Co-signature/ });
  await expect(entry).toHaveAccessibleName('Co-signature (1 note awaits your co-signature)');
  await entry.click();
  await expect(page.getByRole('heading', { name: 'Awaiting your co-signature (1)' })).toBeVisible();
  const item = page.getByRole('listitem', { name: 'Daily note (SOAP) for Tester, Ana' });
  await expect(item).toContainText('written by Sam Okafor');
  await item.getByRole('button', { name: 'Read the note' }).click();
  await expect(item.getByRole('region', { name: 'Subjective' })).toContainText('Stairs easier this week.');
  await expect(item.getByRole('region', { name: 'Objective' })).toContainText('Step-ups 3×10, quad sets.');
  const measures = item.getByRole('table', { name: 'Measures' });
  await expect(measures).toContainText('Knee flexion (AROM)');
  await expect(measures).toContainText('95°');
  await expect(measures).toContainText('limited (40° short)');
  await expectAccessible(page, 'co-signature queue (a note open)');

  // Co-signed from the queue: the note leaves it, and the count goes.
  await item.getByRole('button', { name: 'Co-sign the daily note (SOAP) for Tester, Ana' }).click();
  await expect(page.getByTestId('announcer')).toHaveText('Co-signed the daily note (SOAP) for Tester, Ana.');
  await expect(page.getByText('No note is waiting for a co-signature.')).toBeVisible();
  await expect(entry).toHaveAccessibleName('Co-signature');
  await expectAccessible(page, 'co-signature queue (empty)');

  // The manager sees the note co-signed on the record.
  await switchTo(page, 'Lee Chen', 'manager passphrase 1');
  await page.getByRole('button', { name: 'Patients' }).click();
  await page.getByLabel(/Search by name/).fill('tester');
  await page.getByRole('button', { name: 'Tester, Ana' }).click();
  await expect(page.getByRole('region', { name: 'Clinical notes' })).toContainText('Co-signed by Priya Raman');

  // And prints it: the PDF copy names the co-signer and the entry it copies (docs/architecture.md#printed-notes).
  const notes = page.getByRole('region', { name: 'Clinical notes' });
  const downloaded = page.waitForEvent('download');
  await notes.getByRole('button', { name: 'Print note' }).click();
  const pdf = await downloaded;
  expect(pdf.suggestedFilename()).toMatch(/^note-[0-9a-f]{12}\.pdf$/);
  await expect(notes.getByRole('status').filter({ hasText: 'Printed the note to a PDF' })).toBeVisible();
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', await pdf.path(), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const words of [
    'Daily note (SOAP)',
    'Ana Tester',
    'Signed by Sam Okafor (physical therapist assistant)',
    'Co-signature Priya Raman',
    'Stairs easier this week.',
    'This is a copy of a signed entry',
  ])
    expect(text).toContain(words);
});
