// An object's timeline, from its events: what happened, when, by which role, which fields
// changed — never the events' data. Where the object can be seen as it stood at an
// instant (time travel), each entry links to that.
import { useEffect, useRef } from 'react';
import { Link, useLocation } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../graphql';
import { has, useLocale, useT } from '../i18n';
import { formatInstant } from '../lib/format';
import { fieldLabel } from '../lib/problems';

const HistoryQuery = graphql(`
  query History($id: ID!, $first: Int) {
    history(id: $id, first: $first) {
      totalCount
      edges {
        node {
          type
          at
          version
          changedFields
          actor {
            role
            id
            city
          }
        }
      }
    }
  }
`);

/** History lists an object's events; watch is the object as the page shows it: when it
 * changes (live), the history reloads. */
export function History({ id, timeTravel, watch }: { id: string; timeTravel?: boolean; watch?: unknown }) {
  const t = useT();
  const { locale } = useLocale();
  const location = useLocation();
  const [{ data }, reload] = useQuery({ query: HistoryQuery, variables: { id, first: 50 } });
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    reload({ requestPolicy: 'network-only' });
  }, [watch, reload]);
  const history = data?.history;
  if (!history) return null;
  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title">{t('history.title')}</h2>
      <ol>
        {history.edges.map(({ node: e }) => {
          const eventID = `event.${e.type}`;
          return (
            <li key={e.version}>
              <strong>{has(eventID) ? t(eventID) : e.type}</strong> — <time dateTime={e.at}>{formatInstant(locale, e.at)}</time>
              <span className="meta">
                {' '}
                · {t(`role.${e.actor.role}`)}
                {e.actor.city ? ` (${e.actor.city})` : ''}
                {e.changedFields.length ? ` · ${e.changedFields.map((f) => fieldLabel(t, f)).join(', ')}` : ''}
              </span>
              {timeTravel ? (
                <>
                  {' '}
                  <Link to={`${location.pathname}?asOf=${encodeURIComponent(e.at)}`}>{t('history.asOf')}</Link>
                </>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** AsOfBanner says that a page shows the past, and links back to now. */
export function AsOfBanner({ asOf }: { asOf: string }) {
  const t = useT();
  const { locale } = useLocale();
  const location = useLocation();
  return (
    <div className="notice info" role="status">
      {t('history.showingPast', { when: formatInstant(locale, asOf) })} <Link to={location.pathname}>{t('history.backToNow')}</Link>
    </div>
  );
}
