// Browser tests: Playwright drives the machine's Chromium (CHROMIUM, default
// /usr/bin/chromium) against a platform that e2e/global-setup.ts starts on E2E_PORT with
// a database of its own (E2E_DATABASE_URL). infra/scripts/e2e.sh (make test) sets them.
import { defineConfig } from '@playwright/test';

const port = process.env.E2E_PORT ?? '18080';

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // The journeys share one platform; each works with associations and sessions of its own.
  fullyParallel: false,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  use: {
    baseURL: `http://localhost:${port}`,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
