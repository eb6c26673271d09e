// Waitlist offers as the people concerned see them: a coordinator schedules a full
// session whose freed seats are offered for 48 hours; when a seat frees up, the first
// association waiting (in Spanish) is told at once on the session's page and accepts;
// the next (in French) finds its offer on its own page and gives it up.
import {
  accessible,
  admin,
  coordinator,
  expect,
  gql,
  inDays,
  newUser,
  run,
  schedule,
  screenshot,
  signIn,
  test,
  verifiedAssociation,
} from './helpers';

const registerMutation = `mutation($s: ID!, $a: ID!, $n: Int) { registerForSession(sessionId: $s, associationId: $a, seats: $n) { status registration { id } } }`;

test('a freed seat offered to the waitlist, accepted and given up', async ({ browser }) => {
  const adminPage = await admin(browser);
  const coord = await coordinator(browser, adminPage, 'Geneva', `Coordinator of Geneva ${run}`);
  const first = await verifiedAssociation(`Diaspora malienne de Genève ${run}`, 'geneva', ['ML']);
  const second = await verifiedAssociation(`Colombianos en Ginebra ${run}`, 'geneva', ['CO']);
  const third = await verifiedAssociation(`Congolais de Genève ${run}`, 'geneva', ['CD']);

  await coord.goto('/dialogues/new?city=geneva');
  await coord.getByLabel('Hours to answer an offer of freed seats').fill('48');
  await schedule(coord, {
    title: `Remittances through postal networks ${run}`,
    theme: 'Remittances',
    origin: 'Mali',
    venue: `Maison des associations ${run}`,
    address: 'Rue des Savoises 15, Genève',
    start: `${inDays(30)}T18:30`,
    capacity: '2',
  });
  await expect(coord.getByText('Freed seats are offered to the waitlist for 48 hours each.')).toBeVisible();
  const id = new URL(coord.url()).pathname.split('/').pop()!;

  // The session fills up; two associations wait.
  const taken = await gql<{ registerForSession: { registration: { id: string } } }>(first.key, registerMutation, { s: id, a: first.id, n: 2 });
  await gql(second.key, registerMutation, { s: id, a: second.id, n: 2 });
  await gql(third.key, registerMutation, { s: id, a: third.id, n: 1 });

  const { page: colombianos } = await newUser(browser);
  await signIn(colombianos, second.key);
  await colombianos.getByLabel('Language of the pages').selectOption('es');
  await colombianos.goto(`/dialogues/${id}`);
  const mine = colombianos.getByTestId('registration');
  await expect(mine).toHaveText('EN LISTA DE ESPERA: puesto 1 (2 plazas pedidas).');

  // The first association gives its seats up: they are offered to the Colombians, live.
  await gql(first.key, `mutation($s: ID!, $r: ID!) { cancelSessionRegistration(sessionId: $s, registrationId: $r) { position } }`, {
    s: id,
    r: taken.registerForSession.registration.id,
  });
  await expect(mine).toContainText('PLAZAS OFRECIDAS: 2 plazas están reservadas para su asociación hasta el');
  await expect(colombianos.getByTestId('offered')).toHaveText('2 plazas reservadas para una asociación a la que se ofrecieron.');
  await screenshot(colombianos, 'offers-01-seats-offered');
  await accessible(colombianos, 'a waitlist offer to answer');
  await colombianos.getByRole('button', { name: 'Aceptar las 2 plazas' }).click();
  await expect(mine).toHaveText('CONFIRMADA: 2 plazas para su asociación.');

  // The coordinator shortens the offers and adds a seat: it is offered to the next.
  await coord.reload();
  await coord.getByLabel('Hours to answer an offer of freed seats').fill('24');
  await coord.getByRole('button', { name: 'Save the waitlist offers' }).click();
  await expect(coord.getByText('Freed seats are now offered for 24 hours.')).toBeVisible();
  await coord.getByRole('spinbutton', { name: 'Seats', exact: true }).fill('3');
  await coord.getByRole('button', { name: 'Change the seats' }).click();
  const row = coord.getByRole('row', { name: new RegExp(`Congolais de Genève ${run}`) });
  await expect(row).toContainText('Seats offered (until');

  // The Congolese association finds the offer on its own page, and gives it up.
  const { page: congolais } = await newUser(browser);
  await signIn(congolais, third.key);
  await congolais.getByLabel('Language of the pages').selectOption('fr');
  await congolais.goto('/my');
  await expect(congolais.getByText(/^PLACES PROPOSÉES : 1 place est réservée pour votre association jusqu’au /)).toBeVisible();
  await congolais.getByRole('link', { name: 'Répondre à la proposition' }).click();
  await congolais.getByRole('button', { name: 'Renoncer aux places…' }).click();
  await congolais.getByRole('button', { name: 'Renoncer aux places', exact: true }).click();
  await expect(congolais.getByTestId('registration')).toHaveText(
    'Votre association a renoncé aux places proposées. Vous pouvez vous inscrire à nouveau.',
  );
  await expect(congolais.getByRole('button', { name: 'S’inscrire à cette séance' })).toBeVisible();
  await coord.reload();
  await expect(coord.getByRole('row', { name: new RegExp(`Congolais de Genève ${run}`) })).toHaveCount(0);
  await expect(coord.getByTestId('seats')).toHaveText('1 seat left of 3 · nobody waiting');
});
