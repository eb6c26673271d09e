// The door on the day: a coordinator, on a phone, checks associations in as they arrive
// (correcting and undoing a tap), sees the count live, then takes the registrations and
// the city's sessions away as spreadsheets — in French, with the accents intact.
import { readFileSync } from 'node:fs';
import { accessible, admin, adminToken, appoint, expect, gql, newUser, run, screenshot, signIn, test, verifiedAssociation } from './helpers';

/** today picks a city where a session an hour from now still starts and ends today on
 * its clocks, and that start as the scheduling form takes it. */
function today(): { slug: string; name: string; zone: string; start: string; date: string } {
  const soon = new Date(Date.now() + 60 * 60_000);
  for (const c of [
    { slug: 'brussels', name: 'Brussels', zone: 'Europe/Brussels' },
    { slug: 'washington', name: 'Washington', zone: 'America/New_York' },
  ]) {
    const f = (d: Date) =>
      new Intl.DateTimeFormat('sv-SE', { timeZone: c.zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
        .format(d)
        .replace(' ', 'T');
    const now = f(new Date());
    const end = f(new Date(soon.getTime() + 30 * 60_000));
    if (now.slice(0, 10) === end.slice(0, 10)) return { ...c, start: f(soon), date: now.slice(0, 10) };
  }
  throw new Error('no city where the session fits in today');
}

test('check-in at the door from a phone, and the spreadsheets', async ({ browser }) => {
  const city = today();
  const nurses = `Ghana Nurses ${run}`;
  const teranga = `Sénégalais « Teranga » ${run}`;
  const a = await verifiedAssociation(nurses, city.slug, ['GH']);
  const b = await verifiedAssociation(teranga, city.slug, ['SN']);
  const title = `Diaspora nurses and home hospitals ${run}`;
  const session = await gql<{ scheduleSession: { session: { id: string } } }>(
    adminToken(),
    `mutation($in: ScheduleSessionInput!) { scheduleSession(input: $in) { session { id } } }`,
    {
      in: {
        city: city.slug,
        title: { en: title, fr: `Infirmières de la diaspora ${run}` },
        theme: 'HEALTH',
        originCountries: ['GH', 'SN'],
        venue: { name: `Hall of the door ${run}`, address: '1 Main Street' },
        time: { start: city.start, durationMinutes: 30 },
        capacity: 10,
      },
    },
  );
  const id = session.scheduleSession.session.id;
  for (const [who, seats] of [
    [a, 3],
    [b, 2],
  ] as const) {
    await gql(who.key, `mutation($s: ID!, $a: ID!, $n: Int) { registerForSession(sessionId: $s, associationId: $a, seats: $n) { status } }`, {
      s: id,
      a: who.id,
      n: seats,
    });
  }

  const adminPage = await admin(browser);
  const key = await appoint(adminPage, city.name, `Door keeper ${run}`);
  const { page } = await newUser(browser, 'en-GB', { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await signIn(page, key);
  await page.goto(`/dialogues/${id}`);
  const desk = page.getByRole('region', { name: 'Check-in at the door' });
  await expect(desk.getByTestId('checked-in')).toHaveText('0 of 5 confirmed seats checked in.');

  // Two of the three nurses came; then the third one after all; a tap on the wrong
  // association is undone.
  await desk.getByLabel(`Seats used by ${nurses}`, { exact: true }).fill('2');
  await desk.getByRole('button', { name: `Check in ${nurses}` }).tap();
  await expect(desk.getByTestId('checked-in')).toHaveText('2 of 5 confirmed seats checked in.');
  await expect(desk.getByText(/^Checked in at .*: 2 seats\.$/)).toBeVisible();
  await desk.getByLabel(`Seats used by ${nurses}`, { exact: true }).fill('3');
  await desk.getByRole('button', { name: `Correct the seats of ${nurses}` }).tap();
  await expect(desk.getByTestId('checked-in')).toHaveText('3 of 5 confirmed seats checked in.');
  await desk.getByRole('button', { name: `Check in ${teranga}` }).tap();
  await expect(desk.getByTestId('checked-in')).toHaveText('5 of 5 confirmed seats checked in.');
  await desk.getByRole('button', { name: `Undo the check-in of ${teranga}` }).tap();
  await expect(desk.getByTestId('checked-in')).toHaveText('3 of 5 confirmed seats checked in.');
  // More seats than confirmed is explained, and sends nothing.
  await desk.getByLabel(`Seats used by ${teranga}`, { exact: true }).fill('7');
  await desk.getByRole('button', { name: `Check in ${teranga}` }).tap();
  await expect(desk.getByText('Give the seats used: from 1 to the 2 seats confirmed.').first()).toBeVisible();
  await expect(desk.getByTestId('checked-in')).toHaveText('3 of 5 confirmed seats checked in.');
  await screenshot(page, 'checkin-01-door-on-a-phone');
  await accessible(page, 'the check-in desk on a phone');

  // The registrations as a spreadsheet, in French.
  await page.getByLabel('Language of the pages').selectOption('fr');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger les inscriptions (CSV)' }).tap(),
  ]);
  expect(download.suggestedFilename()).toBe(`registrations-${city.slug}-${city.date}.csv`);
  const file = readFileSync((await download.path())!, 'utf8');
  expect(file.charCodeAt(0)).toBe(0xfeff);
  const lines = file.slice(1).trimEnd().split('\r\n');
  expect(lines[0]).toContain('Arrivée (heure locale)');
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain(`Infirmières de la diaspora ${run}`);
  expect(lines[1]).toContain(`${nurses},`);
  expect(lines[1]).toMatch(/,Confirmée,3,,.*,3$/);
  expect(lines[2]).toContain(teranga);
  await expect(page.getByText(`registrations-${city.slug}-${city.date}.csv enregistré : 2 lignes.`)).toBeVisible();

  // The city's sessions of this month, as the city page offers them.
  await page.goto(`/cities/${city.slug}`);
  const form = page.getByRole('form', { name: 'Les sessions d’une période, en tableur' });
  await form.getByLabel('Du').fill(city.date);
  await form.getByLabel('Au').fill(city.date);
  const [sessions] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Télécharger les sessions (CSV)' }).tap()]);
  const table = readFileSync((await sessions.path())!, 'utf8');
  expect(table).toContain(`Infirmières de la diaspora ${run}`);
  expect(table).toContain('Programmée');
  // A visitor is offered neither the desk nor the files.
  const { page: visitor } = await newUser(browser);
  await visitor.goto(`/dialogues/${id}`);
  await expect(visitor.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(visitor.getByRole('region', { name: 'Check-in at the door' })).toHaveCount(0);
  await expect(visitor.getByRole('button', { name: 'Download the registrations (CSV)' })).toHaveCount(0);
});
