// A call's decision meeting: an admin opens a call with an envelope, the proposals under
// review are ranked by their reviews' average with each criterion's spread, and the
// admin records the decisions together — refused whole when the approvals do not fit in
// the envelope, recorded whole when they do.
import { accessible, admin, adminToken, coordinator, expect, gql, localInput, run, screenshot, test, verifiedAssociation } from './helpers';

const content = (callId: string, associationId: string, title: string) => ({
  callId,
  associationId,
  title: { en: title },
  summary: { en: 'Remote consultations and training with a teaching hospital.' },
  sector: 'HEALTH',
  countries: ['GH'],
  budget: '48000',
  durationMonths: 18,
  budgetLines: [
    { label: 'Equipment', amount: '30000' },
    { label: 'Training', amount: '18000' },
  ],
});

test('a decision meeting ranks the proposals and keeps the approvals within the envelope', async ({ browser }) => {
  const adminPage = await admin(browser);
  // The admin opens a call of 100,000 EUR in all.
  const callTitle = `Health partnerships with an envelope ${run}`;
  await adminPage.goto('/admin');
  const form = adminPage.getByRole('form', { name: 'Open a call for proposals' });
  await form.getByRole('group', { name: 'Title' }).getByLabel('In English').fill(callTitle);
  await form.getByRole('group', { name: 'Description' }).getByLabel('In English').fill('Diaspora health professionals and hospitals at home.');
  await form.getByRole('checkbox', { name: 'Health' }).check();
  await form.getByRole('combobox', { name: 'Eligible countries' }).selectOption({ label: 'Ghana' });
  await form.getByLabel('Most a proposal may ask').fill('50000');
  await form.getByLabel('Envelope: all the call may grant, in the ceiling’s currency').fill('100000');
  await form.getByLabel('Opens').fill(localInput(new Date(Date.now() - 3600_000)));
  await form.getByLabel('Closes').fill(localInput(new Date(Date.now() + 30 * 24 * 3600_000)));
  await form.getByRole('button', { name: 'Open the call' }).click();
  await expect(adminPage.getByText('The call is open.')).toBeVisible();

  // Three proposals of 48,000 EUR, reviewed (through the API: this test is about the
  // meeting): strong, weaker, and in between.
  const admin_ = adminToken();
  const calls = await gql<{ calls: { edges: { node: { id: string; title: { en: string } } }[] } }>(
    admin_,
    `{ calls(first: 100) { edges { node { id title { en } } } } }`,
  );
  const callId = calls.calls.edges.find((e) => e.node.title.en === callTitle)!.node.id;
  const reviewer = await gql<{ appointCoordinator: { token: string } }>(
    admin_,
    `mutation($n: String!) { appointCoordinator(city: "london", name: $n) { token } }`,
    { n: `Reviewer ${run}` },
  );
  const scores = (s: number[]) =>
    ['RELEVANCE', 'FEASIBILITY', 'DEVELOPMENT_IMPACT', 'PARTNERSHIP'].map((criterion, i) => ({ criterion, score: s[i] }));
  const titles: Record<string, number[]> = {
    [`Tele-medicine with Tamale ${run}`]: [5, 5, 4, 4],
    [`Midwives' exchange with Kumasi ${run}`]: [3, 2, 3, 2],
    [`Pharmacy supply chain in Accra ${run}`]: [4, 4, 4, 3],
  };
  for (const [title, s] of Object.entries(titles)) {
    const assoc = await verifiedAssociation(`Ghanaian health professionals ${title}`, 'london', ['GH']);
    const drafted = await gql<{ draftProposal: { proposal: { id: string } } }>(
      assoc.key,
      `mutation($in: DraftProposalInput!) { draftProposal(input: $in) { proposal { id } } }`,
      { in: content(callId, assoc.id, title) },
    );
    const id = drafted.draftProposal.proposal.id;
    await gql(assoc.key, `mutation($p: ID!) { submitProposal(proposalId: $p) { proposal { status } } }`, { p: id });
    await gql(reviewer.appointCoordinator.token, `mutation($p: ID!) { startReview(proposalId: $p) { proposal { status } } }`, { p: id });
    await gql(
      reviewer.appointCoordinator.token,
      `mutation($p: ID!, $s: [CriterionScoreInput!]!) { reviewProposal(proposalId: $p, scores: $s, comment: "Reviewed.") { proposal { status } } }`,
      { p: id, s: scores(s) },
    );
  }

  // The meeting, on the call's page: the best first, the envelope beside.
  await adminPage.goto('/calls');
  await adminPage.getByRole('link', { name: callTitle }).click();
  const meeting = adminPage.getByRole('region', { name: 'Decision meeting' });
  const rows = meeting.getByRole('row');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText(`Tele-medicine with Tamale ${run}`);
  await expect(rows.nth(1)).toContainText('4.5');
  await expect(rows.nth(2)).toContainText(`Pharmacy supply chain in Accra ${run}`);
  await expect(rows.nth(3)).toContainText(`Midwives' exchange with Kumasi ${run}`);
  await expect(meeting).toContainText('€100,000.00');
  await accessible(adminPage, 'a decision meeting');
  await screenshot(adminPage, 'decision-meeting-01-ranked');

  // Approving all three would commit 144,000 of 100,000: nothing is recorded, and why.
  for (const title of Object.keys(titles)) {
    await meeting.getByLabel(`Decision on ${title}`).selectOption({ label: 'Approve' });
  }
  for (const input of await meeting.getByPlaceholder('Reason').all()) await input.fill('Ranked by the meeting.');
  await meeting.getByRole('button', { name: 'Record the decisions' }).click();
  await expect(meeting.getByRole('alert')).toContainText(
    `Midwives' exchange with Kumasi ${run}: Approving it would commit €48,000.00, but only €4,000.00 remains of the call’s envelope: nothing was recorded`,
  );
  await screenshot(adminPage, 'decision-meeting-02-beyond-the-envelope');

  // The last one rejected instead: both approvals fit.
  await meeting.getByLabel(`Decision on Midwives' exchange with Kumasi ${run}`).selectOption({ label: 'Reject' });
  await meeting.getByRole('button', { name: 'Record the decisions' }).click();
  await expect(meeting.getByText('The 3 decisions are recorded.')).toBeVisible();
  await expect(meeting.getByText('Approved')).toHaveCount(2);
  await expect(meeting.getByText('Rejected')).toHaveCount(1);
  await expect(adminPage.getByText('€96,000.00').first()).toBeVisible();
  await expect(meeting).toContainText('€4,000.00');
  await screenshot(adminPage, 'decision-meeting-03-recorded');
});

test('a reviewer sees the other reviews once they have saved their own', async ({ browser }) => {
  const adminPage = await admin(browser);
  const admin_ = adminToken();
  const opened = await gql<{ openCall: { call: { id: string } } }>(admin_, `mutation($in: OpenCallInput!) { openCall(input: $in) { call { id } } }`, {
    in: {
      title: { en: `Skills circulation ${run}` },
      description: { en: 'Temporary and virtual return of diaspora professionals.' },
      themes: ['HEALTH'],
      eligibleCountries: ['GH'],
      budgetCeiling: { amount: '50000', currency: 'EUR' },
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
    },
  });
  const callId = opened.openCall.call.id;
  const assoc = await verifiedAssociation(`Ghanaian engineers abroad ${run}`, 'london', ['GH']);
  const drafted = await gql<{ draftProposal: { proposal: { id: string } } }>(
    assoc.key,
    `mutation($in: DraftProposalInput!) { draftProposal(input: $in) { proposal { id } } }`,
    { in: content(callId, assoc.id, `Virtual lectures with Kumasi ${run}`) },
  );
  const id = drafted.draftProposal.proposal.id;
  await gql(assoc.key, `mutation($p: ID!) { submitProposal(proposalId: $p) { proposal { status } } }`, { p: id });
  const first = await gql<{ appointCoordinator: { token: string } }>(
    admin_,
    `mutation($n: String!) { appointCoordinator(city: "london", name: $n) { token } }`,
    {
      n: `First reviewer ${run}`,
    },
  );
  await gql(first.appointCoordinator.token, `mutation($p: ID!) { startReview(proposalId: $p) { proposal { status } } }`, { p: id });
  await gql(
    first.appointCoordinator.token,
    `mutation($p: ID!) { reviewProposal(proposalId: $p, scores: [{criterion: RELEVANCE, score: 2}, {criterion: FEASIBILITY, score: 2}, {criterion: DEVELOPMENT_IMPACT, score: 2}, {criterion: PARTNERSHIP, score: 2}], comment: "Too vague on the lecturers.") { proposal { status } } }`,
    { p: id },
  );

  // A second reviewer, on the proposal's page: the first review is not shown yet.
  const coord = await coordinator(browser, adminPage, 'London', `Second reviewer ${run}`);
  await coord.goto(`/proposals/${id}`);
  await expect(coord.getByTestId('reviews-hidden')).toHaveText(
    'The other reviewers’ reviews are shown once you have saved yours, so that no score sways it.',
  );
  await expect(coord.getByText('Too vague on the lecturers.')).toHaveCount(0);
  await expect(coord.getByRole('heading', { name: 'Average scores' })).toHaveCount(0);
  for (const criterion of ['Relevance', 'Feasibility', 'Development impact', 'Partnership']) {
    await coord.getByRole('group', { name: criterion }).getByLabel('4', { exact: true }).check();
  }
  await coord.getByLabel('Comment').fill('Lecturers named, a clear timetable.');
  await coord.getByRole('button', { name: 'Save the review' }).click();
  await expect(coord.getByText('Your review is saved; reviewing again revises it.')).toBeVisible();
  // Saved: both reviews, and the averages.
  await expect(coord.getByText('Too vague on the lecturers.')).toBeVisible();
  await expect(coord.getByTestId('reviews-hidden')).toHaveCount(0);
  await expect(coord.getByRole('heading', { name: 'Average scores' })).toBeVisible();
});

test('a reviewer declares a conflict of interest, and no longer reviews', async ({ browser }) => {
  const adminPage = await admin(browser);
  const admin_ = adminToken();
  const opened = await gql<{ openCall: { call: { id: string } } }>(admin_, `mutation($in: OpenCallInput!) { openCall(input: $in) { call { id } } }`, {
    in: {
      title: { en: `Diaspora investment ${run}` },
      description: { en: 'Cooperatives and diaspora investment at home.' },
      themes: ['HEALTH'],
      eligibleCountries: ['GH'],
      budgetCeiling: { amount: '50000', currency: 'EUR' },
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
    },
  });
  const assoc = await verifiedAssociation(`Ghanaian cooperative of London ${run}`, 'london', ['GH']);
  const drafted = await gql<{ draftProposal: { proposal: { id: string } } }>(
    assoc.key,
    `mutation($in: DraftProposalInput!) { draftProposal(input: $in) { proposal { id } } }`,
    { in: content(opened.openCall.call.id, assoc.id, `Pineapple cooperative in Akuse ${run}`) },
  );
  const id = drafted.draftProposal.proposal.id;
  await gql(assoc.key, `mutation($p: ID!) { submitProposal(proposalId: $p) { proposal { status } } }`, { p: id });

  const coord = await coordinator(browser, adminPage, 'London', `Conflicted reviewer ${run}`);
  await coord.goto(`/proposals/${id}`);
  await coord.getByRole('button', { name: 'Take it up for review' }).click();
  await expect(coord.getByText('The proposal is under review.')).toBeVisible();
  await coord.getByRole('button', { name: 'Declare a conflict of interest…' }).click();
  await coord.getByLabel('What is the conflict?').fill('My brother manages the cooperative.');
  await coord.getByRole('button', { name: 'Declare the conflict' }).click();
  await expect(coord.getByText('The conflict of interest is recorded.')).toBeVisible();
  await expect(coord.getByText('You declared a conflict of interest with this proposal').first()).toBeVisible();
  await expect(coord.getByRole('button', { name: 'Save the review' })).toHaveCount(0);
  await accessible(coord, 'a reviewer with a conflict of interest');

  // The admin sees the declaration on the proposal.
  await adminPage.goto(`/proposals/${id}`);
  const conflicts = adminPage.getByRole('region', { name: 'Conflicts of interest' });
  await expect(conflicts).toContainText('My brother manages the cooperative.');
});
