// Skills circulation as people use it: a regional hospital of Senegal registers and is
// verified by an admin; it posts a request for cardiology mentoring; a coordinator sees
// the experts the matching ranks, with its reasons, and proposes one; the expert, in
// French, accepts; the hospital then sees her and her contact, confirms her, and closes
// the mission; the figures count it, in Spanish.
import { accessible, admin, adminToken, coordinator, expect, gql, inDays, newUser, run, screenshot, signIn, test } from './helpers';

test('an institution’s request is matched with an expert who accepts, and confirmed', async ({ browser }) => {
  const hospital = `CHR de Thiès ${run}`;
  const expertName = `Dr Aminata Sow ${run}`;
  const title = `Cardiology mentoring ${run}`;

  // The hospital registers itself and keeps its key.
  const { page: inst } = await newUser(browser);
  await inst.goto('/requests');
  await inst.getByRole('link', { name: 'Register an institution' }).click();
  await inst.getByLabel('Name of the institution').fill(hospital);
  await inst.getByLabel('Kind of institution').selectOption({ label: 'Hospital' });
  await inst.getByLabel('Country').selectOption({ label: 'Senegal' });
  await inst.getByLabel('Mail address of the institution').fill(`direction.${run}@chr-thies.example.sn`);
  await accessible(inst, 'the registration of an institution');
  await inst.getByRole('button', { name: 'Register the institution' }).click();
  await expect(inst.getByRole('heading', { name: 'The institution is registered' })).toBeVisible();
  await expect(inst.getByTestId('key')).not.toBeEmpty();
  await inst.getByRole('link', { name: 'See the institution' }).click();
  await expect(inst.getByText('An admin has yet to verify this institution')).toBeVisible();

  // An admin verifies it from the queue.
  const adminPage = await admin(browser);
  await adminPage.goto('/admin');
  await adminPage.getByRole('region', { name: 'Institutions awaiting verification' }).getByRole('link', { name: hospital }).click();
  await expect(adminPage.getByText(`direction.${run}@chr-thies.example.sn`)).toBeVisible();
  await adminPage.getByRole('button', { name: 'Verify this institution' }).click();
  await expect(adminPage.getByText('The institution is verified.')).toBeVisible();

  // An expert, registered and verified (her own registration is another journey's).
  const reg = await gql<{ registerExpert: { token: string; expert: { id: string } } }>(
    null,
    `mutation($in: RegisterExpertInput!) { registerExpert(input: $in) { token expert { id } } }`,
    {
      in: {
        profile: {
          name: expertName,
          fields: ['2212'],
          languages: ['fr', 'wo'],
          originCountries: ['SN'],
          residenceCountry: 'FR',
          availability: { onSite: true, remote: true, daysPerYear: 30 },
          email: `aminata.${run}@example.org`,
        },
        consents: [
          { purpose: 'PROCESSING', wordingVersion: '2026-12-processing-1' },
          { purpose: 'CONTACT', wordingVersion: '2026-12-contact-1' },
        ],
      },
    },
  );
  await gql(adminToken(), `mutation($id: ID!) { verifyExpert(id: $id) { expert { status } } }`, { id: reg.registerExpert.expert.id });

  // The hospital posts its request: a draft, then published.
  await inst.reload();
  await inst.getByRole('link', { name: 'Post a request' }).click();
  await inst.getByLabel('Title').fill(title);
  await inst
    .getByLabel('Terms of reference')
    .fill('Three weeks of mentoring for the cardiology team of the regional hospital, with remote follow-up.');
  await inst.getByLabel('Specialist medical practitioners').check();
  await inst.getByLabel('Languages needed').selectOption({ label: 'French' });
  await inst.getByLabel('On site or remotely').check();
  await inst.getByLabel('Mission starts').fill(inDays(60));
  await inst.getByLabel('Mission ends').fill(inDays(81));
  await expect(inst.getByLabel('Country')).toHaveValue('SN');
  await accessible(inst, 'the form of a request for expertise');
  await inst.getByRole('button', { name: 'Save the draft' }).click();
  await expect(inst.getByRole('heading', { name: title })).toBeVisible();
  await inst.getByRole('button', { name: 'Publish the request' }).click();
  await expect(inst.getByText('The request is published')).toBeVisible();
  const requestURL = inst.url();

  // A coordinator sees the ranking, with its reasons, and proposes her.
  const coord = await coordinator(browser, adminPage, 'Geneva', `Coordinator of Geneva ${run}`);
  await coord.goto('/requests');
  await coord.getByRole('link', { name: title }).click();
  const candidate = coord.getByTestId('candidate').filter({ hasText: expertName });
  await expect(candidate).toContainText('Expertise: 40/40');
  await expect(candidate).toContainText('country of origin');
  await accessible(coord, 'a request with its candidates');
  await screenshot(coord, 'expertise-01-candidates');
  await candidate.getByRole('button', { name: `Propose ${expertName}` }).click();
  await expect(coord.getByText('The expert is proposed')).toBeVisible();

  // The hospital does not see who was proposed until she answers.
  await inst.reload();
  await expect(inst.getByText(expertName)).toHaveCount(0);
  await expect(inst.getByText('1 expert was proposed and has not answered yet.')).toBeVisible();

  // She reads it in French and accepts.
  const { page: expertPage } = await newUser(browser);
  await signIn(expertPage, reg.registerExpert.token);
  await expertPage.getByLabel('Language of the pages').selectOption('fr');
  await expertPage.getByRole('link', { name: 'Mon profil d’expert' }).click();
  await expertPage.getByRole('region', { name: 'Demandes pour lesquelles vous avez été proposé' }).getByRole('link', { name: title }).click();
  await expertPage.getByRole('button', { name: 'Accepter' }).click();
  await expect(expertPage.getByText('Vous avez accepté')).toBeVisible();
  await accessible(expertPage, 'a request the expert accepted');

  // The hospital now sees her, with her contact, confirms her and closes the mission.
  await inst.goto(requestURL);
  const match = inst.getByTestId('match').filter({ hasText: expertName });
  await expect(match.getByTestId('contact')).toContainText(`aminata.${run}@example.org`);
  await screenshot(inst, 'expertise-02-accepted');
  await match.getByRole('button', { name: `Confirm ${expertName} for the mission` }).click();
  await expect(inst.getByText('The expert is confirmed for the mission.')).toBeVisible();
  await expect(inst.getByText('Matched').first()).toBeVisible();
  await inst.getByRole('button', { name: 'Close the request…' }).click();
  await inst.getByRole('button', { name: 'Close the request', exact: true }).click();
  await expect(inst.getByText('The request is closed.')).toBeVisible();

  // The platform wrote to her and to the hospital, naming no expert: the admins' mailbox.
  await adminPage.goto('/admin');
  const mailbox = adminPage.getByRole('region', { name: 'Mailbox' });
  await expect(async () => {
    await mailbox.getByRole('button', { name: 'Refresh the mailbox' }).click();
    await expect(mailbox.getByText('Expert proposed for a request').first()).toBeVisible({ timeout: 1_000 });
    await expect(mailbox.getByText('An expert accepted a request').first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(mailbox.getByText(expertName)).toHaveCount(0);

  // The figures count the request, the match and the mission, in Spanish.
  const { page: visitor } = await newUser(browser, 'es-ES');
  await visitor.goto('/stats');
  const table = visitor.getByRole('table', { name: 'Solicitudes de expertise, emparejamientos y misiones, por país y especialidad' });
  await expect(table.getByRole('row').filter({ hasText: 'Senegal' })).toBeVisible();
  await accessible(visitor, 'the figures with expertise');
});
