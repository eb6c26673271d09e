// The skills roster: diaspora professionals offering their skills to their countries of
// origin (temporary or virtual return). The public sees the verified experts who
// consented to be shown, never their contact; an expert registers, chooses each use of
// their data, withdraws it or erases themselves; coordinators verify.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { ConfirmAction, ReasonAction } from '../components/actions';
import { Empty, Facts, Loading, Localized, NotFound, Page, QueryFailure, StatusBadge } from '../components/display';
import { Checkboxes, Form, Notice, ProblemSummary, SelectField, TextField } from '../components/form';
import { Registered, signInWith } from '../components/KeyReveal';
import { CountriesInput, LanguagesInput, LocalizedFields, emptyLocalized, useCountryOptions, type LocalizedValue } from '../components/pickers';
import { graphql, type ResultOf } from '../graphql';
import { useLocale, useT } from '../i18n';
import { useAction } from '../lib/action';
import { countryName, languageName } from '../lib/format';
import { forField, type Problem } from '../lib/problems';
import { usePlatform, useViewer } from '../platform';
import { ExpertMatches } from './Requests';

const ExpertFields = graphql(`
  fragment ExpertFields on Expert {
    id
    status
    name
    languages
    originCountries
    residenceCountry
    email
    phone
    consents
    fields {
      code
      name {
        en
        fr
        es
      }
    }
    availability {
      onSite
      remote
      from
      to
      daysPerYear
    }
    bio {
      en
      fr
      es
    }
  }
`);

const RosterQuery = graphql(
  `
    query Roster($field: String, $country: String, $after: String) {
      experts(field: $field, country: $country, first: 30, after: $after) {
        edges {
          node {
            ...ExpertFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [ExpertFields],
);

const ExpertQuery = graphql(
  `
    query Expert($id: ID!) {
      expert(id: $id) {
        ...ExpertFields
      }
      consentWordings {
        purpose
        version
      }
    }
  `,
  [ExpertFields],
);

const FormQuery = graphql(`
  query ExpertForm {
    expertiseFields {
      code
      health
      name {
        en
        fr
        es
      }
    }
    consentWordings {
      purpose
      version
    }
  }
`);

const RegisterExpert = graphql(
  `
    mutation RegisterExpert($input: RegisterExpertInput!, $idempotencyKey: String) {
      registerExpert(input: $input, idempotencyKey: $idempotencyKey) {
        token
        keyWithheld {
          reason
        }
        expert {
          ...ExpertFields
        }
      }
    }
  `,
  [ExpertFields],
);

const ExpertChange = graphql(
  `
    fragment ExpertChange on ExpertPayload {
      expert {
        ...ExpertFields
      }
    }
  `,
  [ExpertFields],
);

const Verify = graphql(
  `
    mutation VerifyExpert($id: ID!, $idempotencyKey: String) {
      verifyExpert(id: $id, idempotencyKey: $idempotencyKey) {
        ...ExpertChange
      }
    }
  `,
  [ExpertChange],
);

const Reject = graphql(
  `
    mutation RejectExpert($id: ID!, $reason: String!, $idempotencyKey: String) {
      rejectExpert(id: $id, reason: $reason, idempotencyKey: $idempotencyKey) {
        ...ExpertChange
      }
    }
  `,
  [ExpertChange],
);

const Give = graphql(
  `
    mutation GiveConsent($expertId: ID!, $purpose: ConsentPurpose!, $wordingVersion: String!, $idempotencyKey: String) {
      giveConsent(expertId: $expertId, purpose: $purpose, wordingVersion: $wordingVersion, idempotencyKey: $idempotencyKey) {
        ...ExpertChange
      }
    }
  `,
  [ExpertChange],
);

const Withdraw = graphql(
  `
    mutation WithdrawConsent($expertId: ID!, $purpose: ConsentPurpose!, $idempotencyKey: String) {
      withdrawConsent(expertId: $expertId, purpose: $purpose, idempotencyKey: $idempotencyKey) {
        ...ExpertChange
      }
    }
  `,
  [ExpertChange],
);

const Erase = graphql(
  `
    mutation EraseExpert($id: ID!, $idempotencyKey: String) {
      eraseExpert(id: $id, idempotencyKey: $idempotencyKey) {
        ...ExpertChange
      }
    }
  `,
  [ExpertChange],
);

type ExpertData = ResultOf<typeof ExpertFields>;
type Purpose = 'PROCESSING' | 'ROSTER' | 'CONTACT';
const purposes: Purpose[] = ['PROCESSING', 'ROSTER', 'CONTACT'];

/** ExpertCard is what the roster shows of an expert. */
function ExpertCard({ x }: { x: ExpertData }) {
  const t = useT();
  const { locale } = useLocale();
  const a = x.availability;
  return (
    <li className="card" data-testid="expert">
      <h3>
        <Link to={`/experts/${x.id}`}>{x.name}</Link>
      </h3>
      <p>{x.fields.map((f) => f.name[locale] || f.name.en).join(' · ')}</p>
      <p className="meta">
        {t('experts.from', {
          countries: x.originCountries.map((c) => countryName(locale, c)).join(', '),
          residence: countryName(locale, x.residenceCountry),
        })}{' '}
        · {x.languages.map((l) => languageName(locale, l)).join(', ')} ·{' '}
        {[a.onSite ? t('experts.onSite') : null, a.remote ? t('experts.remote') : null].filter(Boolean).join(', ')} ·{' '}
        {t('experts.days', { days: a.daysPerYear })}
      </p>
      <Localized text={x.bio} as="p" />
    </li>
  );
}

/** RosterPage is one page of the roster; the last one offers the next. */
function RosterPage({
  field,
  country,
  after,
  onMore,
}: {
  field: string;
  country: string;
  after: string | null;
  onMore: ((cursor: string) => void) | null;
}) {
  const t = useT();
  const [{ data, fetching, error }] = useQuery({ query: RosterQuery, variables: { field: field || null, country: country || null, after } });
  if (error && !data) return <QueryFailure error={error} />;
  if (fetching && !data) return <Loading />;
  const c = data?.experts;
  if (!c) return null;
  if (!after && c.edges.length === 0) return <Empty>{t('experts.none')}</Empty>;
  return (
    <>
      <ul className="cards">
        {c.edges.map((e) => (
          <ExpertCard key={e.node.id} x={e.node} />
        ))}
      </ul>
      {onMore && c.pageInfo.hasNextPage && c.pageInfo.endCursor ? (
        <button type="button" onClick={() => onMore(c.pageInfo.endCursor!)}>
          {t('experts.more')}
        </button>
      ) : null}
    </>
  );
}

const FieldsOnly = graphql(`
  query RosterFields {
    expertiseFields {
      code
      name {
        en
        fr
        es
      }
    }
  }
`);

/** ExpertsRoster is the public roster, filtered by field of expertise and country. */
export function ExpertsRoster() {
  const t = useT();
  const { locale } = useLocale();
  const countries = useCountryOptions();
  const [field, setField] = useState('');
  const [country, setCountry] = useState('');
  const [{ data }] = useQuery({ query: FieldsOnly });
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const choose = (set: (v: string) => void) => (v: string) => {
    set(v);
    setPages([null]);
  };
  return (
    <Page
      title={t('experts.title')}
      lead={t('experts.lead')}
      actions={
        <Link className="button primary" to="/experts/register">
          {t('experts.register')}
        </Link>
      }
    >
      <div className="filters">
        <SelectField
          name="field"
          label={t('experts.field')}
          value={field}
          onChange={choose(setField)}
          placeholder={t('experts.anyField')}
          options={(data?.expertiseFields ?? []).map((f) => ({ value: f.code, label: f.name[locale] || f.name.en || f.code }))}
        />
        <SelectField
          name="country"
          label={t('experts.country')}
          value={country}
          onChange={choose(setCountry)}
          placeholder={t('experts.anyCountry')}
          options={countries}
        />
      </div>
      {pages.map((after, i) => (
        <RosterPage
          key={`${field}/${country}/${after ?? ''}`}
          field={field}
          country={country}
          after={after}
          onMore={i === pages.length - 1 ? (c) => setPages([...pages, c]) : null}
        />
      ))}
    </Page>
  );
}

interface ExpertForm {
  name: string;
  fields: string[];
  languages: string[];
  origins: string[];
  residence: string;
  onSite: boolean;
  remote: boolean;
  from: string;
  to: string;
  days: string;
  bio: LocalizedValue;
  email: string;
  phone: string;
  consents: string[];
}

const emptyForm: ExpertForm = {
  name: '',
  fields: [],
  languages: [],
  origins: [],
  residence: '',
  onSite: false,
  remote: true,
  from: '',
  to: '',
  days: '20',
  bio: emptyLocalized,
  email: '',
  phone: '',
  consents: ['PROCESSING'],
};

/** ExpertRegister is the registration of an expert: their profile, each consent read
 * and chosen, then their key, shown once. */
export function ExpertRegister() {
  const t = useT();
  const { locale } = useLocale();
  const { signIn } = usePlatform();
  const countries = useCountryOptions();
  const [{ data }] = useQuery({ query: FormQuery });
  const [f, setF] = useState<ExpertForm>(emptyForm);
  const action = useAction(RegisterExpert);
  const [done, setDone] = useState<{ id: string | null; name: string; token: string | null } | null>(null);
  const set = (patch: Partial<ExpertForm>) => setF({ ...f, ...patch });
  const submit = async () => {
    const problems: Problem[] = [];
    if (f.name.trim().length < 2) problems.push({ field: 'name', message: t('rule.expertName') });
    if (f.fields.length < 1 || f.fields.length > 5) problems.push({ field: 'fields', message: t('rule.expertFields') });
    if (f.languages.length < 1) problems.push({ field: 'languages', message: t('rule.languages') });
    if (f.origins.length < 1) problems.push({ field: 'origins', message: t('rule.originCountries') });
    if (!f.residence) problems.push({ field: 'residence', message: t('rule.residence') });
    if (!f.onSite && !f.remote) problems.push({ field: 'availability', message: t('rule.availability') });
    if (!/^\d+$/.test(f.days) || Number(f.days) < 1 || Number(f.days) > 365) problems.push({ field: 'days', message: t('rule.days') });
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(f.email.trim())) problems.push({ field: 'email', message: t('rule.email') });
    if (!f.consents.includes('PROCESSING')) problems.push({ field: 'consents', message: t('rule.processing') });
    action.setProblems(problems);
    if (problems.length || !data) return;
    const version = (p: string) => data.consentWordings.find((w) => w.purpose === p)?.version ?? '';
    const { data: res } = await action.run({
      input: {
        profile: {
          name: f.name,
          fields: f.fields,
          languages: f.languages,
          originCountries: f.origins,
          residenceCountry: f.residence,
          availability: { onSite: f.onSite, remote: f.remote, from: f.from || null, to: f.to || null, daysPerYear: Number(f.days) },
          bio: { en: f.bio.en || null, fr: f.bio.fr || null, es: f.bio.es || null },
          email: f.email.trim(),
          phone: f.phone.trim() || null,
        },
        consents: f.consents.map((p) => ({ purpose: p as Purpose, wordingVersion: version(p) })),
      },
    });
    const reg = res?.registerExpert;
    if (!reg) return;
    // A repeat of the registration long after the first answer carries no key, and an
    // anonymous reader does not see the expert.
    if (reg.token) await signInWith(signIn, reg.token);
    setDone({ id: reg.expert?.id ?? null, name: reg.expert?.name ?? f.name.trim(), token: reg.token ?? null });
  };
  if (done) {
    return (
      <Registered
        title={t('expert.doneTitle')}
        notice={t('expert.done', { name: done.name })}
        token={done.token}
        who={done.name}
        to={done.id ? `/experts/${done.id}` : null}
        linkLabel={t('expert.seeProfile')}
      />
    );
  }
  const p = action.problems;
  return (
    <Page title={t('expert.registerTitle')} lead={t('expert.registerLead')}>
      <Form onSubmit={submit} problems={p} submitLabel={t('expert.submit')} busy={action.busy}>
        <TextField name="name" label={t('expert.name')} value={f.name} onChange={(v) => set({ name: v })} required error={forField(p, 'name')} />
        <Checkboxes
          name="fields"
          label={t('expert.fields')}
          hint={t('expert.fieldsHint')}
          values={f.fields}
          onChange={(v) => set({ fields: v })}
          options={(data?.expertiseFields ?? []).map((x) => ({ value: x.code, label: x.name[locale] || x.name.en || x.code }))}
          columns
          required
          error={forField(p, 'fields')}
        />
        <LanguagesInput
          name="languages"
          label={t('expert.languages')}
          values={f.languages}
          onChange={(v) => set({ languages: v })}
          error={forField(p, 'languages')}
        />
        <CountriesInput
          name="origins"
          label={t('expert.origins')}
          values={f.origins}
          onChange={(v) => set({ origins: v })}
          required
          error={forField(p, 'origins')}
        />
        <SelectField
          name="residence"
          label={t('expert.residence')}
          value={f.residence}
          onChange={(v) => set({ residence: v })}
          placeholder={t('form.choose')}
          options={countries}
          required
          error={forField(p, 'residence')}
        />
        <Checkboxes
          name="availability"
          label={t('expert.availability')}
          values={[f.onSite ? 'onSite' : '', f.remote ? 'remote' : ''].filter(Boolean)}
          onChange={(v) => set({ onSite: v.includes('onSite'), remote: v.includes('remote') })}
          options={[
            { value: 'onSite', label: t('experts.onSite') },
            { value: 'remote', label: t('experts.remote') },
          ]}
          required
          error={forField(p, 'availability')}
        />
        <TextField
          name="days"
          type="number"
          min={1}
          max={365}
          width="short"
          label={t('expert.days')}
          value={f.days}
          onChange={(v) => set({ days: v })}
          required
          error={forField(p, 'days')}
        />
        <TextField name="from" type="date" label={t('expert.from')} value={f.from} onChange={(v) => set({ from: v })} />
        <TextField name="to" type="date" label={t('expert.to')} value={f.to} onChange={(v) => set({ to: v })} />
        <LocalizedFields
          name="bio"
          legend={t('expert.bio')}
          hint={t('form.oneLanguage')}
          value={f.bio}
          onChange={(v) => set({ bio: v })}
          multiline
          maxLength={2000}
        />
        <TextField
          name="email"
          type="email"
          label={t('expert.email')}
          value={f.email}
          onChange={(v) => set({ email: v })}
          required
          error={forField(p, 'email')}
        />
        <TextField name="phone" type="tel" label={t('expert.phone')} value={f.phone} onChange={(v) => set({ phone: v })} />
        <Checkboxes
          name="consents"
          label={t('expert.consents')}
          hint={t('expert.consentsHint')}
          values={f.consents}
          onChange={(v) => set({ consents: v })}
          options={purposes.map((x) => ({ value: x, label: t(`consent.${x}`) }))}
          required
          error={forField(p, 'consents')}
        />
      </Form>
    </Page>
  );
}

/** ExpertPage is one expert: their profile as the reader may see it; for the expert,
 * their consents to change and the erasure; for coordinators, the verification. */
export function ExpertPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: ExpertQuery, variables: { id } });
  const [changed, setChanged] = useState<ExpertData | null | undefined>(undefined);
  const [notice, setNotice] = useState('');
  const verify = useAction(Verify);
  const reject = useAction(Reject);
  const give = useAction(Give);
  const withdraw = useAction(Withdraw);
  const erase = useAction(Erase);
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  const x = changed === undefined ? data?.expert : changed;
  if (changed === null) {
    return (
      <Page title={t('expert.erasedTitle')}>
        <Notice>{t('expert.erased')}</Notice>
      </Page>
    );
  }
  if (!x) return <NotFound />;
  const self = viewer?.role === 'EXPERT' && viewer.expert?.id === x.id;
  const moderator = viewer?.role === 'COORDINATOR' || viewer?.role === 'ADMIN';
  const version = (p: string) => data?.consentWordings.find((w) => w.purpose === p)?.version ?? '';
  const after = (res: { data?: { [k: string]: { expert: ExpertData | null } } | null }, message: string) => {
    const payload = res.data ? Object.values(res.data)[0] : undefined;
    if (payload) {
      setChanged(payload.expert);
      setNotice(message);
    }
    return !!payload;
  };
  const a = x.availability;
  return (
    <Page title={x.name} actions={<StatusBadge status={x.status} />}>
      {notice ? <Notice>{notice}</Notice> : null}
      <Facts
        rows={[
          [t('expert.fields'), x.fields.map((f) => f.name[locale] || f.name.en).join(', ')],
          [t('expert.languages'), x.languages.map((l) => languageName(locale, l)).join(', ')],
          [t('expert.origins'), x.originCountries.map((c) => countryName(locale, c)).join(', ')],
          [t('expert.residence'), countryName(locale, x.residenceCountry)],
          [
            t('expert.availability'),
            `${[a.onSite ? t('experts.onSite') : null, a.remote ? t('experts.remote') : null].filter(Boolean).join(', ')} · ${t('experts.days', { days: a.daysPerYear })}`,
          ],
          [t('expert.email'), x.email ?? null],
          [t('expert.phone'), x.phone ?? null],
        ]}
      />
      <Localized text={x.bio} as="div" className="description" />
      {moderator && x.status === 'PENDING' ? (
        <section aria-labelledby="verify-title">
          <h2 id="verify-title">{t('expert.verifyTitle')}</h2>
          <ProblemSummary problems={[...verify.problems, ...reject.problems]} />
          <div className="action-row">
            <button
              type="button"
              className="primary"
              disabled={verify.busy}
              onClick={async () => after(await verify.run({ id: x.id }), t('expert.verified'))}
            >
              {t('expert.verify')}
            </button>
            <ReasonAction
              name="rejectReason"
              label={t('expert.reject')}
              confirmLabel={t('expert.rejectConfirm')}
              reasonLabel={t('expert.rejectReason')}
              danger
              busy={reject.busy}
              problems={reject.problems}
              onConfirm={async (reason) => after(await reject.run({ id: x.id, reason }), t('expert.rejected'))}
            />
          </div>
        </section>
      ) : null}
      {self || moderator ? <ExpertMatches expertId={x.id} /> : null}
      {self ? (
        <section aria-labelledby="consents-title">
          <h2 id="consents-title">{t('expert.consentsTitle')}</h2>
          <p className="hint">{t('expert.consentsNow')}</p>
          <ProblemSummary problems={[...give.problems, ...withdraw.problems, ...erase.problems]} />
          <ul className="consents">
            {purposes
              .filter((p) => p !== 'PROCESSING')
              .map((p) => {
                const given = x.consents?.includes(p) ?? false;
                return (
                  <li key={p} data-testid={`consent-${p}`}>
                    <p>
                      <strong>{t(`consent.${p}`)}</strong> — {given ? t('expert.given') : t('expert.notGiven')}
                    </p>
                    {given ? (
                      <button
                        type="button"
                        disabled={withdraw.busy}
                        onClick={async () => after(await withdraw.run({ expertId: x.id, purpose: p }), t('expert.withdrawn'))}
                      >
                        {t('expert.withdraw')}
                      </button>
                    ) : (
                      <button
                        type="button"
                        disabled={give.busy}
                        onClick={async () => after(await give.run({ expertId: x.id, purpose: p, wordingVersion: version(p) }), t('expert.consented'))}
                      >
                        {t('expert.give')}
                      </button>
                    )}
                  </li>
                );
              })}
          </ul>
          <h3>{t('expert.eraseTitle')}</h3>
          <p className="hint">{t('expert.eraseHint')}</p>
          <ConfirmAction
            label={t('expert.erase')}
            question={t('expert.eraseQuestion')}
            confirmLabel={t('expert.eraseConfirm')}
            danger
            busy={erase.busy}
            onConfirm={async () => after(await erase.run({ id: x.id }), t('expert.erased'))}
          />
        </section>
      ) : null}
    </Page>
  );
}
