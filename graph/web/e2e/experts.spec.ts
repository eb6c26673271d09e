// The skills roster as people use it: a diaspora cardiologist registers as an expert and
// chooses to be shown; a coordinator verifies her; the public finds her in the roster
// without her contact details; she withdraws from the roster, and is gone from it at once.
import { accessible, admin, coordinator, expect, newUser, run, screenshot, test } from './helpers';

test('an expert registers, is verified, shown in the roster, and withdraws', async ({ browser }) => {
  const name = `Dr Amina Diallo ${run}`;
  const { page: amina } = await newUser(browser);
  await amina.goto('/experts');
  await amina.getByRole('link', { name: 'Offer my skills' }).click();
  await amina.getByLabel('Your name').fill(name);
  await amina.getByLabel('Specialist medical practitioners').check();
  await amina.getByLabel('Languages you work in').selectOption({ label: 'French' });
  await amina.getByLabel('Countries of origin').selectOption({ label: 'Senegal' });
  await amina.getByLabel('Country of residence').selectOption({ label: 'Switzerland' });
  await amina.getByLabel('Days a year you can give').fill('20');
  await amina
    .getByRole('group', { name: 'About you' })
    .getByLabel('In French')
    .fill('Cardiologue à Genève, télé-expertise pour les hôpitaux de Dakar.');
  await amina.getByLabel('Mail address').fill(`amina.${run}@example.org`);
  await amina.getByLabel('Show me in the public roster of experts (never my contact details).').check();
  await accessible(amina, 'the registration of an expert');
  await amina.getByRole('button', { name: 'Register as an expert' }).click();
  await expect(amina.getByRole('heading', { name: 'You are registered' })).toBeVisible();
  await expect(amina.getByTestId('key')).not.toBeEmpty();
  await screenshot(amina, 'experts-01-registered');

  // Not in the roster before verification.
  const { page: visitor } = await newUser(browser, 'fr-FR');
  await visitor.goto('/experts');
  await expect(visitor.getByText(name)).toHaveCount(0);

  const adminPage = await admin(browser);
  const coord = await coordinator(browser, adminPage, 'Geneva', `Coordinator of Geneva ${run}`);
  await coord.goto('/coordinate');
  await coord.getByRole('region', { name: 'Experts awaiting verification' }).getByRole('link', { name }).click();
  await expect(coord.getByText(`amina.${run}@example.org`)).toBeVisible();
  await coord.getByRole('button', { name: 'Verify this expert' }).click();
  await expect(coord.getByText('The expert is verified.')).toBeVisible();

  // The public roster, in French: her, without her contact.
  await visitor.reload();
  const card = visitor.getByTestId('expert').filter({ hasText: name });
  await expect(card).toBeVisible();
  await expect(card).toContainText('Médecins spécialistes');
  await expect(visitor.getByText(`amina.${run}@example.org`)).toHaveCount(0);
  await accessible(visitor, 'the roster of experts');
  await screenshot(visitor, 'experts-02-roster');

  // She withdraws from the roster: gone from it at once.
  await amina.getByRole('link', { name: 'My expert profile' }).click();
  await amina.getByTestId('consent-ROSTER').getByRole('button', { name: 'Withdraw it' }).click();
  await expect(amina.getByText('Your consent is withdrawn.')).toBeVisible();
  await visitor.reload();
  await expect(visitor.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(visitor.getByText(name)).toHaveCount(0);
});
