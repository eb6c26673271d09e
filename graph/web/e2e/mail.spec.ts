// The mail the platform writes, as an admin reads it: an association registered in
// French with a contact person is verified, and the admin's mailbox shows the message
// it was sent, in French — without the contact's address, which only the message itself
// carries.
import { accessible, admin, adminToken, coordinator, expect, gql, inDays, run, screenshot, test } from './helpers';

test('an admin reads the mail sent to an association, in its language', async ({ browser }) => {
  const name = `Diaspora malienne de Paris ${run}`;
  const reg = await gql<{ registerAssociation: { association: { id: string } } }>(
    null,
    `mutation($in: RegisterAssociationInput!) { registerAssociation(input: $in) { association { id } } }`,
    { in: { name, city: 'geneva', originCountries: ['ML'], languages: ['fr'], contact: { name: 'Awa Traoré', email: `awa.${run}@maliens.test` } } },
  );
  await gql(adminToken(), `mutation($id: ID!) { verifyAssociation(id: $id) { association { status } } }`, {
    id: reg.registerAssociation.association.id,
  });

  const page = await admin(browser);
  await page.goto('/admin');
  const box = page.getByRole('region', { name: 'Mailbox' });
  await expect(box.getByText('No SMTP server is configured', { exact: false })).toBeVisible();
  const message = box.getByTestId('mail').filter({ hasText: name });
  // The sender delivers within moments: refresh until it says so.
  await expect(async () => {
    await box.getByRole('button', { name: 'Refresh the mailbox' }).click();
    await expect(message.getByText('Sent', { exact: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(message.getByText('Votre association est vérifiée')).toBeVisible();
  await message.getByText('Votre association est vérifiée').click();
  await expect(message.getByText(`Bonjour ${name},`, { exact: false })).toBeVisible();
  await expect(box.getByText(`awa.${run}@maliens.test`)).toHaveCount(0);
  await screenshot(page, 'mail-01-mailbox');
  await accessible(page, 'the admins’ mailbox');
});

test('a coordinator writes to the associations registered for a session', async ({ browser }) => {
  const name = `Colombianos en Ginebra ${run}`;
  const reg = await gql<{ registerAssociation: { association: { id: string }; token: string } }>(
    null,
    `mutation($in: RegisterAssociationInput!) { registerAssociation(input: $in) { association { id } token } }`,
    {
      in: { name, city: 'geneva', originCountries: ['CO'], languages: ['es'], contact: { name: 'Ana Gómez', email: `ana.${run}@colombianos.test` } },
    },
  );
  const id = reg.registerAssociation.association.id;
  await gql(adminToken(), `mutation($id: ID!) { verifyAssociation(id: $id) { association { status } } }`, { id });
  const title = `Diaspora investment and cooperatives ${run}`;
  const session = await gql<{ scheduleSession: { session: { id: string } } }>(
    adminToken(),
    `mutation($in: ScheduleSessionInput!) { scheduleSession(input: $in) { session { id } } }`,
    {
      in: {
        city: 'geneva',
        title: { en: title, es: `Inversión de la diáspora ${run}` },
        theme: 'INVESTMENT',
        originCountries: ['CO'],
        venue: { name: `Palais des Nations ${run}`, address: 'Avenue de la Paix 14' },
        time: { start: `${inDays(20)}T18:00`, durationMinutes: 90 },
        capacity: 20,
      },
    },
  );
  const sessionID = session.scheduleSession.session.id;
  await gql(reg.registerAssociation.token, `mutation($s: ID!, $a: ID!) { registerForSession(sessionId: $s, associationId: $a) { status } }`, {
    s: sessionID,
    a: id,
  });

  const adminPage = await admin(browser);
  const coord = await coordinator(browser, adminPage, 'Geneva', `Coordinator of Geneva ${run}`);
  await coord.goto(`/dialogues/${sessionID}`);
  const form = coord.getByRole('form', { name: 'Write to the associations' });
  await form.getByRole('button', { name: 'Send the message' }).click();
  await expect(form.getByText('A subject of 3 to 200 characters.').first()).toBeVisible();
  await form.getByLabel('Subject').fill(`Programme ${run}`);
  await form.getByLabel('Message').fill('Please bring your questions on cooperative investment for the speakers.');
  await form.getByRole('button', { name: 'Send the message' }).click();
  await expect(coord.getByText('Message sent to 1 association.')).toBeVisible();
  await screenshot(coord, 'mail-02-write-to-associations');

  await adminPage.goto('/admin');
  const box = adminPage.getByRole('region', { name: 'Mailbox' });
  const message = box.getByTestId('mail').filter({ hasText: `Programme ${run}` });
  await expect(async () => {
    await box.getByRole('button', { name: 'Refresh the mailbox' }).click();
    await expect(message.getByText('Sent', { exact: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await message.getByText(`Programme ${run}`).click();
  await expect(message.getByText('los coordinadores de Geneva le escriben', { exact: false })).toBeVisible();
});
