import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a browser download (none is reachable from the build machines).
const chromiumPath = process.env.MOVELOG_CHROMIUM ?? '/usr/bin/chromium';

// Every host the journeys start locks its data folder with a clinic passphrase, as a front desk's
// does when the OS has no keychain (docs/architecture.md#the-vault); the host processes inherit it.
process.env.MOVELOG_CLINIC_PASSPHRASE = 'harbour lantern cobble seventeen';
delete process.env.MOVELOG_KEY_FILE;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    // Weekly hours are kept in UTC until clinics have a time zone; pages see the same clock.
    timezoneId: 'UTC',
    locale: 'en-GB',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
});
