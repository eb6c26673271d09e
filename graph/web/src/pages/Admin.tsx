// The admins' desk: cities and their coordinators (appointed with a key shown once,
// dismissed at once), new cities, calls for proposals, proposals awaiting a decision, and
// the mailbox: what the platform wrote to associations, and whether it went out.
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ConfirmAction } from '../components/actions';
import { Empty, Loading, Localized, NotFound, Page, QueryFailure, StatusBadge } from '../components/display';
import { Checkboxes, Form, Notice, SelectField, TextField } from '../components/form';
import { KeyAnswer } from '../components/KeyReveal';
import { CountriesInput, LocalizedFields, emptyLocalized, useCountryOptions } from '../components/pickers';
import { graphql, type ResultOf } from '../graphql';
import { useLocale, useT } from '../i18n';
import { useAction } from '../lib/action';
import { parseDecimal } from '../lib/decimal';
import { sectors, type Sector } from '../lib/enums';
import { formatInstant } from '../lib/format';
import { forField, type Problem } from '../lib/problems';
import { ProposalItem } from '../lib/proposals';
import { isAdmin, useViewer } from '../platform';
import { PendingInstitutions } from './Institutions';

const AdminQuery = graphql(
  `
    query Admin {
      cities {
        id
        slug
        name
        timeZone
        country
        coordinators {
          id
          name
          appointedAt
        }
      }
      calls(first: 100) {
        edges {
          node {
            id
            status
            closesAt
            title {
              en
              fr
              es
            }
          }
        }
      }
      toDecide: proposals(first: 100, filter: { status: UNDER_REVIEW }) {
        edges {
          node {
            ...ProposalItem
            reviews {
              reviewerId
            }
          }
        }
      }
    }
  `,
  [ProposalItem],
);

const Appoint = graphql(`
  mutation Appoint($city: String!, $name: String!, $idempotencyKey: String) {
    appointCoordinator(city: $city, name: $name, idempotencyKey: $idempotencyKey) {
      coordinator {
        id
        name
      }
      token
      keyWithheld {
        reason
      }
    }
  }
`);
const Dismiss = graphql(`
  mutation Dismiss($city: String!, $coordinatorId: ID!, $idempotencyKey: String) {
    dismissCoordinator(city: $city, coordinatorId: $coordinatorId, idempotencyKey: $idempotencyKey) {
      city {
        id
        slug
        coordinators {
          id
          name
          appointedAt
        }
      }
    }
  }
`);
const OpenCity = graphql(`
  mutation OpenCity($input: OpenCityInput!, $idempotencyKey: String) {
    openCity(input: $input, idempotencyKey: $idempotencyKey) {
      city {
        id
        slug
        name
      }
    }
  }
`);
const OpenCall = graphql(`
  mutation OpenCall($input: OpenCallInput!, $idempotencyKey: String) {
    openCall(input: $input, idempotencyKey: $idempotencyKey) {
      call {
        id
      }
    }
  }
`);
const CloseCall = graphql(`
  mutation CloseCall($callId: ID!, $idempotencyKey: String) {
    closeCall(callId: $callId, idempotencyKey: $idempotencyKey) {
      call {
        id
        status
        closedAt
      }
    }
  }
`);

const MailboxQuery = graphql(`
  query Mailbox($after: String) {
    mailbox(first: 20, after: $after) {
      delivery
      edges {
        cursor
        node {
          id
          recipient
          kind
          language
          subject
          body
          status
          problem
          createdAt
          sentAt
          association {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type Mail = NonNullable<ResultOf<typeof MailboxQuery>['mailbox']>['edges'][number]['node'];

/** Mailbox is every message written to associations, newest first, twenty at a time. */
function Mailbox() {
  const t = useT();
  const { locale } = useLocale();
  const [after, setAfter] = useState<string | null>(null);
  const [earlier, setEarlier] = useState<Mail[]>([]);
  const [{ data, fetching, error }, reload] = useQuery({ query: MailboxQuery, variables: { after }, requestPolicy: 'network-only' });
  const page = data?.mailbox;
  const mail = [...earlier, ...(page?.edges.map((e) => e.node) ?? [])];
  return (
    <section aria-labelledby="mailbox-title">
      <h2 id="mailbox-title">{t('mail.title')}</h2>
      {page ? <p className="hint">{t(page.delivery === 'SMTP' ? 'mail.bySMTP' : 'mail.byFolder')}</p> : null}
      {error && !data ? <QueryFailure error={error} /> : null}
      <p>
        <button
          type="button"
          onClick={() => {
            setEarlier([]);
            setAfter(null);
            reload({ requestPolicy: 'network-only' });
          }}
        >
          {t('mail.refresh')}
        </button>
      </p>
      {page && mail.length === 0 ? <Empty>{t('mail.none')}</Empty> : null}
      <ul className="mailbox">
        {mail.map((m) => (
          <li key={m.id} data-testid="mail">
            <details>
              <summary>
                <strong>{m.subject}</strong>{' '}
                <span className={'badge mail-' + m.status.toLowerCase()}>{t(`mail.status.${m.status}` as 'mail.status.SENT')}</span>
                <span className="meta">
                  {' '}
                  · {m.association?.name ?? (m.recipient === 'ASSOCIATION' ? '—' : t(`mail.to.${m.recipient}`))} ·{' '}
                  {t(`mail.kind.${m.kind}` as 'mail.kind.OFFER_MADE')} · {m.language.toUpperCase()} · {formatInstant(locale, m.sentAt ?? m.createdAt)}
                </span>
              </summary>
              {m.problem ? <p className="hint">{t('mail.problem', { problem: m.problem })}</p> : null}
              <pre className="mail-body" lang={m.language}>
                {m.body}
              </pre>
            </details>
          </li>
        ))}
      </ul>
      {page?.pageInfo.hasNextPage ? (
        <button
          type="button"
          disabled={fetching}
          onClick={() => {
            setEarlier(mail);
            setAfter(page.pageInfo.endCursor ?? null);
          }}
        >
          {t('mail.more')}
        </button>
      ) : null}
    </section>
  );
}

export function Admin() {
  const t = useT();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: AdminQuery });
  if (!viewer) return <Loading />;
  if (!isAdmin(viewer)) return <NotFound />;
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  return (
    <Page title={t('admin.title')}>
      <PendingInstitutions />
      <Cities cities={data?.cities ?? []} />
      <OpenCityForm />
      <Calls calls={(data?.calls.edges ?? []).map((e) => e.node)} />
      <OpenCallForm />
      <section aria-labelledby="decide-title">
        <h2 id="decide-title">{t('admin.toDecide')}</h2>
        {(data?.toDecide.edges.length ?? 0) === 0 ? <Empty>{t('admin.nothingToDecide')}</Empty> : null}
        <ul>
          {data?.toDecide.edges.map(({ node: p }) => (
            <li key={p.id}>
              <Link to={`/proposals/${p.id}`}>
                <Localized text={p.title} />
              </Link>{' '}
              <span className="meta">
                {p.association?.name} · {t('admin.reviews', { count: p.reviews?.length ?? 0 })}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <Mailbox />
    </Page>
  );
}

type CityRow = { slug: string; name: string; timeZone: string; coordinators?: readonly { id: string; name: string; appointedAt: string }[] | null };

function Cities({ cities }: { cities: readonly CityRow[] }) {
  const t = useT();
  const { locale } = useLocale();
  const appoint = useAction(Appoint);
  const dismiss = useAction(Dismiss);
  const [city, setCity] = useState('');
  const [name, setName] = useState('');
  const [appointed, setAppointed] = useState<{ name: string; city: string; token: string | null } | null>(null);
  const [done, setDone] = useState('');
  return (
    <section aria-labelledby="cities-title">
      <h2 id="cities-title">{t('admin.cities')}</h2>
      {done ? <Notice>{done}</Notice> : null}
      {appointed ? (
        <KeyAnswer token={appointed.token} who={t('admin.coordinatorOf', { name: appointed.name, city: appointed.city })} kind="coordinator" />
      ) : null}
      <table>
        <caption className="visually-hidden">{t('admin.cities')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('field.city')}</th>
            <th scope="col">{t('admin.timeZone')}</th>
            <th scope="col">{t('admin.coordinators')}</th>
          </tr>
        </thead>
        <tbody>
          {cities.map((c) => (
            <tr key={c.slug}>
              <th scope="row">
                <Link to={`/cities/${c.slug}`}>{c.name}</Link>
              </th>
              <td>{c.timeZone}</td>
              <td>
                {(c.coordinators ?? []).length === 0 ? t('admin.noCoordinator') : null}
                <ul className="plain">
                  {(c.coordinators ?? []).map((co) => (
                    <li key={co.id}>
                      {co.name} <span className="meta">({formatInstant(locale, co.appointedAt, false)})</span>{' '}
                      <ConfirmAction
                        label={t('admin.dismiss', { name: co.name })}
                        question={t('admin.dismissQuestion', { name: co.name, city: c.name })}
                        confirmLabel={t('admin.dismissConfirm')}
                        danger
                        busy={dismiss.busy}
                        onConfirm={async () => {
                          const { data } = await dismiss.run({ city: c.slug, coordinatorId: co.id });
                          if (data) setDone(t('admin.dismissed', { name: co.name }));
                          return !!data;
                        }}
                      />
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('admin.appoint')}</h3>
      <Form
        scope="appoint"
        label={t('admin.appoint')}
        onSubmit={async () => {
          const problems: Problem[] = [];
          if (!city) problems.push({ field: 'city', message: t('rule.city') });
          if (name.trim() === '' || name.trim().length > 100) problems.push({ field: 'name', message: t('rule.coordinatorName') });
          appoint.setProblems(problems);
          if (problems.length) return;
          const { data } = await appoint.run({ city, name: name.trim() });
          const r = data?.appointCoordinator;
          if (r) {
            setAppointed({ name: r.coordinator.name, city: cities.find((c) => c.slug === city)?.name ?? city, token: r.token ?? null });
            setName('');
          }
        }}
        problems={[...appoint.problems, ...dismiss.problems]}
        submitLabel={t('admin.appointSubmit')}
        busy={appoint.busy}
      >
        <SelectField
          name="city"
          label={t('field.city')}
          value={city}
          onChange={setCity}
          required
          placeholder={t('form.choose')}
          options={cities.map((c) => ({ value: c.slug, label: c.name }))}
          error={forField(appoint.problems, 'city')}
        />
        <TextField
          name="name"
          label={t('admin.coordinatorName')}
          hint={t('admin.coordinatorNameHint')}
          value={name}
          onChange={setName}
          required
          maxLength={100}
          error={forField(appoint.problems, 'name')}
        />
      </Form>
    </section>
  );
}

function OpenCityForm() {
  const t = useT();
  const countries = useCountryOptions();
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const action = useAction(OpenCity);
  const [f, setF] = useState({ slug: '', name: '', timeZone: '', country: '' });
  const [done, setDone] = useState('');
  const p = action.problems;
  return (
    <section aria-labelledby="open-city-title">
      <h2 id="open-city-title">{t('admin.openCity')}</h2>
      {done ? <Notice>{done}</Notice> : null}
      <Form
        scope="city"
        label={t('admin.openCity')}
        onSubmit={async () => {
          const problems: Problem[] = [];
          if (!/^[a-z][a-z0-9-]{1,39}$/.test(f.slug)) problems.push({ field: 'slug', message: t('rule.slug') });
          if (f.name.trim() === '') problems.push({ field: 'name', message: t('rule.cityName') });
          if (!f.timeZone) problems.push({ field: 'timeZone', message: t('rule.timeZone') });
          if (!f.country) problems.push({ field: 'country', message: t('rule.country') });
          action.setProblems(problems);
          if (problems.length) return;
          const { data } = await action.run({ input: { ...f, name: f.name.trim() } });
          if (data) {
            setDone(t('admin.cityOpened', { name: data.openCity.city.name }));
            setF({ slug: '', name: '', timeZone: '', country: '' });
          }
        }}
        problems={p}
        submitLabel={t('admin.openCitySubmit')}
        busy={action.busy}
      >
        <TextField
          name="name"
          label={t('admin.cityName')}
          value={f.name}
          onChange={(v) => setF({ ...f, name: v })}
          required
          error={forField(p, 'name')}
        />
        <TextField
          name="slug"
          label={t('admin.slug')}
          hint={t('admin.slugHint')}
          value={f.slug}
          onChange={(v) => setF({ ...f, slug: v })}
          required
          width="medium"
          error={forField(p, 'slug')}
        />
        <SelectField
          name="timeZone"
          label={t('admin.timeZone')}
          value={f.timeZone}
          onChange={(v) => setF({ ...f, timeZone: v })}
          required
          placeholder={t('form.choose')}
          options={zones.map((z) => ({ value: z, label: z }))}
          error={forField(p, 'timeZone')}
        />
        <SelectField
          name="country"
          label={t('admin.country')}
          value={f.country}
          onChange={(v) => setF({ ...f, country: v })}
          required
          placeholder={t('form.choose')}
          options={countries}
          error={forField(p, 'country')}
        />
      </Form>
    </section>
  );
}

function Calls({
  calls,
}: {
  calls: readonly { id: string; status: string; closesAt: string; title: { en?: string | null; fr?: string | null; es?: string | null } }[];
}) {
  const t = useT();
  const { locale } = useLocale();
  const close = useAction(CloseCall);
  return (
    <section aria-labelledby="calls-title">
      <h2 id="calls-title">{t('nav.calls')}</h2>
      {calls.length === 0 ? <Empty>{t('calls.noneOpen')}</Empty> : null}
      <ul>
        {calls.map((c) => (
          <li key={c.id}>
            <Link to={`/calls/${c.id}`}>
              <Localized text={c.title} />
            </Link>{' '}
            <StatusBadge status={c.status} /> <span className="meta">{t('calls.closes', { when: formatInstant(locale, c.closesAt) })}</span>{' '}
            {c.status !== 'CLOSED' ? (
              <ConfirmAction
                label={t('admin.closeCall')}
                question={t('admin.closeCallQuestion')}
                confirmLabel={t('admin.closeCallConfirm')}
                danger
                busy={close.busy}
                onConfirm={async () => !!(await close.run({ callId: c.id })).data}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** localInputToISO reads a datetime-local value as the admin's own clock time. */
function localInputToISO(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function OpenCallForm() {
  const t = useT();
  const action = useAction(OpenCall);
  const [title, setTitle] = useState(emptyLocalized);
  const [description, setDescription] = useState(emptyLocalized);
  const [themes, setThemes] = useState<string[]>([]);
  const [countries, setCountries] = useState<string[]>([]);
  const [ceiling, setCeiling] = useState({ amount: '', currency: 'EUR' });
  // The envelope in the ceiling's currency (the one proposals request in), and at most one
  // other currency.
  const [envelope, setEnvelope] = useState('');
  const [other, setOther] = useState({ amount: '', currency: '' });
  const [opens, setOpens] = useState('');
  const [closes, setCloses] = useState('');
  const [done, setDone] = useState('');
  const p = action.problems;
  return (
    <section aria-labelledby="open-call-title" id="open-call">
      <h2 id="open-call-title">{t('admin.openCall')}</h2>
      {done ? <Notice>{done}</Notice> : null}
      <Form
        scope="call"
        label={t('admin.openCall')}
        onSubmit={async () => {
          const problems: Problem[] = [];
          const text = (v: typeof title) => ({ en: v.en.trim() || null, fr: v.fr.trim() || null, es: v.es.trim() || null });
          if (!(title.en || title.fr || title.es)) problems.push({ field: 'title', message: t('rule.title') });
          if (!(description.en || description.fr || description.es)) problems.push({ field: 'description', message: t('rule.callDescription') });
          if (themes.length === 0) problems.push({ field: 'themes', message: t('rule.themes') });
          if (countries.length === 0) problems.push({ field: 'eligibleCountries', message: t('rule.eligibleCountries') });
          const amount = parseDecimal(ceiling.amount, 4);
          if (amount === null || amount <= 0n) problems.push({ field: 'budgetCeiling.amount', message: t('rule.budgetCeiling.amount') });
          if (!/^[A-Za-z]{3}$/.test(ceiling.currency.trim()))
            problems.push({ field: 'budgetCeiling.currency', message: t('rule.budgetCeiling.currency') });
          const envelopeAmount = envelope.trim() === '' ? null : parseDecimal(envelope, 4);
          if (envelope.trim() !== '' && (envelopeAmount === null || envelopeAmount <= 0n))
            problems.push({ field: 'envelope.amount', message: t('rule.envelope.amount') });
          if (other.amount.trim() !== '' || other.currency.trim() !== '') {
            const otherAmount = parseDecimal(other.amount, 4);
            if (otherAmount === null || otherAmount <= 0n || !/^[A-Za-z]{3}$/.test(other.currency.trim()) || envelope.trim() === '')
              problems.push({ field: 'envelope', message: t('rule.envelope') });
          }
          const opensAt = localInputToISO(opens);
          const closesAt = localInputToISO(closes);
          if (!opensAt) problems.push({ field: 'opensAt', message: t('rule.opensAt') });
          if (!closesAt) problems.push({ field: 'closesAt', message: t('rule.closesAt') });
          action.setProblems(problems);
          if (problems.length || !opensAt || !closesAt) return;
          const { data } = await action.run({
            input: {
              title: text(title),
              description: text(description),
              themes: themes as Sector[],
              eligibleCountries: countries,
              budgetCeiling: { amount: ceiling.amount.trim().replace(',', '.'), currency: ceiling.currency.trim().toUpperCase() },
              envelope:
                envelope.trim() === ''
                  ? null
                  : [
                      { amount: envelope.trim().replace(',', '.'), currency: ceiling.currency.trim().toUpperCase() },
                      ...(other.amount.trim()
                        ? [{ amount: other.amount.trim().replace(',', '.'), currency: other.currency.trim().toUpperCase() }]
                        : []),
                    ],
              opensAt,
              closesAt,
            },
          });
          if (data) setDone(t('admin.callOpened'));
        }}
        problems={p}
        submitLabel={t('admin.openCallSubmit')}
        busy={action.busy}
      >
        <LocalizedFields
          name="title"
          legend={t('admin.callTitle')}
          hint={t('form.oneLanguage')}
          value={title}
          onChange={setTitle}
          maxLength={200}
          error={forField(p, 'title')}
        />
        <LocalizedFields
          name="description"
          legend={t('field.description')}
          hint={t('form.oneLanguage')}
          value={description}
          onChange={setDescription}
          multiline
          maxLength={5000}
          error={forField(p, 'description')}
        />
        <Checkboxes
          name="themes"
          label={t('call.themes')}
          values={themes}
          onChange={setThemes}
          options={sectors.map((s) => ({ value: s, label: t(`sector.${s}`) }))}
          columns
          required
          error={forField(p, 'themes')}
        />
        <CountriesInput
          name="eligibleCountries"
          label={t('call.countries')}
          values={countries}
          onChange={setCountries}
          required
          error={forField(p, 'eligibleCountries')}
        />
        <div className="row">
          <TextField
            name="budgetCeiling.amount"
            inputMode="decimal"
            label={t('admin.ceiling')}
            value={ceiling.amount}
            onChange={(v) => setCeiling({ ...ceiling, amount: v })}
            required
            width="medium"
            error={forField(p, 'budgetCeiling.amount')}
          />
          <TextField
            name="budgetCeiling.currency"
            label={t('pledges.currency')}
            hint={t('pledges.currencyHint')}
            value={ceiling.currency}
            onChange={(v) => setCeiling({ ...ceiling, currency: v })}
            required
            width="short"
            maxLength={3}
            error={forField(p, 'budgetCeiling.currency')}
          />
        </div>
        <TextField
          name="envelope.amount"
          inputMode="decimal"
          label={t('admin.envelope')}
          hint={t('admin.envelopeHint')}
          value={envelope}
          onChange={setEnvelope}
          width="medium"
          error={forField(p, 'envelope.amount') ?? forField(p, 'envelope')}
        />
        <div className="row">
          <TextField
            name="envelope.other.amount"
            inputMode="decimal"
            label={t('admin.envelopeOther')}
            value={other.amount}
            onChange={(v) => setOther({ ...other, amount: v })}
            width="medium"
          />
          <TextField
            name="envelope.other.currency"
            label={t('pledges.currency')}
            value={other.currency}
            onChange={(v) => setOther({ ...other, currency: v })}
            width="short"
            maxLength={3}
          />
        </div>
        <TextField
          name="opensAt"
          type="datetime-local"
          label={t('call.opens')}
          hint={t('admin.yourClock')}
          value={opens}
          onChange={setOpens}
          required
          error={forField(p, 'opensAt')}
        />
        <TextField
          name="closesAt"
          type="datetime-local"
          label={t('call.closes')}
          hint={t('admin.yourClock')}
          value={closes}
          onChange={setCloses}
          required
          error={forField(p, 'closesAt')}
        />
      </Form>
    </section>
  );
}
