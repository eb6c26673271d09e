// The front page: what Passerelle is for, the next sessions in each city, and the way in
// for an association.
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { Page } from '../components/display';
import { graphql } from '../graphql';
import { useT } from '../i18n';
import { SessionCard } from '../lib/sessions';
import { useViewer } from '../platform';
import { SessionItem } from './City';

const HomeQuery = graphql(
  `
    query Home($from: DateTime) {
      dialogueSessions(first: 6, filter: { from: $from, status: SCHEDULED }) {
        edges {
          node {
            ...SessionCard
          }
        }
      }
      associations(first: 0) {
        totalCount
      }
    }
  `,
  [SessionCard],
);

export function Home() {
  const t = useT();
  const viewer = useViewer();
  const from = useMemo(() => new Date().toISOString(), []);
  const [{ data }] = useQuery({ query: HomeQuery, variables: { from } });
  return (
    <Page title={t('home.title')} lead={t('home.lead')}>
      <div className="home-actions">
        <Link className="button primary" to="/associations">
          {t('home.browse', { count: data?.associations.totalCount ?? 0 })}
        </Link>
        <Link className="button" to="/dialogues">
          {t('home.sessions')}
        </Link>
        {viewer?.role === 'ANONYMOUS' ? (
          <Link className="button" to="/register">
            {t('home.register')}
          </Link>
        ) : null}
      </div>
      <section aria-labelledby="themes-title">
        <h2 id="themes-title">{t('home.themesTitle')}</h2>
        <p>{t('home.themes')}</p>
      </section>
      <section aria-labelledby="next-title">
        <h2 id="next-title">{t('home.next')}</h2>
        <ul className="sessions">
          {(data?.dialogueSessions.edges ?? []).map((e) => (
            <SessionItem key={e.node.id} s={e.node} />
          ))}
        </ul>
      </section>
    </Page>
  );
}
