// The journey the platform exists for, as its people click it: an association registers
// online, a coordinator verifies it beside a possible duplicate and schedules a session
// across the night Europe's clocks go forward, two associations register for its one seat
// — the second waits — and when the first cancels, the second's page shows it confirmed,
// live, without a reload.
import { accessible, admin, coordinator, dayBefore, expect, newUser, nextSpringForward, register, run, schedule, screenshot, test } from './helpers';

test.describe.configure({ mode: 'serial' });

test('register, verify beside a duplicate, schedule across the clock change, waitlist, promote live', async ({ browser }) => {
  const names = { first: `Association des Maliens de Bruxelles ${run}`, second: `Association des Maliens à Bruxelles ${run}` };

  // An association registers online, with its whole profile.
  const first = await newUser(browser);
  const a = await register(first.page, {
    name: names.first,
    acronym: 'AMB',
    city: 'Brussels',
    origin: 'Mali',
    sectors: ['Remittances', 'Integration'],
    languages: ['French', 'Bambara'],
    description: {
      en: 'Malian families of Brussels: mutual help and remittances to Kayes.',
      fr: 'Les familles maliennes de Bruxelles : entraide et transferts vers Kayes.',
      es: 'Familias malienses de Bruselas: ayuda mutua y remesas a Kayes.',
    },
    website: 'https://amb.example.org',
    contact: { name: 'Aminata Traoré', email: 'aminata@example.org', phone: '+32 2 555 12 34' },
  });
  await expect(first.page.getByText('Awaiting verification')).toBeVisible();
  await expect(first.page.getByText('Aminata Traoré')).toBeVisible(); // its own contact person
  await screenshot(first.page, 'journey-01-registered');

  // A second one registers with a similar name: a possible duplicate.
  const second = await newUser(browser);
  const b = await register(second.page, { name: names.second, city: 'Brussels', origin: 'Mali' });

  // The public does not see pending associations, nor any contact person.
  const visitor = await newUser(browser);
  await visitor.page.goto(a.path);
  await expect(visitor.page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();

  // An admin appoints a coordinator of Brussels, who signs in with the key shown once.
  const adminPage = await admin(browser);
  const coord = await coordinator(browser, adminPage, 'Brussels', `Pieter Janssens ${run}`);
  await coord.goto('/coordinate');
  const queueItem = coord.getByRole('listitem').filter({ has: coord.getByRole('heading', { level: 3, name: names.second }) });
  await expect(queueItem.getByText('Possible duplicates')).toBeVisible();
  await expect(queueItem.getByRole('link', { name: names.first })).toBeVisible();
  await expect(coord.getByText('Aminata Traoré').first()).toBeVisible(); // the coordinator of its city sees it
  await screenshot(coord, 'journey-02-verification-queue');
  await accessible(coord, 'the verification queue');
  await coord.getByRole('button', { name: `Verify ${names.first}` }).click();
  await expect(coord.getByText(`${names.first} is verified.`)).toBeVisible();
  await coord.getByRole('button', { name: `Verify ${names.second}` }).click();
  await expect(coord.getByText(`${names.second} is verified.`)).toBeVisible();

  // The first association's page shows the new status live.
  await expect(first.page.getByText('Verified', { exact: true }).first()).toBeVisible();

  // The coordinator schedules a session on the night the clocks go forward: 02:30 does
  // not exist in Brussels that night, and the form says so.
  const day = nextSpringForward();
  await coord.goto('/dialogues/new?city=brussels');
  await expect(coord.getByText('On the clocks of Brussels (Europe/Brussels).')).toBeVisible();
  const session = {
    title: `Remittances through postal networks ${run}`,
    theme: 'Remittances',
    origin: 'Mali',
    venue: `Résidence Palace ${run}`,
    address: 'Rue de la Loi 155, 1040 Bruxelles',
    start: `${day}T02:30`,
    capacity: '1',
  };
  await schedule(coord, session);
  const problem = coord.getByRole('alert');
  await expect(problem).toContainText('This time does not exist in the city: that night the clocks go forward an hour');
  await expect(coord.getByLabel('Start (date and time)')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(coord, 'journey-03-nonexistent-time');
  // 18:00 that evening is after the change (summer time), the deadline the day before is
  // still winter time.
  await coord.getByLabel('Start (date and time)').fill(`${day}T18:00`);
  await coord.getByLabel('Registration deadline').fill(`${dayBefore(day)}T12:00`);
  await coord.getByRole('button', { name: 'Schedule the session' }).click();
  await expect(coord.getByRole('heading', { level: 1, name: session.title })).toBeVisible();
  await expect(coord.getByText('18:00 (UTC+02:00)')).toBeVisible();
  await expect(coord.getByText('12:00 (UTC+01:00)')).toBeVisible();
  await expect(coord.getByTestId('seats')).toHaveText('1 seat left of 1 · nobody waiting');
  const sessionPath = new URL(coord.url()).pathname;
  await screenshot(coord, 'journey-04-scheduled');
  await accessible(coord, 'a session, for its coordinator');

  // The first association registers: confirmed. The second: waitlisted, first in line.
  await first.page.goto(sessionPath);
  await first.page.getByRole('button', { name: 'Register for this session' }).click();
  await expect(first.page.getByTestId('registration')).toHaveText('CONFIRMED: 1 seat for your association.');
  await second.page.goto(sessionPath);
  await expect(second.page.getByTestId('seats')).toHaveText('No seat left of 1 · nobody waiting');
  await second.page.getByRole('button', { name: 'Register for this session' }).click();
  await expect(second.page.getByTestId('registration')).toHaveText('WAITLISTED: place 1 on the waitlist (1 seat asked).');
  await screenshot(second.page, 'journey-05-waitlisted');

  // The public's city page shows the seats, and follows them live.
  await visitor.page.goto('/cities/brussels');
  const card = visitor.page.locator('[data-session]').filter({ hasText: session.title });
  await expect(card.getByTestId('seats-left')).toHaveText('No seat left of 1');
  await expect(card.getByTestId('waitlist')).toHaveText('1 waiting');

  // The coordinator sees who registered and the waitlist.
  await coord.reload();
  const registrations = coord.getByRole('table');
  await expect(registrations.getByRole('row', { name: new RegExp(names.first) })).toContainText('Confirmed');
  await expect(registrations.getByRole('row', { name: new RegExp(names.second) })).toContainText('On the waitlist (place 1)');

  // The first association gives its seat up; the waitlist policy promotes the second, and
  // its page (not reloaded) shows it confirmed, as does the public's city page.
  await first.page.getByRole('button', { name: 'Cancel the registration…' }).click();
  await first.page.getByRole('button', { name: 'Cancel the registration', exact: true }).click();
  await expect(second.page.getByTestId('registration')).toHaveText('CONFIRMED: 1 seat for your association.');
  await expect(second.page.getByTestId('seats')).toHaveText('No seat left of 1 · nobody waiting');
  await expect(card.getByTestId('waitlist')).toHaveText('nobody waiting');
  await screenshot(second.page, 'journey-06-promoted-live');
  await expect(first.page.getByRole('button', { name: 'Register for this session' })).toBeVisible();

  // The second association's own page lists its place.
  await second.page.goto('/my');
  await expect(second.page.getByText('CONFIRMED: 1 seat for your association.')).toBeVisible();
  await accessible(second.page, 'an association’s own page');
  void b;
});
