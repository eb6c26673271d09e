// A call for proposals from opening to pledges: an admin opens it, a verified
// association drafts a proposal whose budget lines must add up, submits it, a coordinator
// reviews it, the admin approves it, partners' pledges are recorded in two currencies,
// and the public sees the totals per currency — never added across them.
import { accessible, admin, coordinator, expect, localInput, newUser, run, screenshot, signIn, test, verifiedAssociation } from './helpers';

test('a call, a proposal whose budget adds up, a review, a decision, pledges in two currencies', async ({ browser }) => {
  const assoc = await verifiedAssociation(`Ghana Nurses and Midwives ${run}`, 'london', ['GH']);
  const adminPage = await admin(browser);

  // The admin opens a call.
  const callTitle = `Diaspora health partnerships ${run}`;
  await adminPage.goto('/admin');
  const form = adminPage.getByRole('form', { name: 'Open a call for proposals' });
  await form.getByRole('group', { name: 'Title' }).getByLabel('In English').fill(callTitle);
  await form
    .getByRole('group', { name: 'Description' })
    .getByLabel('In English')
    .fill('Hospitals of countries of origin and diaspora health professionals.');
  await form.getByRole('checkbox', { name: 'Health' }).check();
  await form.getByRole('combobox', { name: 'Eligible countries' }).selectOption({ label: 'Ghana' });
  await form.getByRole('combobox', { name: 'Eligible countries' }).selectOption({ label: 'Senegal' });
  await form.getByLabel('Most a proposal may ask').fill('50000');
  await form.getByLabel('Opens').fill(localInput(new Date(Date.now() - 3600_000)));
  await form.getByLabel('Closes').fill(localInput(new Date(Date.now() + 30 * 24 * 3600_000)));
  await form.getByRole('button', { name: 'Open the call' }).click();
  await expect(adminPage.getByText('The call is open.')).toBeVisible();

  // The association finds it and drafts a proposal; its budget lines must add up.
  const { page } = await newUser(browser);
  await signIn(page, assoc.key);
  await page.goto('/calls');
  await page.getByRole('link', { name: callTitle }).click();
  await page.getByRole('link', { name: 'Draft a proposal' }).click();
  const title = `Tele-medicine with Tamale Teaching Hospital ${run}`;
  await page.getByRole('group', { name: 'Title of the project' }).getByLabel('In English').fill(title);
  await page.getByRole('group', { name: 'Summary' }).getByLabel('In English').fill('Remote consultations and training, with two placements a year.');
  await page.getByRole('combobox', { name: 'Sector' }).selectOption({ label: 'Health' });
  await page.getByRole('checkbox', { name: 'Ghana' }).check();
  await page.getByLabel('Budget requested (EUR)').fill('30000');
  await page.getByLabel('Duration in months').fill('18');
  await page.getByLabel('Line', { exact: true }).fill('Video equipment');
  await page.getByLabel('Amount', { exact: true }).fill('20000');
  await page.getByRole('button', { name: 'Add a line' }).click();
  await page.getByLabel('Line', { exact: true }).nth(1).fill('Training and placements');
  await page.getByLabel('Amount', { exact: true }).nth(1).fill('5000');
  await expect(page.getByTestId('lines-total')).toHaveText('The lines add up to €25,000.00, not to the budget of €30,000.00.');
  await page.getByRole('button', { name: 'Save the draft' }).click();
  await expect(page.getByRole('alert')).toContainText('The budget lines add up to €25,000.00, not to the budget of €30,000.00.');
  await screenshot(page, 'proposal-01-lines-do-not-add-up');
  await page.getByLabel('Amount', { exact: true }).nth(1).fill('10000');
  await expect(page.getByTestId('lines-total')).toHaveText('The lines add up to the budget: €30,000.00.');
  await page.getByRole('button', { name: 'Save the draft' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();
  await accessible(page, 'a draft proposal, for its owner');
  // The owner edits the draft before submitting it.
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Duration in months').fill('24');
  await page.getByRole('checkbox', { name: 'University' }).check();
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await expect(page.getByText('The proposal is saved.')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the proposal' }).click();
  await expect(page.getByText('24 months')).toBeVisible();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByText('The proposal is submitted for review.')).toBeVisible();
  await expect(page.getByText('Submitted', { exact: true }).first()).toBeVisible();
  const proposalPath = new URL(page.url()).pathname;

  // A coordinator reviews it.
  const coord = await coordinator(browser, adminPage, 'London', `Amma Owusu ${run}`);
  await coord.goto(proposalPath);
  await coord.getByRole('button', { name: 'Take it up for review' }).click();
  await expect(coord.getByText('The proposal is under review.')).toBeVisible();
  for (const [criterion, score] of [
    ['Relevance', '5'],
    ['Feasibility', '4'],
    ['Development impact', '5'],
    ['Partnership', '4'],
  ]) {
    await coord.getByRole('group', { name: criterion! }).getByLabel(score!, { exact: true }).check();
  }
  await coord.getByLabel('Comment').fill('A committed hospital; the placements need an insurance line.');
  await coord.getByRole('button', { name: 'Save the review' }).click();
  await expect(coord.getByText('Your review is saved; reviewing again revises it.')).toBeVisible();
  await screenshot(coord, 'proposal-02-reviewed');

  // The admin approves it.
  await adminPage.goto(proposalPath);
  await adminPage.getByRole('group', { name: 'Decision' }).getByLabel('Approved').check();
  await adminPage.getByLabel('Why').fill('Strong on every criterion, partners engaged.');
  await adminPage.getByRole('button', { name: 'Record the decision' }).click();
  await expect(adminPage.getByText('The proposal is approved.')).toBeVisible();

  // Pledges in two currencies, and one in kind.
  const pledge = async (partner: string, kind: string, country: string, amount: string | null, currency: string | null, inKind?: string) => {
    const f = coord.getByRole('form', { name: 'Record a pledge' });
    await f.getByLabel('Partner', { exact: true }).fill(partner);
    await f.getByLabel('Kind of partner').selectOption({ label: kind });
    await f.getByLabel('Partner’s country').selectOption({ label: country });
    if (inKind) {
      await f.getByLabel('Support in kind').check();
      await f.getByLabel('What', { exact: true }).fill(inKind);
    } else {
      await f.getByLabel('Amount').fill(amount!);
      await f.getByLabel('Currency').fill(currency!);
    }
    await f.getByRole('button', { name: 'Record the pledge' }).click();
    await expect(coord.getByText('The pledge is recorded.')).toBeVisible();
  };
  await coord.reload();
  await pledge('MTN Ghana Foundation', 'Private sector', 'Ghana', '15000', 'EUR');
  await coord.reload();
  await pledge('La Poste du Sénégal', 'Government', 'Senegal', '2000000', 'XOF');
  await coord.reload();
  await pledge('Ghana Health Service', 'Government', 'Ghana', null, null, 'Two nurse tutors seconded for a year');

  // The public sees the approved project with its totals, one per currency.
  const visitor = await newUser(browser);
  await visitor.page.goto('/calls');
  const card = visitor.page.getByRole('listitem').filter({ has: visitor.page.getByRole('link', { name: title }) });
  await expect(card).toContainText('€15,000.00');
  await expect(card).toContainText('2,000,000');
  await expect(card).not.toContainText('2,015,000');
  await screenshot(visitor.page, 'proposal-03-public-totals');
  await accessible(visitor.page, 'the calls and approved projects');
  await visitor.page.getByRole('link', { name: title }).click();
  await expect(visitor.page.getByText('Two nurse tutors seconded for a year')).toBeVisible();
  await expect(visitor.page.getByRole('heading', { name: 'Reviews' })).toHaveCount(0); // reviews are for reviewers

  // Its owner now sees the average scores.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Average scores' })).toBeVisible();
});
