// The mail the platform writes, as an admin reads it: an association registered in
// French with a contact person is verified, and the admin's mailbox shows the message
// it was sent, in French — without the contact's address, which only the message itself
// carries.
import { accessible, admin, adminToken, expect, gql, run, screenshot, test } from './helpers';

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
