// Every page passes axe-core without a serious violation, for the role that sees it, and
// the app works with the keyboard alone.
import { accessible, adminToken, expect, gql, inDays, newUser, run, signIn, test, verifiedAssociation } from './helpers';
import { keysFromEnv, token } from './platform';

test('every page, for the public, an association, a coordinator and an admin', async ({ browser }) => {
  // It walks every page four times over, each checked by axe-core: more than the usual
  // 90 seconds on a loaded machine.
  test.setTimeout(240_000);
  const admin = adminToken();
  const assoc = await verifiedAssociation(`Ethiopian Professionals Network ${run}`, 'washington', ['ET'], {
    description: { en: 'Engineers and doctors teaching with Addis Ababa University.' },
    contact: { name: 'Selam Bekele', email: 'selam@example.org' },
  });
  const call = await gql<{ openCall: { call: { id: string } } }>(admin, `mutation($in: OpenCallInput!) { openCall(input: $in) { call { id } } }`, {
    in: {
      title: { en: `Skills circulation ${run}` },
      description: { en: 'Virtual return of engineers.' },
      themes: ['SKILLS_CIRCULATION'],
      eligibleCountries: ['ET'],
      budgetCeiling: { amount: '20000', currency: 'USD' },
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 20 * 24 * 3600_000).toISOString(),
    },
  });
  const session = await gql<{ scheduleSession: { session: { id: string } } }>(
    admin,
    `mutation($in: ScheduleSessionInput!) { scheduleSession(input: $in) { session { id } } }`,
    {
      in: {
        city: 'washington',
        title: { en: `Skills circulation: the virtual return ${run}` },
        theme: 'SKILLS_CIRCULATION',
        originCountries: ['ET'],
        venue: { name: `MLK Library ${run}`, address: '901 G St NW' },
        time: { start: `${inDays(30)}T18:00`, durationMinutes: 90 },
        capacity: 20,
      },
    },
  );
  const proposal = await gql<{ draftProposal: { proposal: { id: string } } }>(
    assoc.key,
    `mutation($in: DraftProposalInput!) { draftProposal(input: $in) { proposal { id } } }`,
    { in: { callId: call.openCall.call.id, associationId: assoc.id, title: { en: `Virtual lectures ${run}` } } },
  );

  const visitor = await newUser(browser);
  for (const path of [
    '/',
    '/associations',
    `/associations/${assoc.id}`,
    '/register',
    '/signin',
    '/dialogues',
    '/cities/washington',
    `/dialogues/${session.scheduleSession.session.id}`,
    '/calls',
    `/calls/${call.openCall.call.id}`,
    '/stats',
    '/no-such-page',
  ]) {
    await visitor.page.goto(path);
    await expect(visitor.page.getByRole('heading', { level: 1 })).toBeVisible();
    await accessible(visitor.page, `${path} for the public`);
  }

  const association = await newUser(browser);
  await signIn(association.page, assoc.key);
  for (const path of [
    '/my',
    `/associations/${assoc.id}`,
    `/associations/${assoc.id}/edit`,
    `/proposals/new?call=${call.openCall.call.id}`,
    `/proposals/${proposal.draftProposal.proposal.id}`,
    `/dialogues/${session.scheduleSession.session.id}`,
  ]) {
    await association.page.goto(path);
    await expect(association.page.getByRole('heading', { level: 1 })).toBeVisible();
    await accessible(association.page, `${path} for its association`);
  }

  const adminPage = await newUser(browser, 'fr-FR');
  await adminPage.page.goto('/signin');
  await adminPage.page.getByLabel('Clé').fill(token(keysFromEnv(), '--role', 'admin', '--subject', `a11y-${run}`));
  await adminPage.page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(adminPage.page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
  for (const path of [
    '/admin',
    '/coordinate',
    '/dialogues/new?city=washington',
    `/proposals/${proposal.draftProposal.proposal.id}`,
    `/associations/${assoc.id}`,
  ]) {
    await adminPage.page.goto(path);
    await expect(adminPage.page.getByRole('heading', { level: 1 })).toBeVisible();
    await accessible(adminPage.page, `${path} for an admin, in French`);
  }
});

test('with the keyboard alone: skip to the content, sign in, register for a session', async ({ browser }) => {
  const assoc = await verifiedAssociation(`Haitian Association of Washington ${run}`, 'washington', ['HT']);
  const session = await gql<{ scheduleSession: { session: { id: string } } }>(
    adminToken(),
    `mutation($in: ScheduleSessionInput!) { scheduleSession(input: $in) { session { id } } }`,
    {
      in: {
        city: 'washington',
        title: { en: `Migrants’ rights ${run}` },
        theme: 'HUMAN_RIGHTS',
        originCountries: ['HT'],
        venue: { name: `Rights Center ${run}`, address: '1 Main St' },
        time: { start: `${inDays(25)}T18:00`, durationMinutes: 90 },
        capacity: 20,
      },
    },
  );
  const { page } = await newUser(browser);
  await page.goto('/signin');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  // Tab through to the key, type it, then to the button.
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.getByLabel('Key').evaluate((el) => el === document.activeElement)) break;
  }
  await expect(page.getByLabel('Key')).toBeFocused();
  await page.keyboard.type(assoc.key);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.goto(`/dialogues/${session.scheduleSession.session.id}`);
  await page.getByRole('spinbutton', { name: 'Seats' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Register for this session' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('registration')).toHaveText('CONFIRMED: 1 seat for your association.');
});
