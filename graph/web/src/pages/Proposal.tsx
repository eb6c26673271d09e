// A project proposal: its owner drafts, submits or withdraws it; coordinators and admins
// review it, ask for changes and record partners' pledges; admins decide. Reviews show to
// reviewers only; scores to the owner once decided; pledges to everyone once approved.
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { ReasonAction } from '../components/actions';
import { Facts, Loading, Localized, MoneyText, NotFound, Page, QueryFailure, StatusBadge } from '../components/display';
import { Form, Notice, ProblemSummary, Radios, SelectField, TextArea, TextField } from '../components/form';
import { AsOfBanner, History } from '../components/History';
import { useCountryOptions } from '../components/pickers';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { pickText } from '../i18n/locale';
import { useAction } from '../lib/action';
import { parseDecimal, scaleOf } from '../lib/decimal';
import { criteria, partnerKinds } from '../lib/enums';
import { countryName, formatInstant, formatNumber } from '../lib/format';
import { useLatest } from '../lib/latest';
import { forField, type Problem } from '../lib/problems';
import { ProposalDetail, type ProposalData } from '../lib/proposals';
import { isAdmin, useViewer } from '../platform';
import { Pledged } from './Calls';

const ProposalQuery = graphql(
  `
    query Proposal($id: ID!, $asOf: DateTime) {
      proposal(id: $id, asOf: $asOf) {
        ...ProposalDetail
      }
    }
  `,
  [ProposalDetail],
);

const ProposalLive = graphql(
  `
    subscription ProposalLive($id: ID!) {
      proposalChanged(id: $id) {
        ...ProposalDetail
      }
    }
  `,
  [ProposalDetail],
);

const Submit = graphql(
  `
    mutation SubmitProposal($proposalId: ID!, $idempotencyKey: String) {
      submitProposal(proposalId: $proposalId, idempotencyKey: $idempotencyKey) {
        proposal {
          ...ProposalDetail
        }
      }
    }
  `,
  [ProposalDetail],
);
const Withdraw = graphql(
  `
    mutation WithdrawProposal($proposalId: ID!, $reason: String, $idempotencyKey: String) {
      withdrawProposal(proposalId: $proposalId, reason: $reason, idempotencyKey: $idempotencyKey) {
        proposal {
          ...ProposalDetail
        }
      }
    }
  `,
  [ProposalDetail],
);
const StartReview = graphql(
  `
    mutation StartReview($proposalId: ID!, $idempotencyKey: String) {
      startReview(proposalId: $proposalId, idempotencyKey: $idempotencyKey) {
        proposal {
          ...ProposalDetail
        }
      }
    }
  `,
  [ProposalDetail],
);
const Review = graphql(
  `
    mutation ReviewProposal($proposalId: ID!, $scores: [CriterionScoreInput!]!, $comment: String!, $idempotencyKey: String) {
      reviewProposal(proposalId: $proposalId, scores: $scores, comment: $comment, idempotencyKey: $idempotencyKey) {
        proposal {
          ...ProposalDetail
        }
      }
    }
  `,
  [ProposalDetail],
);
const DeclareConflict = graphql(
  `
    mutation DeclareConflict($proposalId: ID!, $reason: String!, $idempotencyKey: String) {
      declareConflictOfInterest(proposalId: $proposalId, reason: $reason, idempotencyKey: $idempotencyKey) {
        proposal {
          ...ProposalDetail
        }
      }
    }
  `,
  [ProposalDetail],
);

const RequestChanges = graphql(
  `
    mutation RequestChanges($proposalId: ID!, $reason: String!, $idempotencyKey: String) {
      requestChanges(proposalId: $proposalId, reason: $reason, idempotencyKey: $idempotencyKey) {
        proposal {
          ...ProposalDetail
        }
      }
    }
  `,
  [ProposalDetail],
);
const Decide = graphql(
  `
    mutation DecideProposal($proposalId: ID!, $decision: ProposalDecision!, $reason: String!, $idempotencyKey: String) {
      decideProposal(proposalId: $proposalId, decision: $decision, reason: $reason, idempotencyKey: $idempotencyKey) {
        proposal {
          ...ProposalDetail
        }
      }
    }
  `,
  [ProposalDetail],
);
const Pledge = graphql(
  `
    mutation PledgeSupport($proposalId: ID!, $input: PledgeInput!, $idempotencyKey: String) {
      pledgeSupport(proposalId: $proposalId, input: $input, idempotencyKey: $idempotencyKey) {
        proposal {
          ...ProposalDetail
        }
      }
    }
  `,
  [ProposalDetail],
);

export function ProposalPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const asOf = params.get('asOf');
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: ProposalQuery, variables: { id, asOf } });
  const [live] = useSubscription({ query: ProposalLive, variables: { id }, pause: !!asOf });
  const latest = useLatest(data?.proposal, live.data?.proposalChanged);
  const p = asOf ? data?.proposal : latest;
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  if (!p) return <NotFound />;
  const own = !!p.association && viewer?.association?.id === p.association.id;
  const reviewer = viewer?.role === 'COORDINATOR' || viewer?.role === 'ADMIN';
  return (
    <Page title={pickText(p.title, locale)?.text ?? ''} actions={<StatusBadge status={p.status} />}>
      {asOf ? <AsOfBanner asOf={asOf} /> : null}
      <Localized text={p.summary} as="div" className="description" />
      <Facts
        rows={[
          [t('proposal.association'), p.association ? <Link to={`/associations/${p.association.id}`}>{p.association.name}</Link> : null],
          [
            t('proposal.call'),
            p.call ? (
              <Link to={`/calls/${p.call.id}`}>
                <Localized text={p.call.title} />
              </Link>
            ) : null,
          ],
          [t('field.sector'), p.sector ? t(`sector.${p.sector}`) : null],
          [t('field.countries'), p.countries.map((c) => countryName(locale, c)).join(', ')],
          [t('field.budget'), <MoneyText money={p.budget} />],
          [t('field.durationMonths'), p.durationMonths != null ? t('proposal.months', { count: p.durationMonths }) : null],
          [t('field.partnerKinds'), p.partnerKinds.map((k) => t(`stakeholder.${k}`)).join(', ')],
          [
            t('proposal.session'),
            p.session ? (
              <Link to={`/dialogues/${p.session.id}`}>
                <Localized text={p.session.title} />
              </Link>
            ) : null,
          ],
          [t('field.statusReason'), p.statusReason],
          [t('proposal.drafted'), formatInstant(locale, p.draftedAt)],
          [t('proposal.submitted'), p.submittedAt ? formatInstant(locale, p.submittedAt) : null],
          [t('proposal.decided'), p.decidedAt ? formatInstant(locale, p.decidedAt) : null],
        ]}
      />
      {p.budgetLines.length ? (
        <table>
          <caption>{t('field.budgetLines')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('proposalForm.lineLabel')}</th>
              <th scope="col" className="num">
                {t('proposalForm.lineAmount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.budgetLines.map((l, i) => (
              <tr key={i}>
                <th scope="row">{l.label}</th>
                <td className="num">
                  <MoneyText money={l.amount} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {p.averageScores ? (
        <section aria-labelledby="scores-title">
          <h2 id="scores-title">{t('proposal.averageScores')}</h2>
          <Facts rows={p.averageScores.map((s) => [t(`criterion.${s.criterion}`), formatNumber(locale, Math.round(s.score * 10) / 10)])} />
        </section>
      ) : null}
      {p.reviews ? <Reviews p={p} /> : null}
      {p.pledges ? (
        <section aria-labelledby="pledges-title">
          <h2 id="pledges-title">{t('pledges.title')}</h2>
          <Pledged totals={p.pledgedTotals} />
          <ul>
            {p.pledges.map((x) => (
              <li key={x.id}>
                {x.partner.name} ({t(`stakeholder.${x.partner.kind}`)}, {countryName(locale, x.partner.country)}) —{' '}
                {x.money ? <MoneyText money={x.money} /> : x.inKind}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {p.conflicts && p.conflicts.length > 0 ? <Conflicts conflicts={p.conflicts} /> : null}
      {!asOf && own ? <OwnerActions p={p} /> : null}
      {!asOf && reviewer ? <ReviewerActions p={p} admin={isAdmin(viewer)} /> : null}
      <History id={p.id} timeTravel watch={p} />
    </Page>
  );
}

function Reviews({ p }: { p: ProposalData }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <section aria-labelledby="reviews-title">
      <h2 id="reviews-title">{t('reviews.title')}</h2>
      {p.reviewsHidden ? (
        <p className="hint" data-testid="reviews-hidden">
          {t('reviews.hidden')}
        </p>
      ) : p.reviews?.length === 0 ? (
        <p className="empty">{t('reviews.none')}</p>
      ) : null}
      <ul>
        {p.reviews?.map((r) => (
          <li key={r.reviewerId}>
            <p>
              <strong>{t(`role.${r.reviewerRole.toUpperCase()}` as 'role.ADMIN')}</strong> · {formatInstant(locale, r.reviewedAt)}
              {r.revisions > 0 ? ` · ${t('reviews.revised', { count: r.revisions })}` : ''}
            </p>
            <p>{r.scores.map((s) => `${t(`criterion.${s.criterion}`)} ${s.score}`).join(' · ')}</p>
            <p>{r.comment}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Conflicts lists the declared conflicts of interest, for admins. */
function Conflicts({ conflicts }: { conflicts: readonly { reviewerRole: string; reason: string; declaredAt: string }[] }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <section aria-labelledby="conflicts-title">
      <h2 id="conflicts-title">{t('proposal.conflicts')}</h2>
      <ul>
        {conflicts.map((c, i) => (
          <li key={i}>
            <strong>{t(`role.${c.reviewerRole.toUpperCase()}` as 'role.ADMIN')}</strong> · {formatInstant(locale, c.declaredAt)}: {c.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}

function OwnerActions({ p }: { p: ProposalData }) {
  const t = useT();
  const submit = useAction(Submit);
  const withdraw = useAction(Withdraw);
  const [done, setDone] = useState('');
  const editable = p.status === 'DRAFT' || p.status === 'CHANGES_REQUESTED';
  const decided = p.status === 'APPROVED' || p.status === 'REJECTED' || p.status === 'WITHDRAWN';
  return (
    <section aria-labelledby="owner-title" className="actions-panel">
      <h2 id="owner-title">{t('proposal.yours')}</h2>
      {done ? <Notice>{done}</Notice> : null}
      <ProblemSummary problems={submit.problems} />
      <div className="action-row">
        {editable ? (
          <>
            <Link className="button" to={`/proposals/${p.id}/edit`}>
              {t('proposal.edit')}
            </Link>
            <button
              type="button"
              className="primary"
              disabled={submit.busy}
              onClick={async () => {
                const { data } = await submit.run({ proposalId: p.id });
                if (data) setDone(t('proposal.submittedNotice'));
              }}
            >
              {t('proposal.submit')}
            </button>
          </>
        ) : null}
        {!decided ? (
          <ReasonAction
            name="withdrawReason"
            label={t('proposal.withdraw')}
            confirmLabel={t('proposal.withdrawConfirm')}
            reasonLabel={t('proposal.withdrawReason')}
            optional
            danger
            busy={withdraw.busy}
            problems={withdraw.problems}
            onConfirm={async (reason) => {
              const { data } = await withdraw.run({ proposalId: p.id, reason: reason || null });
              if (data) setDone(t('proposal.withdrawn'));
              return !!data;
            }}
          />
        ) : null}
      </div>
    </section>
  );
}

function ReviewerActions({ p, admin }: { p: ProposalData; admin: boolean }) {
  const t = useT();
  const start = useAction(StartReview);
  const review = useAction(Review);
  const changes = useAction(RequestChanges);
  const decide = useAction(Decide);
  const pledge = useAction(Pledge);
  const countries = useCountryOptions();
  const [done, setDone] = useState('');
  const [scores, setScores] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [decision, setDecision] = useState('');
  const [decisionReason, setDecisionReason] = useState('');
  const [partner, setPartner] = useState({ name: '', kind: '', country: '' });
  const [kind, setKind] = useState<'money' | 'inKind'>('money');
  const [amount, setAmount] = useState({ amount: '', currency: p.call?.budgetCeiling.currency ?? 'EUR' });
  const [inKind, setInKind] = useState('');
  const declare = useAction(DeclareConflict);
  const conflicted = p.viewerHasConflict;
  // Someone who declared a conflict of interest neither reviews nor decides.
  const underReview = p.status === 'UNDER_REVIEW' && !conflicted;
  const reviewed = (p.reviews?.length ?? 0) > 0;
  const undecided = ['DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'CHANGES_REQUESTED'].includes(p.status);
  return (
    <section aria-labelledby="review-title" className="actions-panel">
      <h2 id="review-title">{t('proposal.review')}</h2>
      {done ? <Notice>{done}</Notice> : null}
      {conflicted ? <Notice kind="info">{t('proposal.conflicted')}</Notice> : null}
      {undecided && !conflicted ? (
        <ReasonAction
          name="conflictReason"
          label={t('proposal.declareConflict')}
          confirmLabel={t('proposal.declareConflictConfirm')}
          reasonLabel={t('proposal.declareConflictReason')}
          hint={t('proposal.declareConflictHint')}
          busy={declare.busy}
          problems={declare.problems}
          onConfirm={async (reason) => {
            const { data } = await declare.run({ proposalId: p.id, reason });
            if (data) setDone(t('proposal.conflictDeclared'));
            return !!data;
          }}
        />
      ) : null}
      <ProblemSummary problems={start.problems} />
      {p.status === 'SUBMITTED' ? (
        <button
          type="button"
          className="primary"
          disabled={start.busy}
          onClick={async () => {
            const { data } = await start.run({ proposalId: p.id });
            if (data) setDone(t('proposal.reviewStarted'));
          }}
        >
          {t('proposal.startReview')}
        </button>
      ) : null}
      {underReview ? (
        <>
          <h3>{t('proposal.scoreIt')}</h3>
          <Form
            label={t('proposal.scoreIt')}
            onSubmit={async () => {
              const list = criteria.map((c) => ({ criterion: c, score: Number(scores[c] ?? '') }));
              const problems: Problem[] = list
                .filter((s) => !(s.score >= 1 && s.score <= 5))
                .map((s) => ({ field: `scores.${s.criterion}`, message: t('rule.scores') }));
              if (comment.trim() === '') problems.push({ field: 'comment', message: t('rule.comment') });
              review.setProblems(problems);
              if (problems.length) return;
              const { data } = await review.run({ proposalId: p.id, scores: list, comment: comment.trim() });
              if (data) setDone(t('proposal.reviewed'));
            }}
            problems={review.problems}
            submitLabel={t('proposal.reviewSubmit')}
            busy={review.busy}
          >
            {criteria.map((c) => (
              <Radios
                key={c}
                name={`scores.${c}`}
                label={t(`criterion.${c}`)}
                value={scores[c] ?? ''}
                onChange={(v) => setScores({ ...scores, [c]: v })}
                options={['1', '2', '3', '4', '5'].map((n) => ({ value: n, label: n }))}
                inline
                error={forField(review.problems, `scores.${c}`)}
              />
            ))}
            <TextArea
              name="comment"
              label={t('proposal.comment')}
              value={comment}
              onChange={setComment}
              required
              error={forField(review.problems, 'comment')}
            />
          </Form>
          <ReasonAction
            name="changesReason"
            label={t('proposal.requestChanges')}
            confirmLabel={t('proposal.requestChangesConfirm')}
            reasonLabel={t('proposal.requestChangesReason')}
            busy={changes.busy}
            problems={changes.problems}
            onConfirm={async (reason) => {
              const { data } = await changes.run({ proposalId: p.id, reason });
              if (data) setDone(t('proposal.changesRequested'));
              return !!data;
            }}
          />
          {admin && !conflicted ? (
            <>
              <h3>{t('proposal.decide')}</h3>
              {!reviewed ? <p className="hint">{t('proposal.decideNeedsReview')}</p> : null}
              <Form
                label={t('proposal.decide')}
                onSubmit={async () => {
                  const problems: Problem[] = [];
                  if (decision === '') problems.push({ field: 'decision', message: t('rule.decision') });
                  if (decisionReason.trim().length < 3) problems.push({ field: 'reason', message: t('rule.reason') });
                  decide.setProblems(problems);
                  if (problems.length) return;
                  const { data } = await decide.run({
                    proposalId: p.id,
                    decision: decision as 'APPROVED' | 'REJECTED',
                    reason: decisionReason.trim(),
                  });
                  if (data) setDone(t(decision === 'APPROVED' ? 'proposal.approvedNotice' : 'proposal.rejectedNotice'));
                }}
                problems={decide.problems}
                submitLabel={t('proposal.decideSubmit')}
                busy={decide.busy}
              >
                <Radios
                  name="decision"
                  label={t('proposal.decision')}
                  value={decision}
                  onChange={setDecision}
                  options={[
                    { value: 'APPROVED', label: t('status.APPROVED') },
                    { value: 'REJECTED', label: t('status.REJECTED') },
                  ]}
                  inline
                  error={forField(decide.problems, 'decision')}
                />
                <TextArea
                  name="reason"
                  label={t('proposal.decisionReason')}
                  value={decisionReason}
                  onChange={setDecisionReason}
                  required
                  error={forField(decide.problems, 'reason')}
                />
              </Form>
            </>
          ) : null}
        </>
      ) : null}
      {underReview || p.status === 'APPROVED' ? (
        <>
          <h3>{t('pledges.record')}</h3>
          <Form
            label={t('pledges.record')}
            onSubmit={async () => {
              const problems: Problem[] = [];
              if (partner.name.trim() === '') problems.push({ field: 'partner.name', message: t('rule.partner.name') });
              if (partner.kind === '') problems.push({ field: 'partner.kind', message: t('rule.partner.kind') });
              if (partner.country === '') problems.push({ field: 'partner.country', message: t('rule.partner.country') });
              if (kind === 'money') {
                const v = parseDecimal(amount.amount, Math.max(scaleOf(amount.amount), 0));
                if (v === null || v <= 0n) problems.push({ field: 'money.amount', message: t('rule.money.amount') });
              } else if (inKind.trim() === '') {
                problems.push({ field: 'inKind', message: t('rule.inKind') });
              }
              pledge.setProblems(problems);
              if (problems.length) return;
              const { data } = await pledge.run({
                proposalId: p.id,
                input: {
                  partner: { name: partner.name.trim(), kind: partner.kind as (typeof partnerKinds)[number], country: partner.country },
                  ...(kind === 'money'
                    ? { money: { amount: amount.amount.trim().replace(',', '.'), currency: amount.currency.trim().toUpperCase() } }
                    : { inKind: inKind.trim() }),
                },
              });
              if (data) {
                setDone(t('pledges.recorded'));
                setPartner({ name: '', kind: '', country: '' });
                setAmount({ ...amount, amount: '' });
                setInKind('');
              }
            }}
            problems={pledge.problems}
            submitLabel={t('pledges.submit')}
            busy={pledge.busy}
          >
            <TextField
              name="partner.name"
              label={t('pledges.partner')}
              value={partner.name}
              onChange={(v) => setPartner({ ...partner, name: v })}
              required
              error={forField(pledge.problems, 'partner.name')}
            />
            <SelectField
              name="partner.kind"
              label={t('pledges.partnerKind')}
              value={partner.kind}
              onChange={(v) => setPartner({ ...partner, kind: v })}
              required
              placeholder={t('form.choose')}
              options={partnerKinds.map((k) => ({ value: k, label: t(`stakeholder.${k}`) }))}
              error={forField(pledge.problems, 'partner.kind')}
            />
            <SelectField
              name="partner.country"
              label={t('pledges.partnerCountry')}
              value={partner.country}
              onChange={(v) => setPartner({ ...partner, country: v })}
              required
              placeholder={t('form.choose')}
              options={countries}
              error={forField(pledge.problems, 'partner.country')}
            />
            <Radios
              name="pledgeKind"
              label={t('pledges.kind')}
              value={kind}
              onChange={(v) => setKind(v as 'money' | 'inKind')}
              options={[
                { value: 'money', label: t('pledges.money') },
                { value: 'inKind', label: t('pledges.inKind') },
              ]}
              inline
            />
            {kind === 'money' ? (
              <div className="row">
                <TextField
                  name="money.amount"
                  inputMode="decimal"
                  label={t('pledges.amount')}
                  value={amount.amount}
                  onChange={(v) => setAmount({ ...amount, amount: v })}
                  required
                  width="medium"
                  error={forField(pledge.problems, 'money.amount')}
                />
                <TextField
                  name="money.currency"
                  label={t('pledges.currency')}
                  hint={t('pledges.currencyHint')}
                  value={amount.currency}
                  onChange={(v) => setAmount({ ...amount, currency: v })}
                  required
                  width="short"
                  maxLength={3}
                  error={forField(pledge.problems, 'money.currency')}
                />
              </div>
            ) : (
              <TextArea
                name="inKind"
                label={t('pledges.inKindWhat')}
                hint={t('pledges.inKindHint')}
                value={inKind}
                onChange={setInKind}
                required
                error={forField(pledge.problems, 'inKind')}
              />
            )}
          </Form>
        </>
      ) : null}
      {!underReview && p.status !== 'SUBMITTED' && p.status !== 'APPROVED' ? <p>{t('proposal.nothingToReview')}</p> : null}
    </section>
  );
}
