// The association's own page: its status, its places at upcoming sessions, its
// proposals, and the calls it can answer.
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { Empty, Loading, Localized, Page, StatusBadge, When } from '../components/display';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { formatInstant } from '../lib/format';
import { SessionCard, endedRegistration } from '../lib/sessions';
import { ConfirmAction } from '../components/actions';
import { ProblemSummary } from '../components/form';
import { KeyAnswer, signInWith } from '../components/KeyReveal';
import { useAction } from '../lib/action';
import { usePlatform, useViewer } from '../platform';
import { SignIn } from './SignIn';

const MyQuery = graphql(
  `
    query My($associationId: ID!, $from: DateTime) {
      dialogueSessions(first: 100, filter: { from: $from }) {
        edges {
          node {
            ...SessionCard
            registrations {
              id
              status
              seats
              waitlistPosition
              offerExpiresAt
            }
          }
        }
      }
      proposals(first: 100, filter: { associationId: $associationId }) {
        edges {
          node {
            id
            status
            title {
              en
              fr
              es
            }
            call {
              id
              title {
                en
                fr
                es
              }
            }
          }
        }
      }
      calls(first: 50, filter: { status: OPEN }) {
        edges {
          node {
            id
            title {
              en
              fr
              es
            }
            closesAt
          }
        }
      }
    }
  `,
  [SessionCard],
);

const SessionsLive = graphql(`
  subscription MySessionsLive($city: String!) {
    sessionChanged(city: $city) {
      id
    }
  }
`);

/** Following reloads the page when a session of a city changes: a place on a waitlist
 * becomes a confirmed seat, or seats offered, without the association asking. */
function Following({ city, reload }: { city: string; reload: () => void }) {
  useSubscription({ query: SessionsLive, variables: { city } }, (_: unknown, next) => {
    reload();
    return next;
  });
  return null;
}

export function My() {
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const from = useMemo(() => new Date().toISOString(), []);
  const a = viewer?.association;
  const [{ data, fetching }, reload] = useQuery({ query: MyQuery, variables: { associationId: a?.id ?? '', from }, pause: !a });
  if (!viewer) return <Loading />;
  if (!a) return <SignIn />;
  const mine = (data?.dialogueSessions.edges ?? []).map((e) => e.node).filter((s) => s.registrations.some((r) => !endedRegistration.has(r.status)));
  const inCity = (data?.dialogueSessions.edges ?? [])
    .map((e) => e.node)
    .filter((s) => s.city.slug === a.city.slug && !mine.includes(s) && s.registrationOpen);
  const followed = [...new Set([a.city.slug, ...mine.map((s) => s.city.slug)])];
  return (
    <Page title={a.name} lead={t('my.lead', { city: a.city.name })} actions={<StatusBadge status={a.status} />}>
      {followed.map((city) => (
        <Following key={city} city={city} reload={() => reload({ requestPolicy: 'network-only' })} />
      ))}
      {a.status === 'PENDING' ? <p className="notice info">{t('my.pending')}</p> : null}
      <p className="action-row">
        <Link className="button" to={`/associations/${a.id}`}>
          {t('my.profile')}
        </Link>
        <Link className="button" to={`/associations/${a.id}/edit`}>
          {t('association.edit')}
        </Link>
      </p>
      {fetching && !data ? <Loading /> : null}
      <h2>{t('my.registrations')}</h2>
      {mine.length === 0 ? <Empty>{t('my.noRegistrations')}</Empty> : null}
      <ul className="sessions">
        {mine.map((s) => {
          const r = s.registrations.find((x) => !endedRegistration.has(x.status));
          return (
            <li key={s.id} className="card">
              <h3>
                <Link to={`/dialogues/${s.id}`}>
                  <Localized text={s.title} />
                </Link>
              </h3>
              <p>
                <When time={s.start} /> · {s.city.name}
              </p>
              {r ? (
                <p className={r.status === 'OFFERED' ? 'notice info' : undefined}>
                  {r.status === 'WAITLISTED'
                    ? t('registration.waitlisted', { place: r.waitlistPosition ?? 0, seats: r.seats })
                    : r.status === 'OFFERED'
                      ? t('offer.yours', { seats: r.seats, until: formatInstant(locale, r.offerExpiresAt ?? '') })
                      : t('registration.confirmed', { seats: r.seats })}{' '}
                  {r.status === 'OFFERED' ? <Link to={`/dialogues/${s.id}`}>{t('offer.answer')}</Link> : null}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      <h2>{t('my.openSessions', { city: a.city.name })}</h2>
      {inCity.length === 0 ? <Empty>{t('city.none')}</Empty> : null}
      <ul>
        {inCity.map((s) => (
          <li key={s.id}>
            <Link to={`/dialogues/${s.id}`}>
              <Localized text={s.title} />
            </Link>{' '}
            — <When time={s.start} style="medium" />
          </li>
        ))}
      </ul>
      <h2>{t('my.proposals')}</h2>
      {(data?.proposals.edges.length ?? 0) === 0 ? <Empty>{t('my.noProposals')}</Empty> : null}
      <ul>
        {data?.proposals.edges.map(({ node: p }) => (
          <li key={p.id}>
            <Link to={`/proposals/${p.id}`}>
              <Localized text={p.title} />
            </Link>{' '}
            <StatusBadge status={p.status} />
            {p.call ? (
              <span className="meta">
                {' '}
                · <Localized text={p.call.title} />
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <h2>{t('my.calls')}</h2>
      {(data?.calls.edges.length ?? 0) === 0 ? <Empty>{t('calls.noneOpen')}</Empty> : null}
      <ul>
        {data?.calls.edges.map(({ node: c }) => (
          <li key={c.id}>
            <Link to={`/calls/${c.id}`}>
              <Localized text={c.title} />
            </Link>
            {a.status === 'VERIFIED' ? (
              <>
                {' '}
                · <Link to={`/proposals/new?call=${c.id}`}>{t('call.propose')}</Link>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <RenewKey associationId={a.id} name={a.name} />
    </Page>
  );
}

const RenewKeyMutation = graphql(`
  mutation RenewAssociationKey($id: ID!, $idempotencyKey: String) {
    renewAssociationKey(id: $id, idempotencyKey: $idempotencyKey) {
      token
      keyWithheld {
        reason
      }
    }
  }
`);

/** RenewKey gives the association a new key and ends the old one at once: for a key that
 * leaked, or that someone who left still holds. The new key is shown once. */
function RenewKey({ associationId, name }: { associationId: string; name: string }) {
  const t = useT();
  const { signIn } = usePlatform();
  const renew = useAction(RenewKeyMutation);
  const [answer, setAnswer] = useState<{ token: string | null } | null>(null);
  return (
    <section aria-labelledby="renew-key-title">
      <h2 id="renew-key-title">{t('my.renewKeyTitle')}</h2>
      <p className="hint">{t('my.renewKeyHint')}</p>
      <ProblemSummary problems={renew.problems} />
      {answer ? (
        <KeyAnswer token={answer.token} who={name} kind="renewal" />
      ) : (
        <ConfirmAction
          label={t('my.renewKey')}
          question={t('my.renewKeyQuestion')}
          confirmLabel={t('my.renewKeyConfirm')}
          busy={renew.busy}
          onConfirm={async () => {
            const { data } = await renew.run({ id: associationId });
            const renewed = data?.renewAssociationKey;
            if (!renewed) return false;
            // This browser's session was opened with the old key: open one with the new.
            if (renewed.token) await signInWith(signIn, renewed.token);
            setAnswer({ token: renewed.token ?? null });
            return true;
          }}
        />
      )}
    </section>
  );
}
