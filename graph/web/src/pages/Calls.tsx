// Calls for proposals: which are open, what they fund, and the approved projects with
// what partners pledged to them, by currency (never added across currencies).
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { Empty, Facts, Loading, Localized, MoneyText, NotFound, Page, QueryFailure, StatusBadge } from '../components/display';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { countryName, formatInstant } from '../lib/format';
import { CallSummary, ProposalItem, type CallData } from '../lib/proposals';
import { isAdmin, useViewer } from '../platform';
import { DecisionMeeting } from './DecisionMeeting';

/** Amounts shows amounts of several currencies side by side, never added up. */
function Amounts({ list }: { list: readonly { amount: string; currency: string }[] }) {
  return (
    <>
      {list.map((m, i) => (
        <span key={m.currency}>
          {i > 0 ? ' · ' : null}
          <MoneyText money={m} />
        </span>
      ))}
    </>
  );
}

const CallsQuery = graphql(
  `
    query Calls {
      calls(first: 100) {
        edges {
          node {
            ...CallSummary
          }
        }
      }
      approved: proposals(first: 50, filter: { status: APPROVED }) {
        edges {
          node {
            ...ProposalItem
            call {
              id
              title {
                en
                fr
                es
              }
            }
            pledgedTotals {
              amount
              currency
            }
          }
        }
      }
    }
  `,
  [CallSummary, ProposalItem],
);

const CallQuery = graphql(
  `
    query Call($id: ID!) {
      call(id: $id) {
        ...CallSummary
      }
      proposals(first: 100, filter: { callId: $id }) {
        totalCount
        edges {
          node {
            ...ProposalItem
            budget {
              amount
              currency
            }
            pledgedTotals {
              amount
              currency
            }
          }
        }
      }
    }
  `,
  [CallSummary, ProposalItem],
);

export function CallsPage() {
  const t = useT();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: CallsQuery });
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  const calls = (data?.calls.edges ?? []).map((e) => e.node);
  const open = calls.filter((c) => c.status === 'OPEN' || c.status === 'UPCOMING');
  const closed = calls.filter((c) => c.status === 'CLOSED');
  const approved = (data?.approved.edges ?? []).map((e) => e.node);
  return (
    <Page
      title={t('calls.title')}
      lead={t('calls.lead')}
      actions={
        isAdmin(viewer) ? (
          <Link className="button primary" to="/admin#open-call">
            {t('admin.openCall')}
          </Link>
        ) : null
      }
    >
      <h2>{t('calls.open')}</h2>
      {open.length === 0 ? <Empty>{t('calls.noneOpen')}</Empty> : null}
      <ul className="cards">
        {open.map((c) => (
          <CallCard key={c.id} c={c} />
        ))}
      </ul>
      <h2>{t('calls.approved')}</h2>
      {approved.length === 0 ? <Empty>{t('calls.noneApproved')}</Empty> : null}
      <ul className="cards">
        {approved.map((p) => (
          <li key={p.id} className="card">
            <h3>
              <Link to={`/proposals/${p.id}`}>
                <Localized text={p.title} />
              </Link>
            </h3>
            <p className="meta">
              {p.association ? <Link to={`/associations/${p.association.id}`}>{p.association.name}</Link> : null}
              {p.call ? (
                <>
                  {' · '}
                  <Localized text={p.call.title} />
                </>
              ) : null}
            </p>
            <Pledged totals={p.pledgedTotals} />
          </li>
        ))}
      </ul>
      {closed.length ? (
        <>
          <h2>{t('calls.closed')}</h2>
          <ul className="cards">
            {closed.map((c) => (
              <CallCard key={c.id} c={c} />
            ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}

export function Pledged({ totals }: { totals: readonly { amount: string; currency: string }[] | null | undefined }) {
  const t = useT();
  if (!totals) return null;
  if (totals.length === 0) return <p className="meta">{t('pledges.none')}</p>;
  return (
    <p className="pledged">
      {t('pledges.total')}{' '}
      {totals.map((m, i) => (
        <span key={m.currency}>
          {i > 0 ? ' + ' : ''}
          <MoneyText money={m} />
        </span>
      ))}
    </p>
  );
}

function CallCard({ c }: { c: CallData }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <li className="card">
      <h3>
        <Link to={`/calls/${c.id}`}>
          <Localized text={c.title} />
        </Link>{' '}
        <StatusBadge status={c.status} />
      </h3>
      <p className="meta">
        {t('calls.ceiling')} <MoneyText money={c.budgetCeiling} /> · {t('calls.closes', { when: formatInstant(locale, c.closedAt ?? c.closesAt) })}
      </p>
      <p className="meta">{c.themes.map((s) => t(`sector.${s}`)).join(', ')}</p>
    </li>
  );
}

export function CallPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: CallQuery, variables: { id } });
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  const c = data?.call;
  if (!c) return <NotFound />;
  const proposals = (data?.proposals.edges ?? []).map((e) => e.node);
  const canPropose = viewer?.role === 'ASSOCIATION' && viewer.association?.status === 'VERIFIED' && c.status !== 'CLOSED';
  return (
    <Page
      title={locale && (c.title[locale] || c.title.en || c.title.fr || c.title.es || '')}
      actions={
        <>
          <StatusBadge status={c.status} />
          {canPropose ? (
            <Link className="button primary" to={`/proposals/new?call=${c.id}`}>
              {t('call.propose')}
            </Link>
          ) : null}
        </>
      }
    >
      <Localized text={c.description} as="div" className="description" />
      <Facts
        rows={[
          [t('calls.ceiling'), <MoneyText money={c.budgetCeiling} />],
          [t('call.envelope'), c.envelope.length ? <Amounts list={c.envelope} /> : null],
          [t('call.committed'), c.envelope.length ? <Amounts list={c.committed} /> : null],
          [t('call.remaining'), c.envelope.length ? <Amounts list={c.remaining} /> : null],
          [t('call.themes'), c.themes.map((s) => t(`sector.${s}`)).join(', ')],
          [t('call.countries'), c.eligibleCountries.map((x) => countryName(locale, x)).join(', ')],
          [t('call.opens'), formatInstant(locale, c.opensAt)],
          [t('call.closes'), formatInstant(locale, c.closesAt)],
          [t('call.closedEarly'), c.closedAt ? formatInstant(locale, c.closedAt) : null],
        ]}
      />
      {isAdmin(viewer) ? <DecisionMeeting callId={c.id} /> : null}
      <h2>{t('call.proposals')}</h2>
      {proposals.length === 0 ? <Empty>{t('call.noProposals')}</Empty> : null}
      <table>
        <caption className="visually-hidden">{t('call.proposals')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('proposal.titleColumn')}</th>
            <th scope="col">{t('proposal.association')}</th>
            <th scope="col">{t('field.status')}</th>
            <th scope="col">{t('field.budget')}</th>
            <th scope="col">{t('pledges.total')}</th>
          </tr>
        </thead>
        <tbody>
          {proposals.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                <Link to={`/proposals/${p.id}`}>
                  <Localized text={p.title} />
                </Link>
              </th>
              <td>{p.association?.name ?? '—'}</td>
              <td>
                <StatusBadge status={p.status} />
              </td>
              <td>
                <MoneyText money={p.budget} />
              </td>
              <td>
                <Pledged totals={p.pledgedTotals} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
