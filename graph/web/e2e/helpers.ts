// What the journeys share: signing in, registering, screenshots, accessibility checks,
// and dates around a city's clock changes.
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keysFromEnv, token } from './platform';

/** browserErrors are what the tests' pages logged as errors (a message missing a value,
 * a script's exception): each test fails if there is any. */
const browserErrors: string[] = [];

/** contexts are the browsers a test opened with newUser, closed when it ends. */
const contexts: BrowserContext[] = [];

/** test is Playwright's, failing a test whose pages logged an error. */
export const test = base.extend<{ noBrowserErrors: void }>({
  noBrowserErrors: [
    async ({}, use) => {
      browserErrors.length = 0;
      await use();
      const errors = [...browserErrors];
      await Promise.all(contexts.splice(0).map((c) => c.close()));
      expect(errors, 'errors in the browsers’ consoles').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** run is a suffix that keeps this run's names apart from an earlier run's. */
export const run = Math.random().toString(36).slice(2, 7);

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = fileURLToPath(new URL('../test-results/screens/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** accessible runs axe-core on the page: no serious or critical violation of WCAG 2.1 AA. */
export async function accessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `accessibility of ${what}`,
  ).toEqual([]);
}

export async function newUser(
  browser: Browser,
  locale = 'en-GB',
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => browserErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    // A refused request is the browser's own report of an answer the page handles.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) browserErrors.push(`${page.url()}: ${m.text()}`);
  });
  return { context, page };
}

/** signIn signs the page's browser in with a key, through the sign-in page. */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** admin is a browser signed in as an admin (with a key from `passerelle token`). */
export async function admin(browser: Browser): Promise<Page> {
  const { page } = await newUser(browser);
  await signIn(page, token(keysFromEnv(), '--role', 'admin', '--subject', `e2e-admin-${run}`));
  return page;
}

/** appoint has an admin appoint a coordinator of a city and returns their key. */
export async function appoint(adminPage: Page, cityName: string, name: string): Promise<string> {
  await adminPage.goto('/admin');
  const form = adminPage.getByRole('form', { name: 'Appoint a coordinator' });
  await form.getByLabel('City', { exact: true }).selectOption({ label: cityName });
  await form.getByLabel('Coordinator’s name').fill(name);
  await form.getByRole('button', { name: 'Appoint' }).click();
  const key = adminPage.getByTestId('key');
  await expect(key).not.toBeEmpty();
  return key.inputValue();
}

export async function coordinator(browser: Browser, adminPage: Page, cityName: string, name: string): Promise<Page> {
  const key = await appoint(adminPage, cityName, name);
  const { page } = await newUser(browser);
  await signIn(page, key);
  return page;
}

export interface Registration {
  name: string;
  city: string;
  origin: string;
  acronym?: string;
  description?: { en?: string; fr?: string; es?: string };
  contact?: { name: string; email: string; phone?: string };
  website?: string;
  sectors?: string[];
  languages?: string[];
}

/** register registers an association through the form; the page stays signed in as it.
 * It returns the association's page address and its key. */
export async function register(page: Page, r: Registration): Promise<{ path: string; key: string }> {
  await page.goto('/register');
  await page.getByLabel('Name', { exact: true }).fill(r.name);
  if (r.acronym) await page.getByLabel('Acronym').fill(r.acronym);
  await page.getByLabel('City').selectOption({ label: r.city });
  await page.getByRole('combobox', { name: 'Countries of origin' }).selectOption({ label: r.origin });
  for (const s of r.sectors ?? []) await page.getByRole('checkbox', { name: s }).check();
  for (const l of r.languages ?? []) await page.getByRole('combobox', { name: 'Languages' }).selectOption({ label: l });
  if (r.description?.en) await page.getByLabel('In English').fill(r.description.en);
  if (r.description?.fr) await page.getByLabel('In French').fill(r.description.fr);
  if (r.description?.es) await page.getByLabel('In Spanish').fill(r.description.es);
  if (r.website) await page.getByLabel('Website').fill(r.website);
  if (r.contact) {
    await page.getByLabel('Name of the contact person').fill(r.contact.name);
    await page.getByLabel('Email').fill(r.contact.email);
    if (r.contact.phone) await page.getByLabel('Phone').fill(r.contact.phone);
  }
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registered' })).toBeVisible();
  const key = await page.getByTestId('key').inputValue();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.getByRole('link', { name: 'See its page' }).click();
  await expect(page.getByRole('heading', { level: 1, name: r.name })).toBeVisible();
  return { path: new URL(page.url()).pathname, key };
}

/** lastSundayOfMarch is the day Europe's clocks go forward, of the next year in which it
 * is at least a week away. */
export function nextSpringForward(now = new Date()): string {
  for (let year = now.getUTCFullYear(); ; year++) {
    const d = new Date(Date.UTC(year, 2, 31));
    d.setUTCDate(31 - d.getUTCDay());
    if (d.getTime() - now.getTime() > 7 * 24 * 3600 * 1000) return d.toISOString().slice(0, 10);
  }
}

/** nextFallBack is the day Europe's clocks go back (last Sunday of October), at least a
 * week away. */
export function nextFallBack(now = new Date()): string {
  for (let year = now.getUTCFullYear(); ; year++) {
    const d = new Date(Date.UTC(year, 9, 31));
    d.setUTCDate(31 - d.getUTCDay());
    if (d.getTime() - now.getTime() > 7 * 24 * 3600 * 1000) return d.toISOString().slice(0, 10);
  }
}

/** dayBefore is the date before an ISO date. */
export function dayBefore(date: string): string {
  const d = new Date(date + 'T12:00:00Z');
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** inDays is the date n days from now. */
export function inDays(n: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const baseURL = `http://localhost:${process.env.E2E_PORT ?? '18080'}`;

/** gql sends a GraphQL request as a script would (a bearer token, not a browser session):
 * for setting up what a test is not about. */
export async function gql<T = Record<string, unknown>>(bearer: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const resp = await fetch(`${baseURL}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await resp.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

export function adminToken(): string {
  return token(keysFromEnv(), '--role', 'admin', '--subject', `e2e-admin-${run}`);
}

/** verifiedAssociation registers an association and has an admin verify it, through the
 * API; it returns its id and key. */
export async function verifiedAssociation(
  name: string,
  city: string,
  origins: string[],
  extra: Record<string, unknown> = {},
): Promise<{ id: string; key: string }> {
  const reg = await gql<{ registerAssociation: { association: { id: string }; token: string } }>(
    null,
    `mutation($in: RegisterAssociationInput!) { registerAssociation(input: $in) { association { id } token } }`,
    { in: { name, city, originCountries: origins, ...extra } },
  );
  await gql(adminToken(), `mutation($id: ID!) { verifyAssociation(id: $id) { association { status } } }`, {
    id: reg.registerAssociation.association.id,
  });
  return { id: reg.registerAssociation.association.id, key: reg.registerAssociation.token };
}

/** localInput writes an instant as a datetime-local field in the browser's zone
 * (the tests' browsers are in Europe/London) takes it. */
export function localInput(d: Date, timeZone = 'Europe/London'): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** schedule fills the scheduling form (the page is on it) and sends it. */
export async function schedule(
  page: Page,
  s: {
    title: string;
    theme: string;
    origin: string;
    venue: string;
    address: string;
    start: string;
    duration?: string;
    deadline?: string;
    capacity: string;
  },
): Promise<void> {
  await page.getByRole('group', { name: 'Title' }).getByLabel('In English').fill(s.title);
  await page.getByLabel('Theme').selectOption({ label: s.theme });
  await page.getByRole('combobox', { name: 'Countries of origin in focus' }).selectOption({ label: s.origin });
  await page.getByLabel('Name of the venue').fill(s.venue);
  await page.getByLabel('Address').fill(s.address);
  await page.getByLabel('Start (date and time)').fill(s.start);
  if (s.duration) await page.getByLabel('Duration in minutes').fill(s.duration);
  if (s.deadline) await page.getByLabel('Registration deadline').fill(s.deadline);
  await page.getByLabel('Seats', { exact: true }).fill(s.capacity);
  await page.getByRole('button', { name: 'Schedule the session' }).click();
}
