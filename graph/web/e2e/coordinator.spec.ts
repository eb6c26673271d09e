// A coordinator's tools on a session: a time that happens twice (London, the night the
// clocks go back) asks which one is meant; seats never below those confirmed; moving and
// cancelling; and, once a session is over, attendance and outcome. The platform's clock
// cannot wait for a session to end, so that last part runs on a second platform process
// over the same database whose clock is three hours ahead (PASSERELLE_CLOCK_OFFSET).
import {
  accessible,
  admin,
  adminToken,
  coordinator,
  expect,
  gql,
  inDays,
  newUser,
  nextFallBack,
  run,
  schedule,
  screenshot,
  signIn,
  test,
  verifiedAssociation,
} from './helpers';
import { keysFromEnv, start } from './platform';

test('a time that happens twice, seats, moving, cancelling, suspending', async ({ browser }) => {
  const adminPage = await admin(browser);
  const coord = await coordinator(browser, adminPage, 'London', `Coordinator of London ${run}`);
  const assoc = await verifiedAssociation(`Sierra Leone Diaspora Health ${run}`, 'london', ['SL']);

  // 01:30 in London on the night the clocks go back happens twice.
  const day = nextFallBack();
  await coord.goto('/dialogues/new?city=london');
  await schedule(coord, {
    title: `Night clinic volunteers ${run}`,
    theme: 'Health',
    origin: 'Sierra Leone',
    venue: `Africa Centre ${run}`,
    address: '66 Great Suffolk Street, London',
    start: `${day}T01:30`,
    duration: '60',
    capacity: '5',
  });
  await expect(coord.getByRole('alert')).toContainText('This time happens twice that night, when the clocks go back (UTC+01:00 / UTC+00:00)');
  const which = coord.getByRole('group', { name: 'This time happens twice that night. Which one is meant?' });
  await expect(which.getByLabel(/^The first .* at UTC\+01:00/)).toBeVisible();
  await screenshot(coord, 'coordinator-01-ambiguous-time');
  await which.getByLabel(/^The second .* at UTC\+00:00/).check();
  await coord.getByRole('button', { name: 'Schedule the session' }).click();
  await expect(coord.getByText('01:30 (UTC+00:00)').first()).toBeVisible();
  const sessionPath = new URL(coord.url()).pathname;
  const sessionID = sessionPath.split('/').pop()!;

  // The association takes three seats; the coordinator cannot go below them.
  await gql(assoc.key, `mutation($s: ID!, $a: ID!) { registerForSession(sessionId: $s, associationId: $a, seats: 3) { status } }`, {
    s: sessionID,
    a: assoc.id,
  });
  await coord.reload();
  await coord.getByRole('spinbutton', { name: 'Seats', exact: true }).fill('2');
  await coord.getByRole('button', { name: 'Change the seats' }).click();
  await expect(coord.getByRole('alert')).toContainText('3 seats are already confirmed: the number of seats cannot go below that.');
  await coord.getByRole('spinbutton', { name: 'Seats', exact: true }).fill('10');
  await coord.getByRole('button', { name: 'Change the seats' }).click();
  await expect(coord.getByText('The session now has 10 seats.')).toBeVisible();
  await expect(coord.getByTestId('seats')).toHaveText('7 seats left of 10 · nobody waiting');

  // Moved to another evening: its registration stays.
  const later = inDays(60);
  await coord.getByLabel('Start (date and time)').fill(`${later}T18:30`);
  await coord.getByRole('button', { name: 'Move it' }).click();
  await expect(coord.getByText('The session is moved; its registrations stay.')).toBeVisible();
  await expect(coord.getByText('18:30 (UTC').first()).toBeVisible();
  await expect(coord.getByRole('table').getByRole('row', { name: new RegExp(`Sierra Leone Diaspora Health ${run}`) })).toContainText('Confirmed');
  await accessible(coord, 'a session, managed');

  // Cancelled, with a reason: the association's page says so.
  await coord.getByRole('button', { name: 'Cancel the session…' }).click();
  await coord.getByLabel('Why is it cancelled?').fill('The venue closed for works.');
  await coord.getByRole('button', { name: 'Cancel the session', exact: true }).click();
  await expect(coord.getByText('The session is cancelled.').first()).toBeVisible();
  const member = await newUser(browser);
  await signIn(member.page, assoc.key);
  await member.page.goto(sessionPath);
  await expect(member.page.getByText('The venue closed for works.')).toBeVisible();
  await expect(member.page.getByTestId('seats')).toHaveText('This session is cancelled.');

  // The coordinator suspends the association, then lifts the suspension.
  await coord.goto(`/associations/${assoc.id}`);
  await coord.getByRole('button', { name: 'Suspend…' }).click();
  await coord.getByLabel('Why is the association suspended?').fill('Complaints under review.');
  await coord.getByRole('button', { name: 'Suspend the association' }).click();
  await expect(coord.getByText('The association is suspended.')).toBeVisible();
  await expect(member.page.getByRole('button', { name: 'Register for this session' })).toHaveCount(0);
  await coord.getByRole('button', { name: 'Lift the suspension' }).click();
  await expect(coord.getByText('The suspension is lifted.')).toBeVisible();
});

test('attendance and outcome once the session is over', async ({ browser }) => {
  const adminKey = adminToken();
  const assoc = await verifiedAssociation(`Congolese Doctors of Belgium ${run}`, 'brussels', ['CD']);
  const soon = new Date(Date.now() + 60 * 60_000);
  const local = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Brussels',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
    .format(soon)
    .replace(' ', 'T');
  const session = await gql<{ scheduleSession: { session: { id: string } } }>(
    adminKey,
    `mutation($in: ScheduleSessionInput!) { scheduleSession(input: $in) { session { id } } }`,
    {
      in: {
        city: 'brussels',
        title: { en: `Tele-surgery training ${run}` },
        theme: 'HEALTH',
        originCountries: ['CD'],
        venue: { name: `Résidence Palace annex ${run}`, address: 'Rue de la Loi 155' },
        time: { start: local, durationMinutes: 30 },
        capacity: 10,
      },
    },
  );
  const id = session.scheduleSession.session.id;
  await gql(assoc.key, `mutation($s: ID!, $a: ID!) { registerForSession(sessionId: $s, associationId: $a, seats: 4) { status } }`, {
    s: id,
    a: assoc.id,
  });

  // Three hours later, on the platform's clock.
  const port = Number(process.env.E2E_PORT ?? '18080') + 1;
  const later = await start({ port, databaseURL: process.env.E2E_DATABASE_URL!, keys: keysFromEnv(), clockOffset: '3h' });
  try {
    const { page } = await newUser(browser);
    await page.goto(`${later.url}/signin`);
    const adminPage = await admin(browser);
    const key = await (async () => {
      await adminPage.goto(`${later.url}/admin`);
      const form = adminPage.getByRole('form', { name: 'Appoint a coordinator' });
      await form.getByLabel('City', { exact: true }).selectOption({ label: 'Brussels' });
      await form.getByLabel('Coordinator’s name').fill(`Later coordinator ${run}`);
      await form.getByRole('button', { name: 'Appoint' }).click();
      return adminPage.getByTestId('key').inputValue();
    })();
    await page.getByLabel('Key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await page.goto(`${later.url}/dialogues/${id}`);
    await expect(page.getByText('Held', { exact: true }).first()).toBeVisible();
    await page.getByLabel(`Seats used by Congolese Doctors of Belgium ${run} (of 4)`).fill('3');
    await page.getByRole('button', { name: 'Record the attendance' }).click();
    await expect(page.getByText('Attendance recorded: 3 seats used.')).toBeVisible();
    await page.getByRole('group', { name: 'Summary' }).getByLabel('In English').fill('Two hospitals in Kinshasa join the remote training.');
    await page.getByRole('button', { name: 'Add a follow-up action' }).click();
    await page.getByLabel('Action', { exact: true }).fill('Send the training calendar');
    await page.getByLabel('Who').fill('Congolese Doctors of Belgium');
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await expect(page.getByText('The outcome is recorded.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'What came out of it' })).toBeVisible();
    await expect(page.getByText('Send the training calendar — Congolese Doctors of Belgium')).toBeVisible();
    await screenshot(page, 'coordinator-02-attendance-and-outcome');
    await accessible(page, 'a held session, for its coordinator');
    // Leave the second platform's pages before it stops: their live connection would
    // try again and again.
    await page.context().close();
    await adminPage.context().close();
  } finally {
    await later.stop();
  }
});
