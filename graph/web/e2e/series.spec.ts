// A series, as a coordinator schedules it: every week at 18:30 on Brussels' clocks,
// five times, one date left out; a date whose venue is taken is refused with its
// reason; then, from one session on, the rest moves to 19:00, and is cancelled.
import { adminToken, accessible, admin, coordinator, expect, gql, inDays, run, screenshot, test } from './helpers';

function weekday(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(date + 'T12:00:00Z'));
}

test('a weekly series: dates refused with their reason, the rest cancelled from one on', async ({ browser }) => {
  const first = inDays(21);
  const dates = [0, 7, 14, 21, 28].map((d) => {
    const x = new Date(first + 'T12:00:00Z');
    x.setUTCDate(x.getUTCDate() + d);
    return x.toISOString().slice(0, 10);
  });
  const venue = `Maison de la diaspora ${run}`;
  // The venue is taken on the third date.
  await gql(adminToken(), `mutation($in: ScheduleSessionInput!) { scheduleSession(input: $in) { session { id } } }`, {
    in: {
      city: 'brussels',
      title: { en: `Another event ${run}` },
      theme: 'CULTURE',
      originCountries: ['CD'],
      venue: { name: venue, address: 'Rue Haute 1' },
      time: { start: `${dates[2]}T18:00`, durationMinutes: 120 },
      capacity: 10,
    },
  });

  const adminPage = await admin(browser);
  const coord = await coordinator(browser, adminPage, 'Brussels', `Coordinator of Brussels ${run}`);
  await coord.goto('/dialogues/new?city=brussels');
  const title = `Skills circulation: virtual return ${run}`;
  await coord.getByRole('group', { name: 'Title' }).getByLabel('In English').fill(title);
  await coord.getByLabel('Theme').selectOption({ label: 'Skills circulation' });
  await coord.getByRole('combobox', { name: 'Countries of origin in focus' }).selectOption({ label: 'Congo - Kinshasa' });
  await coord.getByLabel('Name of the venue').fill(venue);
  await coord.getByLabel('Address').fill('Rue Haute 1, Bruxelles');
  await coord.getByLabel('Start (date and time)').fill(`${first}T18:30`);
  await coord.getByLabel('Seats', { exact: true }).fill('25');
  await coord.getByLabel('Repeat this session (a series)').check();
  await coord.getByLabel('Number of sessions', { exact: true }).fill('5');
  await coord.getByLabel('Dates to leave out').fill(dates[3]!);
  await screenshot(coord, 'series-01-form');
  await coord.getByRole('button', { name: 'Schedule the series' }).click();

  await expect(coord.getByRole('heading', { name: 'Series scheduled' })).toBeVisible();
  await expect(coord.getByText('3 of 4 dates have their session.')).toBeVisible();
  const list = coord.getByTestId('series-dates');
  await expect(list.getByRole('listitem')).toHaveCount(4);
  await expect(list.getByRole('listitem').nth(2)).toContainText('not scheduled: the venue is taken');
  await accessible(coord, 'a series scheduled');
  await screenshot(coord, 'series-02-scheduled');

  // The second session of the series: it knows its series; the rest is cancelled from it.
  await list.getByRole('link').nth(1).click();
  const panel = coord.getByRole('region', { name: 'Part of a series' });
  await expect(panel.getByTestId('series-rule')).toHaveText(`Every week on ${weekday(first)}`);
  const move = panel.getByRole('form', { name: 'Move this session and the following ones' });
  await move.getByLabel('Time on the city’s clocks').fill('19:00');
  await move.getByRole('button', { name: 'Move them' }).click();
  await expect(coord.getByText('This session and the following ones now start at 19:00.')).toBeVisible();
  await expect(coord.getByText('19:00', { exact: false }).first()).toBeVisible();
  await panel.getByRole('button', { name: 'Cancel this session and the following ones…' }).click();
  await panel.getByLabel('Why is it cancelled?').fill('the venue closes for works');
  await panel.getByRole('button', { name: 'Cancel them' }).click();
  await expect(coord.getByText('This session and the following ones are cancelled.')).toBeVisible();
  await expect(coord.getByTestId('seats')).toHaveText('This session is cancelled.');
});
