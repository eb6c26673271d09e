// Starts the platform for every test, and stops it at the end.
import type { FullConfig } from '@playwright/test';
import { newKeys, start } from './platform';

export default async function globalSetup(_config: FullConfig) {
  const databaseURL = process.env.E2E_DATABASE_URL;
  if (!databaseURL) {
    throw new Error(
      'E2E_DATABASE_URL names the database the platform under test uses: run the browser tests with `make test` (infra/scripts/e2e.sh)',
    );
  }
  const keys = newKeys();
  process.env.E2E_SECRET = keys.secret;
  process.env.E2E_MASTER_KEY = keys.masterKey;
  const platform = await start({ port: Number(process.env.E2E_PORT ?? '18080'), databaseURL, keys });
  return async () => {
    await platform.stop();
  };
}
