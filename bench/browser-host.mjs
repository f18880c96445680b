// A browser host of a bench's data folder and Chromium signed in to it, for the benches that time
// screens (bench/ui.mjs, bench/chart.mjs): `movelog serve` on a free port, the one-time address it
// prints, and a page signed in as `who`. `close()` ends both.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

export async function signedInPage(dir, who, passphrase) {
  const host = spawn(process.execPath, ['bin/movelog.js', 'serve', '--data', dir, '--port', '0'], { cwd: new URL('..', import.meta.url).pathname });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    host.stdout.on('data', (c) => {
      out += c;
      const m = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(out);
      if (m) resolve(m[0]);
    });
    host.once('exit', () => reject(new Error(out)));
  });
  const browser = await chromium.launch({
    executablePath: process.env.MOVELOG_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const close = async () => {
    await browser.close();
    host.kill('SIGTERM');
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, timezoneId: 'UTC' });
    await page.goto(url);
    await page.getByLabel(who).check();
    await page.getByLabel('Passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    return { page, close };
  } catch (e) {
    await close();
    throw e;
  }
}
