import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT, startHostProcess, tempDataDir } from '../test/support/host.js';
import type { HostProcess } from '../test/support/host.js';

/** Steps several journeys share, done through the UI exactly as a person would. */

let host: HostProcess | null = null;
/** Other processes a journey started: a second computer's host, a signalling server. */
const otherHosts: HostProcess[] = [];
const others: { stop(): unknown }[] = [];

/** Stops every process a journey started; call from test.afterEach. */
export async function stopHost(): Promise<void> {
  const hosts = [...(host ? [host] : []), ...otherHosts.splice(0)];
  const crashed = hosts.flatMap((h) => (h.child.signalCode !== null ? [`${h.url} (${h.child.signalCode})`] : []));
  for (const h of hosts) await h.stop();
  host = null;
  for (const other of others.splice(0)) await other.stop();
  if (crashed.length > 0) throw new Error(`a browser host died during the test: ${crashed.join(', ')}`);
}

/** Starts another computer's browser host (no clinic yet), stopped after the test. */
export async function startOtherHost(prefix: string): Promise<HostProcess> {
  const other = await startHostProcess(tempDataDir(prefix));
  otherHosts.push(other);
  return other;
}

/** Registers stopHost after each test of the calling spec file. */
export function stopHostAfterEach(): void {
  test.afterEach(stopHost);
}

/**
 * Starts a fresh browser host and sets up "Harbour Rehab" with manager Lee Chen, signed in. With
 * `clock`, the host's clock starts at that time (`movelog serve --clock`) and the page's too
 * (Playwright's clock), so rules that depend on the time (past visits, check-in) see the same day.
 */
export async function setUpClinic(page: Page, options: { clock?: Date } = {}): Promise<HostProcess> {
  if (options.clock) await page.clock.install({ time: options.clock });
  host = await startHostProcess(tempDataDir('movelog-e2e-'), options.clock ? ['--clock', options.clock.toISOString()] : []);
  await page.goto(host.url);
  await page.getByLabel('Clinic name').fill('Harbour Rehab');
  await page.getByLabel('Your name (clinic manager)').fill('Lee Chen');
  await page.getByLabel('Passphrase').fill('manager passphrase 1');
  await page.getByRole('button', { name: 'Set up clinic' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText('Lee Chen · Manager');
  return host;
}

/** On the Staff screen (manager): adds a staff member and waits for the confirmation. */
export async function addStaff(page: Page, name: string, role: string, passphrase: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Staff' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Role').selectOption(role);
  await page.getByLabel('First passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Add staff member' }).click();
  await expect(page.getByRole('status')).toHaveText(`${name} can now sign in.`);
}

/** From anywhere: registers Ana Tester (born 1980-05-04) through the Patients screen and opens her record. */
export async function registerAnaTester(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Patients' }).click();
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByLabel('Given name').fill('Ana');
  await page.getByLabel('Family name').fill('Tester');
  await page.getByLabel('Date of birth').fill('1980-05-04');
  await page.getByLabel('Sex').selectOption('female');
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.getByRole('heading', { name: 'Tester, Ana' })).toBeVisible();
}

/** From anywhere: finds Ana Tester on the Patients screen and opens her record. */
export async function openAnaTester(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Patients' }).click();
  await page.getByLabel(/Search by name/).fill('tester');
  await page.getByRole('button', { name: 'Tester, Ana' }).click();
}

/**
 * As a manager, on the Schedule screen: adds an appointment type (a visit needs one). Two trusting
 * clinics see each other's types, so each names its own.
 */
export async function addAppointmentType(page: Page, name = 'Follow-up'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Schedule' }).click();
  await page.getByRole('textbox', { name: 'Appointment type' }).fill(name);
  await page.getByRole('button', { name: 'Add type' }).click();
  await expect(page.getByRole('status')).toHaveText(`Added ${name}.`);
}

/**
 * On a patient's open record (front desk or manager): books the next free visit with `therapist`
 * and closes the confirmation. The therapist then has the patient in their care and opens the
 * record as usual (docs/architecture.md#break-the-glass).
 */
export async function bookVisitFromRecord(page: Page, therapist: string): Promise<void> {
  await page.getByRole('region', { name: 'Visits' }).getByRole('button', { name: 'Book a visit' }).click();
  const form = page.getByRole('form', { name: 'Book a visit' });
  await form.getByLabel('Therapist').selectOption({ label: therapist });
  // The form fills in the next free slot of that therapist: book once it is there.
  await expect(form.getByLabel('Starts')).not.toHaveValue('');
  await form.getByRole('button', { name: 'Book' }).click();
  const booked = page.getByRole('region', { name: 'Visit booked' });
  await expect(booked.getByTestId('booked-summary')).toContainText(`with ${therapist}`);
  await booked.getByRole('button', { name: 'Close' }).click();
}

/**
 * A record outside the clinician's care was asked for: gives `reason` in the dialog and waits for
 * the record to open as an emergency access (docs/architecture.md#break-the-glass).
 */
export async function openAsEmergency(page: Page, reason: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Open this record as an emergency access' });
  await dialog.getByLabel('Why do you need this record now?').fill(reason);
  await dialog.getByRole('button', { name: 'Open as an emergency access' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Emergency access until' })).toBeVisible();
}

/**
 * On a patient's open record (therapist): opens an episode of care with one diagnosis found in the
 * ICD-10-CM search, for `region` (docs/architecture.md#episodes-of-care). Notes belong to an episode.
 */
export async function openEpisode(page: Page, search = 'pain right knee', code = 'M25.561', region = 'Knee'): Promise<void> {
  const episodes = page.getByRole('region', { name: 'Episodes of care' });
  await episodes.getByRole('button', { name: 'Open an episode of care' }).click();
  const form = page.getByRole('form', { name: 'Open an episode of care' });
  await form.getByRole('combobox', { name: 'Find a diagnosis (ICD-10-CM code or words)' }).fill(search);
  await form.getByRole('option', { name: new RegExp(`^${code.replace('.', '\\.')}`) }).click();
  await form.getByLabel('Body region').selectOption({ label: region });
  await form.getByRole('button', { name: 'Open the episode' }).click();
  await expect(episodes.getByRole('article')).toContainText(code);
}

/** On the sign-in screen: picks a name and enters a passphrase. */
export async function signIn(page: Page, name: string, passphrase: string): Promise<void> {
  await page.getByLabel(name).check();
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Switch user from the top bar and sign in as someone else. */
export async function switchTo(page: Page, name: string, passphrase: string): Promise<void> {
  await page.getByRole('button', { name: 'Switch user' }).click();
  await signIn(page, name, passphrase);
  await expect(page.getByTestId('signed-in-as')).toContainText(name);
}

/** Opens the Network page and sets its signalling server, as a manager would. */
export async function setSignaling(page: Page, url: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Network' }).click();
  const pairPanel = page.getByRole('region', { name: 'Pair a device' });
  await pairPanel.getByLabel('Signalling servers').fill(url);
  await pairPanel.getByRole('button', { name: 'Save signalling servers' }).click();
  await expect(pairPanel.getByRole('button', { name: 'Show pairing code' })).toBeVisible();
}

/** `movelog signal` on a free-ish port, reachable over loopback (stopped after the test); returns its URL. */
export async function startSignal(): Promise<string> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'movelog.js'), 'signal', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Signaling server running')) resolve();
    });
    child.once('exit', () => reject(new Error(`signal exited: ${out}`)));
  });
  others.push({ stop: () => void child.kill('SIGTERM') });
  return `ws://127.0.0.1:${port}`;
}
