// Institutions of countries of origin — ministries, public agencies, universities,
// hospitals, companies — that ask the diaspora for expertise. Anyone registers one and
// gets its key once; an admin verifies it before it posts requests.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { ReasonAction } from '../components/actions';
import { Empty, Facts, Loading, Localized, NotFound, Page, QueryFailure, StatusBadge } from '../components/display';
import { Form, Notice, ProblemSummary, SelectField, TextField } from '../components/form';
import { Registered, signInWith } from '../components/KeyReveal';
import { LocalizedFields, emptyLocalized, useCountryOptions, type LocalizedValue } from '../components/pickers';
import { graphql, type ResultOf } from '../graphql';
import { useLocale, useT } from '../i18n';
import { useAction } from '../lib/action';
import { countryName } from '../lib/format';
import type { Locale } from '../i18n/locale';
import { forField, type Problem } from '../lib/problems';
import { usePlatform, useViewer } from '../platform';
import { RequestList } from './Requests';

/** nativeNames name each language in itself, as a reader looks for their own. */
const nativeNames: Record<Locale, string> = { en: 'English', fr: 'Français', es: 'Español' };

export const institutionKinds = ['MINISTRY', 'PUBLIC_AGENCY', 'UNIVERSITY', 'HOSPITAL', 'COMPANY'] as const;

const InstitutionFields = graphql(`
  fragment InstitutionFields on Institution {
    id
    name
    kind
    country
    website
    status
    email
    rejectionReason
    description {
      en
      fr
      es
    }
  }
`);

const InstitutionQuery = graphql(
  `
    query Institution($id: ID!) {
      institution(id: $id) {
        ...InstitutionFields
      }
    }
  `,
  [InstitutionFields],
);

const RegisterInstitution = graphql(
  `
    mutation RegisterInstitution($input: InstitutionInput!, $idempotencyKey: String) {
      registerInstitution(input: $input, idempotencyKey: $idempotencyKey) {
        token
        keyWithheld {
          reason
        }
        institution {
          ...InstitutionFields
        }
      }
    }
  `,
  [InstitutionFields],
);

const VerifyInstitution = graphql(
  `
    mutation VerifyInstitution($id: ID!, $idempotencyKey: String) {
      verifyInstitution(id: $id, idempotencyKey: $idempotencyKey) {
        institution {
          ...InstitutionFields
        }
      }
    }
  `,
  [InstitutionFields],
);

const RejectInstitution = graphql(
  `
    mutation RejectInstitution($id: ID!, $reason: String!, $idempotencyKey: String) {
      rejectInstitution(id: $id, reason: $reason, idempotencyKey: $idempotencyKey) {
        institution {
          ...InstitutionFields
        }
      }
    }
  `,
  [InstitutionFields],
);

const PendingInstitutionsQuery = graphql(`
  query PendingInstitutions {
    institutions(status: PENDING) {
      id
      name
      kind
      country
    }
  }
`);

type InstitutionData = ResultOf<typeof InstitutionFields>;

interface InstitutionForm {
  language: string;
  name: string;
  kind: string;
  country: string;
  website: string;
  email: string;
  description: LocalizedValue;
}

/** InstitutionRegister registers an institution, then shows its key once. */
export function InstitutionRegister() {
  const t = useT();
  const { locale } = useLocale();
  const { signIn } = usePlatform();
  const countries = useCountryOptions();
  const [f, setF] = useState<InstitutionForm>({
    language: locale.toUpperCase(),
    name: '',
    kind: '',
    country: '',
    website: '',
    email: '',
    description: emptyLocalized,
  });
  const action = useAction(RegisterInstitution);
  const [done, setDone] = useState<{ id: string | null; name: string; token: string | null } | null>(null);
  const set = (patch: Partial<InstitutionForm>) => setF({ ...f, ...patch });
  const submit = async () => {
    const problems: Problem[] = [];
    if (f.name.trim().length < 2) problems.push({ field: 'name', message: t('rule.name') });
    if (!f.kind) problems.push({ field: 'kind', message: t('rule.institutionKind') });
    if (!f.country) problems.push({ field: 'country', message: t('rule.country') });
    if (f.website.trim() && !/^https?:\/\/\S+\.\S+/.test(f.website.trim())) problems.push({ field: 'website', message: t('rule.website') });
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(f.email.trim())) problems.push({ field: 'email', message: t('rule.email') });
    action.setProblems(problems);
    if (problems.length) return;
    const { data } = await action.run({
      input: {
        name: f.name,
        kind: f.kind as (typeof institutionKinds)[number],
        country: f.country,
        website: f.website.trim() || null,
        email: f.email.trim(),
        description: { en: f.description.en || null, fr: f.description.fr || null, es: f.description.es || null },
        language: f.language as 'EN' | 'FR' | 'ES',
      },
    });
    const reg = data?.registerInstitution;
    if (!reg) return;
    // A repeat of the registration long after the first answer carries no key, and an
    // anonymous reader does not see the institution.
    if (reg.token) await signInWith(signIn, reg.token);
    setDone({ id: reg.institution?.id ?? null, name: reg.institution?.name ?? f.name.trim(), token: reg.token ?? null });
  };
  if (done) {
    return (
      <Registered
        title={t('institution.doneTitle')}
        notice={t('institution.done', { name: done.name })}
        token={done.token}
        who={done.name}
        to={done.id ? `/institutions/${done.id}` : null}
        linkLabel={t('institution.see')}
      />
    );
  }
  const p = action.problems;
  return (
    <Page title={t('institution.registerTitle')} lead={t('institution.registerLead')}>
      <Form onSubmit={submit} problems={p} submitLabel={t('institution.submit')} busy={action.busy}>
        <TextField name="name" label={t('institution.name')} value={f.name} onChange={(v) => set({ name: v })} required error={forField(p, 'name')} />
        <SelectField
          name="kind"
          label={t('institution.kind')}
          value={f.kind}
          onChange={(v) => set({ kind: v })}
          placeholder={t('form.choose')}
          options={institutionKinds.map((k) => ({ value: k, label: t(`institutionKind.${k}`) }))}
          required
          error={forField(p, 'kind')}
        />
        <SelectField
          name="country"
          label={t('institution.country')}
          value={f.country}
          onChange={(v) => set({ country: v })}
          placeholder={t('form.choose')}
          options={countries}
          required
          error={forField(p, 'country')}
        />
        <TextField
          name="website"
          type="url"
          label={t('institution.website')}
          value={f.website}
          onChange={(v) => set({ website: v })}
          error={forField(p, 'website')}
        />
        <TextField
          name="email"
          type="email"
          label={t('institution.email')}
          hint={t('institution.emailHint')}
          value={f.email}
          onChange={(v) => set({ email: v })}
          required
          error={forField(p, 'email')}
        />
        <SelectField
          name="language"
          label={t('institution.language')}
          value={f.language}
          onChange={(v) => set({ language: v })}
          options={(['EN', 'FR', 'ES'] as const).map((l) => ({ value: l, label: nativeNames[l.toLowerCase() as Locale] }))}
          required
        />
        <LocalizedFields
          name="description"
          legend={t('institution.description')}
          hint={t('form.oneLanguage')}
          value={f.description}
          onChange={(v) => set({ description: v })}
          multiline
          maxLength={2000}
        />
      </Form>
    </Page>
  );
}

/** InstitutionPage is one institution and its requests; admins verify it here. */
export function InstitutionPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: InstitutionQuery, variables: { id } });
  const [changed, setChanged] = useState<InstitutionData | null>(null);
  const [notice, setNotice] = useState('');
  const verify = useAction(VerifyInstitution);
  const reject = useAction(RejectInstitution);
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  const x = changed ?? data?.institution;
  if (!x) return <NotFound />;
  const admin = viewer?.role === 'ADMIN';
  const self = viewer?.role === 'INSTITUTION' && viewer.institution?.id === x.id;
  return (
    <Page
      title={x.name}
      actions={
        <>
          <StatusBadge status={x.status} />
          {self && x.status === 'VERIFIED' ? (
            <Link className="button primary" to="/requests/new">
              {t('requests.post')}
            </Link>
          ) : null}
        </>
      }
    >
      {notice ? <Notice>{notice}</Notice> : null}
      {self && x.status === 'PENDING' ? <Notice kind="info">{t('institution.awaiting')}</Notice> : null}
      <Facts
        rows={[
          [t('institution.kind'), t(`institutionKind.${x.kind}`)],
          [t('institution.country'), countryName(locale, x.country)],
          [t('institution.website'), x.website ? <a href={x.website}>{x.website}</a> : null],
          [t('institution.email'), x.email ?? null],
          [t('institution.rejectionReason'), x.rejectionReason ?? null],
        ]}
      />
      <Localized text={x.description} as="div" className="description" />
      {admin && x.status === 'PENDING' ? (
        <section aria-labelledby="verify-title">
          <h2 id="verify-title">{t('expert.verifyTitle')}</h2>
          <ProblemSummary problems={[...verify.problems, ...reject.problems]} />
          <div className="action-row">
            <button
              type="button"
              className="primary"
              disabled={verify.busy}
              onClick={async () => {
                const { data: res } = await verify.run({ id: x.id });
                if (res?.verifyInstitution.institution) {
                  setChanged(res.verifyInstitution.institution);
                  setNotice(t('institution.verified'));
                }
              }}
            >
              {t('institution.verify')}
            </button>
            <ReasonAction
              name="rejectReason"
              label={t('expert.reject')}
              confirmLabel={t('institution.rejectConfirm')}
              reasonLabel={t('institution.rejectReason')}
              danger
              busy={reject.busy}
              problems={reject.problems}
              onConfirm={async (reason) => {
                const { data: res } = await reject.run({ id: x.id, reason });
                if (res?.rejectInstitution.institution) {
                  setChanged(res.rejectInstitution.institution);
                  setNotice(t('institution.rejected'));
                }
                return !!res;
              }}
            />
          </div>
        </section>
      ) : null}
      {x.status === 'VERIFIED' || self || admin ? (
        <section aria-labelledby="requests-title">
          <h2 id="requests-title">{t('institution.requests')}</h2>
          <RequestList institutionId={x.id} />
        </section>
      ) : null}
    </Page>
  );
}

/** PendingInstitutions is the admins' queue of institutions to verify, each verified on
 * its own page. */
export function PendingInstitutions() {
  const t = useT();
  const { locale } = useLocale();
  const [{ data, error }] = useQuery({ query: PendingInstitutionsQuery, requestPolicy: 'cache-and-network' });
  return (
    <section aria-labelledby="pending-institutions-title">
      <h2 id="pending-institutions-title">{t('admin.pendingInstitutions')}</h2>
      {error && !data ? <QueryFailure error={error} /> : null}
      {data && data.institutions.length === 0 ? <Empty>{t('admin.noPendingInstitutions')}</Empty> : null}
      <ul>
        {data?.institutions.map((i) => (
          <li key={i.id}>
            <Link to={`/institutions/${i.id}`}>{i.name}</Link> — {t(`institutionKind.${i.kind}`)}, {countryName(locale, i.country)}
          </li>
        ))}
      </ul>
    </section>
  );
}
