// The directory: associations by city, country of origin, sector and language, and by
// words of their names and descriptions (accents and case do not matter). The filters
// live in the address, so a search can be shared and the back button works.
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Empty, Loading, Localized, Page, QueryFailure, StatusBadge } from '../components/display';
import { SelectField, TextField } from '../components/form';
import { commonLanguages, useCountryOptions } from '../components/pickers';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { useCities } from '../lib/cities';
import { associationStatuses, sectors } from '../lib/enums';
import { countryName, formatNumber, languageName } from '../lib/format';
import { useViewer } from '../platform';

const DirectoryQuery = graphql(`
  query Directory($first: Int, $after: String, $filter: AssociationFilter, $orderBy: AssociationOrder) {
    associations(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          acronym
          kind
          status
          originCountries
          sectors
          languages
          city {
            slug
            name
          }
          description {
            en
            fr
            es
          }
        }
      }
    }
  }
`);

const filterKeys = ['city', 'origin', 'sector', 'language', 'q', 'status', 'order'] as const;

export function Directory() {
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const [params, setParams] = useSearchParams();
  const cities = useCities();
  const countries = useCountryOptions();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const moderator = viewer?.role === 'ADMIN' || viewer?.role === 'COORDINATOR';

  const get = (k: (typeof filterKeys)[number]) => params.get(k) ?? '';
  const setFilter = (k: (typeof filterKeys)[number], v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    next.delete('after');
    setParams(next);
  };
  const filter = {
    city: get('city') || undefined,
    originCountry: get('origin') || undefined,
    sector: (get('sector') || undefined) as (typeof sectors)[number] | undefined,
    language: get('language') || undefined,
    search: get('q') || undefined,
    status: (moderator && get('status') ? get('status') : undefined) as (typeof associationStatuses)[number] | undefined,
  };
  const orderBy = get('order') === 'name' ? { field: 'NAME' as const, direction: 'ASC' as const } : undefined;
  const [{ data, fetching, error }] = useQuery({
    query: DirectoryQuery,
    variables: { first: 20, after: params.get('after'), filter, orderBy },
  });
  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    setFilter('q', search.trim());
  };
  const page = data?.associations;
  return (
    <Page title={t('directory.title')} lead={t('directory.lead')}>
      <form className="search" role="search" onSubmit={submitSearch}>
        <TextField name="q" label={t('directory.search')} hint={t('directory.searchHint')} value={search} onChange={setSearch} quiet />
        <button type="submit">{t('directory.searchButton')}</button>
      </form>
      <div className="filters" role="group" aria-label={t('directory.filters')}>
        <SelectField
          name="city"
          label={t('field.city')}
          value={get('city')}
          onChange={(v) => setFilter('city', v)}
          placeholder={t('directory.anyCity')}
          options={cities.map((c) => ({ value: c.slug, label: c.name }))}
          quiet
        />
        <SelectField
          name="origin"
          label={t('field.originCountry')}
          value={get('origin')}
          onChange={(v) => setFilter('origin', v)}
          placeholder={t('directory.anyCountry')}
          options={countries}
          quiet
        />
        <SelectField
          name="sector"
          label={t('field.sector')}
          value={get('sector')}
          onChange={(v) => setFilter('sector', v)}
          placeholder={t('directory.anySector')}
          options={sectors.map((s) => ({ value: s, label: t(`sector.${s}`) }))}
          quiet
        />
        <SelectField
          name="language"
          label={t('field.language')}
          value={get('language')}
          onChange={(v) => setFilter('language', v)}
          placeholder={t('directory.anyLanguage')}
          options={commonLanguages.map((l) => ({ value: l, label: languageName(locale, l) })).sort((a, b) => a.label.localeCompare(b.label, locale))}
          quiet
        />
        {moderator ? (
          <SelectField
            name="status"
            label={t('field.status')}
            value={get('status')}
            onChange={(v) => setFilter('status', v)}
            placeholder={t('directory.anyStatus')}
            options={associationStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            quiet
          />
        ) : null}
        <SelectField
          name="order"
          label={t('directory.order')}
          value={get('order')}
          onChange={(v) => setFilter('order', v)}
          options={[
            { value: '', label: t('directory.byRegistration') },
            { value: 'name', label: t('directory.byName') },
          ]}
          quiet
        />
      </div>
      {error ? <QueryFailure error={error} /> : null}
      {fetching && !page ? <Loading /> : null}
      {page ? (
        <>
          <p role="status" className="count">
            {t('directory.count', { count: page.totalCount, formatted: formatNumber(locale, page.totalCount) })}
          </p>
          {page.edges.length === 0 ? <Empty>{t('directory.none')}</Empty> : null}
          <ul className="cards">
            {page.edges.map(({ node: a }) => (
              <li key={a.id} className="card">
                <h2>
                  <Link to={`/associations/${a.id}`}>{a.name}</Link>
                  {a.acronym ? <span className="acronym"> ({a.acronym})</span> : null}
                </h2>
                <p className="meta">
                  {a.city.name} · {t(`kind.${a.kind}`)} · {a.originCountries.map((c) => countryName(locale, c)).join(', ')}
                  {a.status !== 'VERIFIED' ? (
                    <>
                      {' '}
                      · <StatusBadge status={a.status} />
                    </>
                  ) : null}
                </p>
                <Localized text={a.description} as="p" className="excerpt" />
                {a.sectors.length ? (
                  <ul className="tags" aria-label={t('field.sectors')}>
                    {a.sectors.map((s) => (
                      <li key={s}>{t(`sector.${s}`)}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
          <nav className="pager" aria-label={t('pager.label')}>
            {params.get('after') ? (
              <button type="button" onClick={() => setFilter('q', get('q'))}>
                {t('pager.first')}
              </button>
            ) : null}
            {page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
              <button
                type="button"
                onClick={() => {
                  const next = new URLSearchParams(params);
                  next.set('after', page.pageInfo.endCursor ?? '');
                  setParams(next);
                }}
              >
                {t('pager.next')}
              </button>
            ) : null}
          </nav>
        </>
      ) : null}
    </Page>
  );
}
