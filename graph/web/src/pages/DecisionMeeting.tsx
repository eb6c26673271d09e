// The decision meeting of a call, for admins: its proposals under review or decided,
// ranked by their average score with each criterion's spread, the budget each requests
// beside what remains of the envelope, and the decisions recorded together — all of them,
// or none when one is refused (an approval beyond the envelope, say).
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { Empty, Localized, MoneyText, StatusBadge } from '../components/display';
import { Form, Notice } from '../components/form';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { useAction } from '../lib/action';
import type { Problem } from '../lib/problems';

const MeetingQuery = graphql(`
  query DecisionMeeting($id: ID!) {
    call(id: $id) {
      id
      remaining {
        amount
        currency
      }
      decisionMeeting {
        rank
        reviewCount
        averageScore
        budget {
          amount
          currency
        }
        criteria {
          criterion
          average
          lowest
          highest
        }
        proposal {
          id
          status
          title {
            en
            fr
            es
          }
          association {
            name
          }
        }
      }
    }
  }
`);

const DecideProposals = graphql(`
  mutation DecideProposals($callId: ID!, $decisions: [ProposalDecisionInput!]!, $idempotencyKey: String) {
    decideProposals(callId: $callId, decisions: $decisions, idempotencyKey: $idempotencyKey) {
      call {
        id
        committed {
          amount
          currency
        }
        remaining {
          amount
          currency
        }
      }
    }
  }
`);

type Choice = { decision: '' | 'APPROVED' | 'REJECTED'; reason: string };

export function DecisionMeeting({ callId }: { callId: string }) {
  const t = useT();
  const { locale } = useLocale();
  const [{ data }, refetch] = useQuery({ query: MeetingQuery, variables: { id: callId }, requestPolicy: 'cache-and-network' });
  const decide = useAction(DecideProposals);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [done, setDone] = useState('');
  const rows = data?.call?.decisionMeeting ?? [];
  const number = (n: number | null | undefined) =>
    n === null || n === undefined ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);
  const choose = (id: string, c: Partial<Choice>) => setChoices((all) => ({ ...all, [id]: { decision: '', reason: '', ...all[id], ...c } }));
  return (
    <section aria-labelledby="meeting-title">
      <h2 id="meeting-title">{t('meeting.title')}</h2>
      <p className="hint">{t('meeting.lead')}</p>
      {done ? <Notice>{done}</Notice> : null}
      <p>
        {t('call.remaining')}{' '}
        {(data?.call?.remaining ?? []).map((m, i) => (
          <span key={m.currency}>
            {i > 0 ? ' · ' : null}
            <MoneyText money={m} />
          </span>
        ))}
      </p>
      {rows.length === 0 ? (
        <Empty>{t('meeting.empty')}</Empty>
      ) : (
        <Form
          scope="meeting"
          label={t('meeting.title')}
          problems={decide.problems}
          submitLabel={t('meeting.record')}
          busy={decide.busy}
          onSubmit={async () => {
            const chosen = rows.filter((r) => choices[r.proposal.id]?.decision);
            const problems: Problem[] = [];
            if (chosen.length === 0) problems.push({ message: t('meeting.chooseOne') });
            if (chosen.some((r) => (choices[r.proposal.id]?.reason.trim().length ?? 0) < 3)) problems.push({ message: t('meeting.reasonNeeded') });
            decide.setProblems(problems);
            if (problems.length) return;
            const { data: decided, problems: refused } = await decide.run({
              callId,
              decisions: chosen.map((r) => {
                const c = choices[r.proposal.id]!;
                return { proposalId: r.proposal.id, decision: c.decision as 'APPROVED' | 'REJECTED', reason: c.reason.trim() };
              }),
            });
            // A refusal because of one proposal names it, so that the meeting knows which line to change.
            const named = refused.map((pr) => {
              const row = rows.find((r) => r.proposal.id === pr.details?.proposalId);
              const title = row ? row.proposal.title[locale] || row.proposal.title.en || row.proposal.title.fr || row.proposal.title.es : null;
              return title ? { ...pr, message: `${title}: ${pr.message}` } : pr;
            });
            if (named.length) decide.setProblems(named);
            if (decided) {
              setChoices({});
              setDone(t('meeting.recorded', { count: chosen.length }));
              refetch({ requestPolicy: 'network-only' });
            }
          }}
        >
          <table className="meeting">
            <caption className="visually-hidden">{t('meeting.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('meeting.rank')}</th>
                <th scope="col">{t('proposal.titleColumn')}</th>
                <th scope="col">{t('meeting.average')}</th>
                <th scope="col">{t('meeting.criteria')}</th>
                <th scope="col">{t('field.budget')}</th>
                <th scope="col">{t('meeting.decision')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const id = r.proposal.id;
                const c = choices[id];
                const open = r.proposal.status === 'UNDER_REVIEW';
                return (
                  <tr key={id}>
                    <td>{r.rank ?? t('meeting.unranked')}</td>
                    <th scope="row">
                      <Link to={`/proposals/${id}`}>
                        <Localized text={r.proposal.title} />
                      </Link>
                      <div className="meta">{r.proposal.association?.name ?? ''}</div>
                    </th>
                    <td>
                      {number(r.averageScore)}
                      <div className="meta">{t('meeting.reviews', { count: r.reviewCount })}</div>
                    </td>
                    <td>
                      <ul className="plain">
                        {r.criteria.map((s) => (
                          <li key={s.criterion}>
                            {t(`criterion.${s.criterion}`)}: {number(s.average)}
                            {s.lowest !== null && s.lowest !== s.highest ? ` (${s.lowest}–${s.highest})` : ''}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      <MoneyText money={r.budget} />
                    </td>
                    <td>
                      {open ? (
                        <>
                          <label className="visually-hidden" htmlFor={`decision-${id}`}>
                            {t('meeting.decisionFor', { title: r.proposal.title.en || r.proposal.title.fr || r.proposal.title.es || '' })}
                          </label>
                          <select
                            id={`decision-${id}`}
                            value={c?.decision ?? ''}
                            onChange={(e) => choose(id, { decision: e.target.value as Choice['decision'] })}
                          >
                            <option value="">{t('meeting.none')}</option>
                            <option value="APPROVED">{t('meeting.approve')}</option>
                            <option value="REJECTED">{t('meeting.reject')}</option>
                          </select>
                          {c?.decision ? (
                            <>
                              <label className="visually-hidden" htmlFor={`reason-${id}`}>
                                {t('meeting.reason')}
                              </label>
                              <input
                                id={`reason-${id}`}
                                placeholder={t('meeting.reason')}
                                value={c.reason}
                                maxLength={500}
                                onChange={(e) => choose(id, { reason: e.target.value })}
                              />
                            </>
                          ) : null}
                        </>
                      ) : (
                        <StatusBadge status={r.proposal.status} />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Form>
      )}
    </section>
  );
}
