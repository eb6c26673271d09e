// The public's directory: filters by city, country of origin, sector and language, and a
// search that ignores accents and case; a coordinator's rejection with its reason; a
// city's calendar to subscribe to; and a city an admin opens.
import type { Page } from '@playwright/test';
import { keysFromEnv, start } from './platform';
import {
  accessible,
  admin,
  adminToken,
  coordinator,
  expect,
  gql,
  inDays,
  newUser,
  register,
  run,
  screenshot,
  signIn,
  test,
  verifiedAssociation,
} from './helpers';

test('filter and search the directory; the search ignores accents both ways', async ({ browser }) => {
  // A word of this test's own: other tests register associations too.
  const tag = `dir${run}`;
  await verifiedAssociation(`Association des Sénégalais de Genève ${tag}`, 'geneva', ['SN'], {
    sectors: ['REMITTANCES', 'CULTURE'],
    languages: ['fr', 'wo'],
    description: { fr: 'Entraide et transferts solidaires vers Matam.' },
  });
  await verifiedAssociation(`Cercle des Maliens de Genève ${tag}`, 'geneva', ['ML'], { sectors: ['INVESTMENT'], languages: ['bm'] });
  await verifiedAssociation(`Ghana Nurses of London ${tag}`, 'london', ['GH'], { sectors: ['HEALTH'], languages: ['en', 'ak'] });

  const { page } = await newUser(browser);
  await page.goto('/associations');
  const results = page.getByRole('list').filter({ has: page.getByRole('heading', { level: 2 }) });
  const searchFor = async (words: string) => {
    await page.getByRole('searchbox', { name: 'Search' }).or(page.getByLabel('Search')).first().fill(words);
    await page.getByRole('button', { name: 'Search' }).click();
  };
  await searchFor(`senegalais ${tag}`);
  await expect(results.getByRole('link', { name: `Association des Sénégalais de Genève ${tag}` })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'match' })).toHaveText('One association matches');
  await searchFor(`GENÈVE ${tag}`);
  await expect(results.getByRole('heading', { level: 2 })).toHaveCount(2);

  // Filters narrow it, and live in the address.
  await searchFor(tag);
  await page.getByLabel('Country of origin').selectOption({ label: 'Mali' });
  await expect(results.getByRole('heading', { level: 2 })).toHaveCount(1);
  await expect(results.getByRole('link', { name: `Cercle des Maliens de Genève ${tag}` })).toBeVisible();
  expect(new URL(page.url()).searchParams.get('origin')).toBe('ML');
  await page.getByLabel('Country of origin').selectOption({ label: 'Every country' });
  await page.getByLabel('Sector', { exact: true }).selectOption({ label: 'Health' });
  await expect(results.getByRole('link', { name: `Ghana Nurses of London ${tag}` })).toBeVisible();
  await expect(results.getByRole('heading', { level: 2 })).toHaveCount(1);
  await page.getByLabel('Sector', { exact: true }).selectOption({ label: 'Every sector' });
  await page.getByLabel('Language', { exact: true }).selectOption({ label: 'Wolof' });
  await expect(results.getByRole('heading', { level: 2 })).toHaveCount(1);
  await page.getByLabel('Language', { exact: true }).selectOption({ label: 'Every language' });
  await page.getByLabel('City', { exact: true }).selectOption({ label: 'London' });
  await expect(results.getByRole('heading', { level: 2 })).toHaveCount(1);
  await screenshot(page, 'directory-01-filtered');
  await page.goBack();
  await expect(results.getByRole('heading', { level: 2 })).toHaveCount(3);
  await accessible(page, 'the directory, filtered');
});

test('a coordinator rejects a double registration, saying why; the association reads why', async ({ browser }) => {
  const adminPage = await admin(browser);
  const coord = await coordinator(browser, adminPage, 'Geneva', `Claire Dubois ${run}`);
  const original = await verifiedAssociation(`Eritrean Women in Geneva ${run}`, 'geneva', ['ER']);
  const double = await gql<{ registerAssociation: { association: { id: string }; token: string } }>(
    null,
    `mutation($in: RegisterAssociationInput!) { registerAssociation(input: $in) { association { id } token } }`,
    { in: { name: `Eritrean Women of Geneva ${run}`, city: 'geneva', originCountries: ['ER'] } },
  );
  await coord.goto(`/associations/${double.registerAssociation.association.id}`);
  await expect(
    coord.getByRole('region', { name: 'Possible duplicates' }).getByRole('link', { name: `Eritrean Women in Geneva ${run}` }),
  ).toBeVisible();
  await coord.getByRole('button', { name: 'Reject…' }).click();
  await coord.getByRole('button', { name: 'Reject the registration' }).click();
  await expect(coord.getByRole('alert')).toContainText('Give a reason of 3 to 1,000 characters.'); // checked before sending
  await coord.getByLabel('Why is the registration rejected?').fill(`Registered twice: see Eritrean Women in Geneva ${run}.`);
  await coord.getByRole('button', { name: 'Reject the registration' }).click();
  await expect(coord.getByText('The registration is rejected.')).toBeVisible();
  const { page } = await newUser(browser);
  await signIn(page, double.registerAssociation.token);
  await page.goto('/my');
  await expect(page.getByText('Rejected', { exact: true }).first()).toBeVisible();
  await page.getByRole('link', { name: 'See the public page' }).click();
  await expect(page.getByText(`Registered twice: see Eritrean Women in Geneva ${run}.`)).toBeVisible();
  void original;
});

test('a city’s calendar, and a city an admin opens', async ({ browser }) => {
  await gql(adminToken(), `mutation($in: ScheduleSessionInput!) { scheduleSession(input: $in) { session { id } } }`, {
    in: {
      city: 'paris',
      title: { fr: `La circulation des compétences ${run}` },
      theme: 'SKILLS_CIRCULATION',
      originCountries: ['ML'],
      venue: { name: `Maison de l’Afrique ${run}`, address: '7 rue Chauchat, Paris' },
      time: { start: `${inDays(45)}T19:00`, durationMinutes: 120 },
      capacity: 35,
    },
  });
  const { page } = await newUser(browser);
  await page.goto('/cities/paris');
  const download = page.getByRole('link', { name: 'Download the calendar (.ics)' });
  const ics = await page.request.get((await download.getAttribute('href'))!);
  expect(ics.headers()['content-type']).toContain('text/calendar');
  const body = await ics.text();
  expect(body).toContain('BEGIN:VCALENDAR');
  expect(body).toContain('TZID=Europe/Paris');
  expect(body).toContain(`La circulation des compétences ${run}`);
  await expect(page.getByRole('link', { name: 'Subscribe in your calendar program' })).toHaveAttribute(
    'href',
    /^webcal:\/\/localhost:\d+\/calendar\/paris\.ics$/,
  );

  // An admin opens Lisbon; it is listed with its zone.
  const adminPage = await admin(browser);
  const slug = `lisbon-${run}`;
  await adminPage.goto('/admin');
  const form = adminPage.getByRole('form', { name: 'Open a city' });
  await form.getByLabel('Name of the city').fill(`Lisbon ${run}`);
  await form.getByLabel('Address name').fill('Lisbon');
  await form.getByLabel('Time zone').selectOption('Europe/Lisbon');
  await form.getByLabel('Country').selectOption({ label: 'Portugal' });
  await form.getByRole('button', { name: 'Open the city' }).click();
  await expect(form.getByRole('alert')).toContainText('2 to 40 lower-case letters'); // "Lisbon" has a capital
  await form.getByLabel('Address name').fill(slug);
  await form.getByRole('button', { name: 'Open the city' }).click();
  await expect(adminPage.getByText(`Lisbon ${run} is open.`)).toBeVisible();
  await page.goto('/dialogues');
  await expect(page.getByRole('link', { name: `Lisbon ${run}` })).toBeVisible();
  await page.getByRole('link', { name: `Lisbon ${run}` }).click();
  await expect(page.getByText('Times are those of', { exact: false })).toContainText('Europe/Lisbon');
});

test('an association takes a new key and the old one stops working', async ({ browser }) => {
  const { page } = await newUser(browser);
  const { path, key: old } = await register(page, { name: `Senegalese Doctors Abroad ${run}`, city: 'Paris', origin: 'Senegal' });
  await page.getByRole('link', { name: 'My association' }).click();
  const section = page.getByRole('region', { name: 'Your key' });
  await section.getByRole('button', { name: 'Take a new key…' }).click();
  await section.getByRole('button', { name: 'Take a new key', exact: true }).click();
  const fresh = await section.getByTestId('key').inputValue();
  expect(fresh).not.toEqual(old);
  await accessible(page, 'a new key, shown once');
  // This browser stays signed in, with the new key.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // The old key no longer signs in, and says why.
  const { page: other } = await newUser(browser);
  await other.goto('/signin');
  await other.getByLabel('Key').fill(old);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect(other.getByText('This key was replaced by a newer one').first()).toBeVisible();
  await signIn(other, fresh);

  // Lost again: an admin gives the association a new key from its page.
  const adminPage = await admin(browser);
  await adminPage.goto(path);
  await adminPage.getByRole('button', { name: 'Give it a new key…' }).click();
  await adminPage.getByRole('button', { name: 'Give a new key', exact: true }).click();
  const third = await adminPage.getByTestId('key').inputValue();
  expect(third).not.toEqual(fresh);
  const { page: again } = await newUser(browser);
  await signIn(again, third);
});

/** registerLosingTheAnswer registers an association from the form at base whose first
 * answer the platform sends but the browser never receives (the connection drops), and
 * presses Register again; it returns the key of the lost answer. */
async function registerLosingTheAnswer(page: Page, base: string, name: string): Promise<string> {
  let lost = '';
  await page.route('**/graphql', async (route) => {
    if (!lost && (route.request().postData() ?? '').includes('registerAssociation')) {
      const answer = await route.fetch();
      lost = (await answer.json()).data.registerAssociation.token;
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });
  await page.goto(`${base}/register`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('City').selectOption({ label: 'Paris' });
  await page.getByRole('combobox', { name: 'Countries of origin' }).selectOption({ label: 'Senegal' });
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page.getByText('The platform could not be reached').first()).toBeVisible();
  expect(lost).not.toEqual('');
  // The reader presses Register again: the same request, the same idempotency key.
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  return lost;
}

test('a registration whose answer was lost: registering again gives a key that works, and ends the lost one', async ({ browser }) => {
  const { page } = await newUser(browser);
  const name = `Senegalese Credit Union ${run}`;
  const lost = await registerLosingTheAnswer(page, '', name);
  await expect(page.getByRole('heading', { level: 1, name: 'Registered' })).toBeVisible();
  const key = await page.getByTestId('key').inputValue();
  expect(key).not.toEqual(lost);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.getByRole('link', { name: 'See its page' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  // One association, not two.
  const found = await gql<{ associations: { totalCount: number } }>(
    adminToken(),
    `query($q: String) { associations(filter: { search: $q }) { totalCount } }`,
    {
      q: name,
    },
  );
  expect(found.associations.totalCount).toBe(1);
  // The key of the lost answer (had anyone caught it) opens nothing; the new one does.
  const { page: other } = await newUser(browser);
  await other.goto('/signin');
  await other.getByLabel('Key').fill(lost);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect(other.getByText('This key was replaced by a newer one').first()).toBeVisible();
  await signIn(other, key);
});

test('a repeat that comes after the replay window carries no key, and says what to do', async ({ browser }) => {
  // A platform over the same database whose replay window is a microsecond: every repeat
  // comes after it.
  const port = Number(process.env.E2E_PORT ?? '18080') + 2;
  const strict = await start({ port, databaseURL: process.env.E2E_DATABASE_URL!, keys: keysFromEnv(), replayWindow: '1us' });
  try {
    const { page } = await newUser(browser);
    await registerLosingTheAnswer(page, strict.url, `Senegalese Savings Circle ${run}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Registered' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'No key in this answer' })).toBeVisible();
    await expect(page.getByTestId('key-withheld')).toContainText('an admin gives the association a new one');
    await expect(page.getByTestId('key')).toHaveCount(0);
    await accessible(page, 'a repeat without its key');
  } finally {
    await strict.stop();
  }
});
