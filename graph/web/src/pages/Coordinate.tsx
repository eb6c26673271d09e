// A coordinator's desk for their city (an admin picks the city): registrations waiting
// for verification, each beside the associations it may duplicate; the city's sessions;
// proposals waiting for review.
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { ReasonAction } from '../components/actions';
import { Empty, Facts, Loading, Localized, NotFound, Page, QueryFailure, StatusBadge } from '../components/display';
import { Notice, ProblemSummary, SelectField } from '../components/form';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { useAction } from '../lib/action';
import { useCities } from '../lib/cities';
import { Reject, Verify } from '../lib/moderation';
import { countryName, formatInstant } from '../lib/format';
import { ProposalItem } from '../lib/proposals';
import { SessionCard } from '../lib/sessions';
import { isAdmin, useViewer } from '../platform';
import { SessionItem } from './City';

const QueueQuery = graphql(
  `
    query Queue($city: String, $from: DateTime) {
      associations(first: 50, filter: { city: $city, status: PENDING }) {
        totalCount
        edges {
          node {
            id
            name
            acronym
            kind
            website
            originCountries
            registeredAt
            status
            city {
              slug
              name
            }
            description {
              en
              fr
              es
            }
            contact {
              name
              email
              phone
              erased
            }
            possibleDuplicates {
              id
              name
              acronym
              status
              website
              originCountries
              registeredAt
              city {
                name
              }
              contact {
                name
                email
                erased
              }
            }
          }
        }
      }
      dialogueSessions(first: 20, filter: { city: $city, from: $from }) {
        edges {
          node {
            ...SessionCard
          }
        }
      }
      submitted: proposals(first: 50, filter: { status: SUBMITTED }) {
        edges {
          node {
            ...ProposalItem
          }
        }
      }
      underReview: proposals(first: 50, filter: { status: UNDER_REVIEW }) {
        edges {
          node {
            ...ProposalItem
          }
        }
      }
    }
  `,
  [SessionCard, ProposalItem],
);

const QueueItemLive = graphql(`
  subscription QueueItemLive($id: ID!) {
    associationChanged(id: $id) {
      id
      status
    }
  }
`);

type Pending = NonNullable<ReturnType<typeof useQueue>['data']>['associations']['edges'][number]['node'];

function useQueue(city: string | null, from: string) {
  const [result] = useQuery({ query: QueueQuery, variables: { city, from } });
  return result;
}

export function Coordinate() {
  const t = useT();
  const viewer = useViewer();
  const cities = useCities();
  const admin = isAdmin(viewer);
  const [chosen, setChosen] = useState('');
  const [done, setDone] = useState('');
  const city = admin ? chosen || null : (viewer?.city?.slug ?? null);
  const from = useMemo(() => new Date().toISOString(), []);
  const { data, fetching, error } = useQueue(city, from);
  if (!viewer) return <Loading />;
  if (viewer.role !== 'COORDINATOR' && !admin) return <NotFound />;
  const cityName = cities.find((c) => c.slug === city)?.name;
  const pending = data?.associations.edges.map((e) => e.node) ?? [];
  const toReview = [...(data?.submitted.edges ?? []), ...(data?.underReview.edges ?? [])].map((e) => e.node);
  // A decided registration leaves the queue as the page reloads: the notice stays here.
  const notice = done ? <Notice>{done}</Notice> : null;
  return (
    <Page title={cityName ? t('coordinate.titleCity', { city: cityName }) : t('coordinate.title')} lead={t('coordinate.lead')}>
      {admin ? (
        <SelectField
          name="city"
          label={t('field.city')}
          value={chosen}
          onChange={setChosen}
          placeholder={t('directory.anyCity')}
          options={cities.map((c) => ({ value: c.slug, label: c.name }))}
          quiet
        />
      ) : null}
      {error && !data ? <QueryFailure error={error} /> : null}
      {fetching && !data ? <Loading /> : null}
      <section aria-labelledby="queue-title">
        <h2 id="queue-title">{t('coordinate.queue', { count: data?.associations.totalCount ?? 0 })}</h2>
        {notice}
        {data && pending.length === 0 ? <Empty>{t('coordinate.queueEmpty')}</Empty> : null}
        <ol className="queue">
          {pending.map((a) => (
            <QueueItem key={a.id} a={a} onDone={setDone} />
          ))}
        </ol>
      </section>
      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('coordinate.sessions')}</h2>
        {city ? (
          <p>
            <Link className="button primary" to={`/dialogues/new?city=${city}`}>
              {t('city.schedule')}
            </Link>{' '}
            <Link to={`/cities/${city}`}>{t('coordinate.cityPage')}</Link>
          </p>
        ) : null}
        {data && data.dialogueSessions.edges.length === 0 ? <Empty>{t('city.none')}</Empty> : null}
        <ul className="sessions">
          {data?.dialogueSessions.edges.map((e) => (
            <SessionItem key={e.node.id} s={e.node} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="review-title">
        <h2 id="review-title">{t('coordinate.proposals')}</h2>
        {data && toReview.length === 0 ? <Empty>{t('coordinate.noProposals')}</Empty> : null}
        <ul>
          {toReview.map((p) => (
            <li key={p.id}>
              <Link to={`/proposals/${p.id}`}>
                <Localized text={p.title} />
              </Link>{' '}
              <StatusBadge status={p.status} /> <span className="meta">{p.association?.name}</span>
            </li>
          ))}
        </ul>
      </section>
      <PendingExperts />
    </Page>
  );
}

/** QueueItem is a pending registration beside what it may duplicate, to verify or
 * reject; its status follows live (another coordinator may act first). */
function QueueItem({ a, onDone }: { a: Pending; onDone: (message: string) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [live] = useSubscription({ query: QueueItemLive, variables: { id: a.id } });
  const status = live.data?.associationChanged.status ?? a.status;
  const verify = useAction(Verify);
  const reject = useAction(Reject);
  const headingID = `queue-${a.id}`;
  return (
    <li className="queue-item" aria-labelledby={headingID}>
      <div className="side-by-side">
        <article className="candidate">
          <h3 id={headingID}>
            <Link to={`/associations/${a.id}`}>{a.name}</Link> <StatusBadge status={status} />
          </h3>
          <Facts
            rows={[
              [t('field.acronym'), a.acronym],
              [t('field.kind'), t(`kind.${a.kind}`)],
              [t('field.originCountries'), a.originCountries.map((c) => countryName(locale, c)).join(', ')],
              [t('field.website'), a.website],
              [t('field.registeredAt'), formatInstant(locale, a.registeredAt)],
              [t('field.contactName'), a.contact?.erased ? t('association.contactErased') : a.contact?.name],
              [t('field.contactEmail'), a.contact?.email],
            ]}
          />
          <Localized text={a.description} as="p" className="excerpt" />
        </article>
        <div className="duplicates">
          <h4>{t('duplicates.title')}</h4>
          {(a.possibleDuplicates ?? []).length === 0 ? <p className="empty">{t('duplicates.none')}</p> : null}
          {(a.possibleDuplicates ?? []).map((d) => (
            <article key={d.id} className="duplicate">
              <h5>
                <Link to={`/associations/${d.id}`}>{d.name}</Link> <StatusBadge status={d.status} />
              </h5>
              <Facts
                rows={[
                  [t('field.acronym'), d.acronym],
                  [t('field.city'), d.city.name],
                  [t('field.originCountries'), d.originCountries.map((c) => countryName(locale, c)).join(', ')],
                  [t('field.website'), d.website],
                  [t('field.registeredAt'), formatInstant(locale, d.registeredAt)],
                  [t('field.contactName'), d.contact?.erased ? t('association.contactErased') : d.contact?.name],
                  [t('field.contactEmail'), d.contact?.email],
                ]}
              />
            </article>
          ))}
        </div>
      </div>
      {status === 'PENDING' ? (
        <div className="action-row">
          <ProblemSummary problems={verify.problems} />
          <button
            type="button"
            className="primary"
            disabled={verify.busy}
            onClick={async () => {
              const { data } = await verify.run({ id: a.id });
              if (data) onDone(t('coordinate.verified', { name: a.name }));
            }}
          >
            {t('coordinate.verify', { name: a.name })}
          </button>
          <ReasonAction
            name={`reject-${a.id}`}
            label={t('coordinate.reject', { name: a.name })}
            confirmLabel={t('association.rejectConfirm')}
            reasonLabel={t('association.rejectReason')}
            hint={t('association.rejectHint')}
            danger
            busy={reject.busy}
            problems={reject.problems}
            onConfirm={async (reason) => {
              const { data } = await reject.run({ id: a.id, reason });
              if (data) onDone(t('coordinate.rejected', { name: a.name }));
              return !!data;
            }}
          />
        </div>
      ) : null}
    </li>
  );
}

const PendingExpertsQuery = graphql(`
  query PendingExperts {
    pendingExperts {
      id
      name
      fields {
        code
        name {
          en
          fr
          es
        }
      }
    }
  }
`);

/** PendingExperts is the experts awaiting verification: coordinators verify them on each
 * expert's page. */
function PendingExperts() {
  const t = useT();
  const { locale } = useLocale();
  const [{ data, error }] = useQuery({ query: PendingExpertsQuery, requestPolicy: 'cache-and-network' });
  return (
    <section aria-labelledby="pending-experts-title">
      <h2 id="pending-experts-title">{t('coordinate.pendingExperts')}</h2>
      {error && !data ? <QueryFailure error={error} /> : null}
      {data && data.pendingExperts.length === 0 ? <Empty>{t('coordinate.noPendingExperts')}</Empty> : null}
      <ul>
        {data?.pendingExperts.map((x) => (
          <li key={x.id}>
            <Link to={`/experts/${x.id}`}>{x.name}</Link>{' '}
            <span className="meta">· {x.fields.map((f) => f.name[locale] || f.name.en).join(', ')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
