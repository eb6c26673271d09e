// Counts across the platform: verified associations by city, origin and sector, sessions
// per city and month, proposals by sector and status, money pledged by currency.
import { useQuery } from 'urql';
import { Loading, MoneyText, Page, QueryFailure } from '../components/display';
import { graphql } from '../graphql';
import { has, useLocale, useT, type Translate } from '../i18n';
import { countryName, formatNumber } from '../lib/format';
import { useCities } from '../lib/cities';

const StatsQuery = graphql(`
  query Stats {
    stats {
      associationsByCity {
        key
        count
      }
      associationsByOriginCountry {
        key
        count
      }
      associationsBySector {
        key
        count
      }
      associationsByStatus {
        key
        count
      }
      sessionsByMonth {
        city
        month
        sessions
        seatsOffered
        seatsConfirmed
      }
      proposalsBySector {
        key
        count
      }
      proposalsByStatus {
        key
        count
      }
      pledgedTotals {
        amount
        currency
      }
      expertise {
        country
        requests
        matches
        missions
        field {
          code
          name {
            en
            fr
            es
          }
        }
      }
    }
  }
`);

function CountTable({ title, rows, label }: { title: string; rows: readonly { key: string; count: number }[]; label: (k: string) => string }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <section className="stat">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stats.what')}</th>
            <th scope="col" className="num">
              {t('stats.count')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{label(r.key)}</th>
              <td className="num">{formatNumber(locale, r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const enumLabel = (t: Translate, prefix: string) => (k: string) => {
  const id = `${prefix}.${k}`;
  return has(id) ? t(id) : k;
};

export function Stats() {
  const t = useT();
  const { locale } = useLocale();
  const cities = useCities();
  const [{ data, fetching, error }] = useQuery({ query: StatsQuery });
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  const s = data?.stats;
  if (!s) return null;
  const cityName = (slug: string) => cities.find((c) => c.slug === slug)?.name ?? slug;
  return (
    <Page title={t('stats.title')} lead={t('stats.lead')}>
      <div className="stats">
        <CountTable title={t('stats.byCity')} rows={s.associationsByCity} label={cityName} />
        <CountTable title={t('stats.byOrigin')} rows={s.associationsByOriginCountry} label={(c) => countryName(locale, c)} />
        <CountTable title={t('stats.bySector')} rows={s.associationsBySector} label={enumLabel(t, 'sector')} />
        <CountTable title={t('stats.byStatus')} rows={s.associationsByStatus} label={enumLabel(t, 'status')} />
        <CountTable title={t('stats.proposalsBySector')} rows={s.proposalsBySector} label={enumLabel(t, 'sector')} />
        <CountTable title={t('stats.proposalsByStatus')} rows={s.proposalsByStatus} label={enumLabel(t, 'status')} />
      </div>
      <section>
        <table>
          <caption>{t('stats.sessions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.city')}</th>
              <th scope="col">{t('stats.month')}</th>
              <th scope="col" className="num">
                {t('stats.sessionCount')}
              </th>
              <th scope="col" className="num">
                {t('stats.seatsOffered')}
              </th>
              <th scope="col" className="num">
                {t('stats.seatsConfirmed')}
              </th>
            </tr>
          </thead>
          <tbody>
            {s.sessionsByMonth.map((m) => (
              <tr key={m.city + m.month}>
                <th scope="row">{cityName(m.city)}</th>
                <td>
                  {new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(m.month + '-01T00:00:00Z'))}
                </td>
                <td className="num">{formatNumber(locale, m.sessions)}</td>
                <td className="num">{formatNumber(locale, m.seatsOffered)}</td>
                <td className="num">{formatNumber(locale, m.seatsConfirmed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <table>
          <caption>{t('stats.expertise')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('requests.country')}</th>
              <th scope="col">{t('experts.field')}</th>
              <th scope="col" className="num">
                {t('stats.requests')}
              </th>
              <th scope="col" className="num">
                {t('stats.matches')}
              </th>
              <th scope="col" className="num">
                {t('stats.missions')}
              </th>
            </tr>
          </thead>
          <tbody>
            {s.expertise.map((e) => (
              <tr key={e.country + e.field.code}>
                <th scope="row">{countryName(locale, e.country)}</th>
                <td>{e.field.name[locale] || e.field.name.en}</td>
                <td className="num">{formatNumber(locale, e.requests)}</td>
                <td className="num">{formatNumber(locale, e.matches)}</td>
                <td className="num">{formatNumber(locale, e.missions)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {s.expertise.length === 0 ? <p className="empty">{t('stats.noExpertise')}</p> : null}
      </section>
      <section>
        <h2>{t('stats.pledged')}</h2>
        {s.pledgedTotals.length === 0 ? <p className="empty">{t('pledges.none')}</p> : null}
        <ul>
          {s.pledgedTotals.map((m) => (
            <li key={m.currency}>
              <MoneyText money={m} />
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
