// Personal data shows only to those who may see it, exactly as through the API; an
// association edits its profile (only what changed is recorded), looks at its past,
// forgets its contact person for good and dissolves; a coordinator's dismissal ends
// their session at once.
import { accessible, admin, coordinator, expect, newUser, run, screenshot, signIn, test, verifiedAssociation } from './helpers';

test('the contact person shows to the association, its city’s coordinators and admins only', async ({ browser }) => {
  const contact = { name: `Nana Mensah ${run}`, email: `nana-${run}@example.org`, phone: '+44 20 7946 0000' };
  const assoc = await verifiedAssociation(`Ghana Union of London ${run}`, 'london', ['GH'], { contact, website: 'https://gul.example.org' });
  const other = await verifiedAssociation(`Nigerian Nurses of London ${run}`, 'london', ['NG']);
  const adminPage = await admin(browser);
  const london = await coordinator(browser, adminPage, 'London', `London coordinator ${run}`);
  const geneva = await coordinator(browser, adminPage, 'Geneva', `Geneva coordinator ${run}`);

  const visitor = await newUser(browser);
  const otherPage = (await newUser(browser)).page;
  await signIn(otherPage, other.key);
  for (const [who, page] of [
    ['the public', visitor.page],
    ['another association', otherPage],
    ['a coordinator of another city', geneva],
  ] as const) {
    await page.goto(`/associations/${assoc.id}`);
    await expect(page.getByRole('heading', { level: 1, name: `Ghana Union of London ${run}` }), who).toBeVisible();
    await expect(page.getByText(contact.name), who).toHaveCount(0);
    await expect(page.getByText(contact.email), who).toHaveCount(0);
  }
  await screenshot(visitor.page, 'privacy-01-public-profile');
  for (const page of [london, adminPage]) {
    await page.goto(`/associations/${assoc.id}`);
    await expect(page.getByText(contact.email)).toBeVisible();
  }

  // The association edits its website only: only that is recorded.
  const { page } = await newUser(browser);
  await signIn(page, assoc.key);
  await page.goto(`/associations/${assoc.id}/edit`);
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await expect(page.getByText('Nothing changed: nothing was sent.')).toBeVisible();
  await page.getByLabel('Website').fill('https://ghanaunion.example.org');
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await expect(page.getByText('Saved: Website.')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the association' }).click();
  await expect(page.getByRole('link', { name: 'https://ghanaunion.example.org' })).toBeVisible();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('listitem').first()).toContainText('Profile changed');
  await expect(history.getByRole('listitem').first()).toContainText('Website');

  // As it stood when it registered: pending, with its first website.
  await history.getByRole('listitem').last().getByRole('link', { name: 'See it as it was then' }).click();
  await expect(page.getByText(/^As it stood on /)).toBeVisible();
  await expect(page.getByText('Awaiting verification').first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'https://gul.example.org' })).toBeVisible();
  await screenshot(page, 'privacy-02-as-it-stood');
  await page.getByRole('link', { name: 'See it now' }).click();

  // It forgets its contact person: gone for everyone, for good.
  await page.getByRole('button', { name: 'Forget the contact person…' }).click();
  await page.getByRole('button', { name: 'Forget the contact person', exact: true }).click();
  await expect(page.getByText('The contact person is forgotten.')).toBeVisible();
  await expect(page.getByText('The contact person was forgotten: nobody can read it again.')).toBeVisible();
  await london.reload();
  await expect(london.getByText('The contact person was forgotten: nobody can read it again.')).toBeVisible();
  await expect(london.getByText(contact.email)).toHaveCount(0);
  await accessible(page, 'an association’s own page');

  // It dissolves itself.
  await page.getByRole('button', { name: 'Dissolve…' }).click();
  await page.getByRole('button', { name: 'Dissolve the association' }).click();
  await expect(page.getByText('The association is dissolved.')).toBeVisible();
  await expect(page.getByText('Dissolved', { exact: true }).first()).toBeVisible();

  // Signing out ends the session: the browser is anonymous again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('a dismissed coordinator’s session ends at once', async ({ browser }) => {
  const adminPage = await admin(browser);
  const name = `Coordinator to dismiss ${run}`;
  const coord = await coordinator(browser, adminPage, 'Paris', name);
  await coord.goto('/coordinate');
  await expect(coord.getByRole('heading', { level: 1, name: 'Coordination of Paris' })).toBeVisible();
  await adminPage.goto('/admin');
  await adminPage.getByRole('button', { name: `Dismiss ${name}…` }).click();
  await adminPage.getByRole('button', { name: 'Dismiss', exact: true }).click();
  await expect(adminPage.getByText(`${name} is dismissed.`)).toBeVisible();
  await coord.reload();
  await expect(coord.getByText('Your session has ended (it expired, or your appointment ended): sign in again to go on.')).toBeVisible();
  await expect(coord.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
  await expect(coord.getByRole('link', { name: 'Coordination' })).toHaveCount(0);
});
