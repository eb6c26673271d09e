// The Dialogue en continu city by city: each city's upcoming sessions with their local
// times, seats left and waitlist, live; its calendar to subscribe to. Its coordinators
// take its sessions of a period away as a spreadsheet.
import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { Empty, Loading, Localized, NotFound, Page, QueryFailure, StatusBadge, When } from '../components/display';
import { Form, Notice, TextField } from '../components/form';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { useCities } from '../lib/cities';
import { useDownload } from '../lib/download';
import { countryName } from '../lib/format';
import { forField } from '../lib/problems';
import { merge, SessionCard, type SessionCardData } from '../lib/sessions';
import { coordinates, usePlatform, useViewer } from '../platform';

const CitySessionsQuery = graphql(
  `
    query CitySessions($city: String!, $from: DateTime, $to: DateTime) {
      city(slug: $city) {
        id
        slug
        name
        timeZone
        country
        calendarPath
      }
      dialogueSessions(first: 100, filter: { city: $city, from: $from, to: $to }) {
        totalCount
        edges {
          node {
            ...SessionCard
          }
        }
      }
    }
  `,
  [SessionCard],
);

const SessionsFile = graphql(`
  query SessionsFile($city: String!, $from: String!, $to: String!, $language: Language) {
    sessionsCsv(city: $city, from: $from, to: $to, language: $language) {
      filename
      contentType
      content
      rowCount
    }
  }
`);

export const CitySessionsLive = graphql(
  `
    subscription CitySessionsLive($city: String!) {
      sessionChanged(city: $city) {
        ...SessionCard
      }
    }
  `,
  [SessionCard],
);

export function Dialogues() {
  const t = useT();
  const cities = useCities();
  return (
    <Page title={t('dialogues.title')} lead={t('dialogues.lead')}>
      <ul className="cards cities">
        {cities.map((c) => (
          <li key={c.slug} className="card">
            <h2>
              <Link to={`/cities/${c.slug}`}>{c.name}</Link>
            </h2>
            <p className="meta">{c.timeZone}</p>
            <p>
              <a href={c.calendarPath}>{t('city.calendar')}</a>
            </p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function CityPage() {
  const { slug = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const past = params.get('past') === '1';
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const { reconnects } = usePlatform();
  // "Now" is fixed for the page's life: a moving bound would reload it every render.
  const now = useMemo(() => new Date().toISOString(), [past, reconnects]); // eslint-disable-line react-hooks/exhaustive-deps
  const [{ data, fetching, error }] = useQuery({
    query: CitySessionsQuery,
    variables: past ? { city: slug, to: now } : { city: slug, from: now },
  });
  const [changed, setChanged] = useState<SessionCardData[]>([]);
  useSubscription({ query: CitySessionsLive, variables: { city: slug }, pause: past }, (_: unknown, next) => {
    setChanged((list) => [...list.filter((s) => s.id !== next.sessionChanged.id), next.sessionChanged]);
    return next;
  });
  const sessions = useMemo(() => {
    let list: SessionCardData[] = (data?.dialogueSessions.edges ?? []).map((e) => e.node);
    for (const s of changed) list = merge(list, s, (x) => x.start.utc >= now);
    return list;
  }, [data, changed, now]);
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  const city = data?.city;
  if (!city) return <NotFound />;
  const webcal = `webcal://${window.location.host}${city.calendarPath}`;
  return (
    <Page
      title={t('city.title', { city: city.name })}
      lead={t('city.lead', { city: city.name, zone: city.timeZone, country: countryName(locale, city.country) })}
      actions={
        coordinates(viewer, city.slug) ? (
          <Link className="button primary" to={`/dialogues/new?city=${city.slug}`}>
            {t('city.schedule')}
          </Link>
        ) : null
      }
    >
      <p className="calendar-links">
        <a href={city.calendarPath} download>
          {t('city.calendarDownload')}
        </a>{' '}
        · <a href={webcal}>{t('city.calendarSubscribe')}</a>
        <span className="hint"> {t('city.calendarHint')}</span>
      </p>
      <p>
        <button type="button" className="link" onClick={() => setParams(past ? {} : { past: '1' })}>
          {past ? t('city.showUpcoming') : t('city.showPast')}
        </button>
      </p>
      <h2>{past ? t('city.past') : t('city.upcoming')}</h2>
      <p className="live-note" aria-live="polite">
        {past ? '' : t('city.live')}
      </p>
      {sessions.length === 0 ? <Empty>{t('city.none')}</Empty> : null}
      <ul className="sessions">
        {sessions.map((s) => (
          <SessionItem key={s.id} s={s} />
        ))}
      </ul>
      {coordinates(viewer, city.slug) ? <SessionsDownload city={city.slug} /> : null}
    </Page>
  );
}

/** day is a date as a date field holds it, on the reader's clocks. */
function day(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** SessionsDownload saves the city's sessions of a period (this month unless changed)
 * as a spreadsheet, for its coordinators and admins. */
function SessionsDownload({ city }: { city: string }) {
  const t = useT();
  const { locale } = useLocale();
  const [from, setFrom] = useState(() => {
    const now = new Date();
    return day(new Date(now.getFullYear(), now.getMonth(), 1));
  });
  const [to, setTo] = useState(() => {
    const now = new Date();
    return day(new Date(now.getFullYear(), now.getMonth() + 1, 0));
  });
  const file = useDownload(SessionsFile, (d) => d.sessionsCsv);
  return (
    <section aria-labelledby="export-title" className="export">
      <h2 id="export-title">{t('export.sessionsTitle')}</h2>
      <Form
        label={t('export.sessionsTitle')}
        onSubmit={() => file.run({ city, from, to, language: locale.toUpperCase() as 'EN' | 'FR' | 'ES' })}
        problems={file.problems}
        submitLabel={t('export.sessions')}
        busy={file.busy}
      >
        <p className="hint">{t('export.sessionsHint')}</p>
        <div className="row">
          <TextField
            name="from"
            type="date"
            label={t('export.from')}
            value={from}
            onChange={setFrom}
            required
            error={forField(file.problems, 'from')}
          />
          <TextField name="to" type="date" label={t('export.to')} value={to} onChange={setTo} required error={forField(file.problems, 'to')} />
        </div>
        {file.saved ? <Notice>{t('export.saved', { name: file.saved.filename, rows: file.saved.rowCount })}</Notice> : null}
      </Form>
    </section>
  );
}

export function SessionItem({ s }: { s: SessionCardData }) {
  const t = useT();
  return (
    <li className="card session" data-session={s.id}>
      <h3>
        <Link to={`/dialogues/${s.id}`}>
          <Localized text={s.title} />
        </Link>
      </h3>
      <p>
        <When time={s.start} />
      </p>
      <p className="meta">
        {s.venue.name} · {t(`sector.${s.theme}`)}
      </p>
      {s.status === 'CANCELLED' ? (
        <p>
          <StatusBadge status="CANCELLED" />
        </p>
      ) : (
        <p className="seats">
          <span data-testid="seats-left">{t('session.seatsLeft', { count: s.seatsLeft, capacity: s.capacity })}</span>
          {' · '}
          <span data-testid="waitlist">{t('session.waitlist', { count: s.waitlistLength })}</span>
          {s.status === 'HELD' ? (
            <>
              {' · '}
              <StatusBadge status="HELD" />
            </>
          ) : null}
        </p>
      )}
    </li>
  );
}
