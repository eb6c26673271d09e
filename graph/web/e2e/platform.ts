// The platform under test: `bin/passerelle serve` started on a database of its own, as a
// user would run it, with a secret and a master key of the test run's.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunningPlatform {
  url: string;
  stop: () => Promise<void>;
}

export interface PlatformKeys {
  secret: string;
  masterKey: string;
}

export function binary(): string {
  return process.env.PASSERELLE_BIN ?? fileURLToPath(new URL('../../../bin/passerelle', import.meta.url));
}

export function newKeys(): PlatformKeys {
  return { secret: randomBytes(32).toString('hex'), masterKey: randomBytes(32).toString('hex') };
}

/** start runs the platform on port and waits until it is ready (its projections caught
 * up), within a deadline. clockOffset moves its clock (PASSERELLE_CLOCK_OFFSET);
 * replayWindow shortens how long a repeated request still answers with a key
 * (PASSERELLE_KEY_REPLAY_WINDOW). */
export async function start(opts: {
  port: number;
  databaseURL: string;
  keys: PlatformKeys;
  clockOffset?: string;
  replayWindow?: string;
}): Promise<RunningPlatform> {
  const env = {
    ...process.env,
    DATABASE_URL: opts.databaseURL,
    PASSERELLE_SECRET: opts.keys.secret,
    PASSERELLE_MASTER_KEY: opts.keys.masterKey,
    PASSERELLE_DATA_DIR: mkdtempSync(join(tmpdir(), 'passerelle-e2e-')),
    PORT: String(opts.port),
    LOG_LEVEL: 'warn',
    // The browsers of every test share 127.0.0.1: one address, many users.
    PASSERELLE_RATE_LIMIT: '500',
    PASSERELLE_RATE_BURST: '1000',
    PASSERELLE_CLOCK_OFFSET: opts.clockOffset ?? '',
    PASSERELLE_KEY_REPLAY_WINDOW: opts.replayWindow ?? '24h',
  };
  const child: ChildProcess = spawn(binary(), ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://localhost:${opts.port}`;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ready = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (child.exitCode !== null) throw new Error(`passerelle serve exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the platform on ${url} was not ready within 90 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** token prints a bearer token with the platform's secret, as `passerelle token` does. */
export function token(keys: PlatformKeys, ...args: string[]): string {
  const out = spawnSync(binary(), ['token', ...args], { env: { ...process.env, PASSERELLE_SECRET: keys.secret }, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`passerelle token: ${out.stderr}`);
  return out.stdout.trim();
}

/** keysFromEnv are the running platform's keys, which global-setup put in the environment. */
export function keysFromEnv(): PlatformKeys {
  const secret = process.env.E2E_SECRET;
  const masterKey = process.env.E2E_MASTER_KEY;
  if (!secret || !masterKey) throw new Error('E2E_SECRET and E2E_MASTER_KEY are set by global-setup');
  return { secret, masterKey };
}
