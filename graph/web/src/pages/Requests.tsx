// Requests for expertise: an institution of a country of origin posts terms of
// reference; coordinators propose the experts the matching ranks, with its reasons; the
// expert accepts or declines; the institution confirms. The institution sees an expert
// only once they accepted, and their contact only while they consent to it.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { ConfirmAction, ReasonAction } from '../components/actions';
import { Empty, Facts, Loading, NotFound, Page, QueryFailure, StatusBadge } from '../components/display';
import { Checkboxes, Form, Notice, ProblemSummary, Radios, SelectField, TextArea, TextField } from '../components/form';
import { LanguagesInput, useCountryOptions } from '../components/pickers';
import { graphql, type ResultOf } from '../graphql';
import { useLocale, useT, type Translate } from '../i18n';
import type { Locale } from '../i18n/locale';
import { useAction } from '../lib/action';
import { countryName, languageName } from '../lib/format';
import { forField, type Problem } from '../lib/problems';
import { useViewer } from '../platform';

const modes = ['ON_SITE', 'REMOTE', 'EITHER'] as const;
type Mode = (typeof modes)[number];

const RequestFields = graphql(`
  fragment RequestFields on ExpertiseRequest {
    id
    title
    termsOfReference
    languages
    mode
    from
    to
    country
    expertsNeeded
    status
    cancellationReason
    awaitingAnswers
    confirmed
    fields {
      code
      name {
        en
        fr
        es
      }
    }
    institution {
      id
      name
    }
  }
`);

const RequestsQuery = graphql(
  `
    query ExpertiseRequests($first: Int, $after: String, $filter: ExpertiseRequestFilter) {
      expertiseRequests(first: $first, after: $after, filter: $filter) {
        edges {
          node {
            ...RequestFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [RequestFields],
);

const MatchFields = graphql(`
  fragment MatchFields on ExpertMatch {
    status
    score
    declinedBy
    expert {
      id
      name
      email
      phone
      languages
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

const RequestDetail = graphql(
  `
    fragment RequestDetail on ExpertiseRequest {
      ...RequestFields
      matches {
        ...MatchFields
      }
    }
  `,
  [RequestFields, MatchFields],
);

const RequestQuery = graphql(
  `
    query ExpertiseRequest($id: ID!) {
      expertiseRequest(id: $id) {
        ...RequestDetail
      }
    }
  `,
  [RequestDetail],
);

const CandidatesQuery = graphql(`
  query Candidates($id: ID!) {
    expertiseRequest(id: $id) {
      id
      candidates(first: 20) {
        score
        expert {
          id
          name
          languages
          originCountries
          residenceCountry
        }
        reasons {
          criterion
          points
          max
          matched
        }
      }
    }
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

const FieldsQuery = graphql(`
  query RequestForm {
    expertiseFields {
      code
      name {
        en
        fr
        es
      }
    }
    viewer {
      institution {
        id
        country
        status
      }
    }
  }
`);

const Payload = graphql(
  `
    fragment RequestPayload on ExpertiseRequestPayload {
      expertiseRequest {
        ...RequestDetail
      }
    }
  `,
  [RequestDetail],
);

const Draft = graphql(
  `
    mutation DraftExpertiseRequest($input: ExpertiseRequestInput!, $idempotencyKey: String) {
      draftExpertiseRequest(input: $input, idempotencyKey: $idempotencyKey) {
        ...RequestPayload
      }
    }
  `,
  [Payload],
);

const Open = graphql(
  `
    mutation OpenExpertiseRequest($id: ID!, $idempotencyKey: String) {
      openExpertiseRequest(id: $id, idempotencyKey: $idempotencyKey) {
        ...RequestPayload
      }
    }
  `,
  [Payload],
);

const Close = graphql(
  `
    mutation CloseExpertiseRequest($id: ID!, $idempotencyKey: String) {
      closeExpertiseRequest(id: $id, idempotencyKey: $idempotencyKey) {
        ...RequestPayload
      }
    }
  `,
  [Payload],
);

const Cancel = graphql(
  `
    mutation CancelExpertiseRequest($id: ID!, $reason: String!, $idempotencyKey: String) {
      cancelExpertiseRequest(id: $id, reason: $reason, idempotencyKey: $idempotencyKey) {
        ...RequestPayload
      }
    }
  `,
  [Payload],
);

const Propose = graphql(
  `
    mutation ProposeExpert($requestId: ID!, $expertId: ID!, $idempotencyKey: String) {
      proposeExpert(requestId: $requestId, expertId: $expertId, idempotencyKey: $idempotencyKey) {
        ...RequestPayload
      }
    }
  `,
  [Payload],
);

const Accept = graphql(
  `
    mutation AcceptMatch($requestId: ID!, $idempotencyKey: String) {
      acceptMatch(requestId: $requestId, idempotencyKey: $idempotencyKey) {
        ...RequestPayload
      }
    }
  `,
  [Payload],
);

const Decline = graphql(
  `
    mutation DeclineMatch($requestId: ID!, $expertId: ID!, $idempotencyKey: String) {
      declineMatch(requestId: $requestId, expertId: $expertId, idempotencyKey: $idempotencyKey) {
        ...RequestPayload
      }
    }
  `,
  [Payload],
);

const Confirm = graphql(
  `
    mutation ConfirmMatch($requestId: ID!, $expertId: ID!, $idempotencyKey: String) {
      confirmMatch(requestId: $requestId, expertId: $expertId, idempotencyKey: $idempotencyKey) {
        ...RequestPayload
      }
    }
  `,
  [Payload],
);

type RequestData = ResultOf<typeof RequestFields>;
type Detail = ResultOf<typeof RequestDetail>;
type Named = { name: { en: string | null; fr: string | null; es: string | null } };

const nameIn = (locale: Locale, f: Named) => f.name[locale] || f.name.en || '';

function dates(locale: Locale, from: string, to: string) {
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return fmt.formatRange(new Date(from + 'T00:00:00Z'), new Date(to + 'T00:00:00Z'));
}

/** RequestCard is a request as a listing shows it. */
function RequestCard({ r }: { r: RequestData }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <li className="card" data-testid="expertise-request">
      <h3>
        <Link to={`/requests/${r.id}`}>{r.title}</Link> <StatusBadge status={r.status} />
      </h3>
      <p>{r.fields.map((f) => nameIn(locale, f)).join(' · ')}</p>
      <p className="meta">
        {r.institution?.name ? `${r.institution.name} · ` : ''}
        {countryName(locale, r.country)} · {t(`mode.${r.mode}`)} · {dates(locale, r.from, r.to)} · {t('requests.experts', { count: r.expertsNeeded })}
      </p>
    </li>
  );
}

type RequestStatus = 'DRAFT' | 'OPEN' | 'MATCHED' | 'CLOSED' | 'CANCELLED';
type Filter = { status?: RequestStatus; country?: string; field?: string; institutionId?: string };

/** RequestListPage is one page of a listing; the last one offers the next. */
function RequestListPage({ filter, after, onMore }: { filter: Filter; after: string | null; onMore: ((cursor: string) => void) | null }) {
  const t = useT();
  const [{ data, fetching, error }] = useQuery({ query: RequestsQuery, variables: { first: 20, after, filter }, requestPolicy: 'cache-and-network' });
  if (error && !data) return <QueryFailure error={error} />;
  if (fetching && !data) return <Loading />;
  const c = data?.expertiseRequests;
  if (!c) return null;
  if (!after && c.edges.length === 0) return <Empty>{t('requests.none')}</Empty>;
  return (
    <>
      <ul className="cards">
        {c.edges.map((e) => (
          <RequestCard key={e.node.id} r={e.node} />
        ))}
      </ul>
      {onMore && c.pageInfo.hasNextPage && c.pageInfo.endCursor ? (
        <button type="button" onClick={() => onMore(c.pageInfo.endCursor!)}>
          {t('requests.more')}
        </button>
      ) : null}
    </>
  );
}

/** RequestList lists requests, page after page. */
export function RequestList({ institutionId, filter = {} }: { institutionId?: string; filter?: Filter }) {
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const f = institutionId ? { ...filter, institutionId } : filter;
  const key = JSON.stringify(f);
  const [shownFor, setShownFor] = useState(key);
  if (shownFor !== key) {
    setShownFor(key);
    setPages([null]);
  }
  return (
    <>
      {pages.map((after, i) => (
        <RequestListPage key={after ?? 'first'} filter={f} after={after} onMore={i === pages.length - 1 ? (c) => setPages([...pages, c]) : null} />
      ))}
    </>
  );
}

/** RequestsPage is the public listing of requests for expertise, with filters. */
export function RequestsPage() {
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const countries = useCountryOptions();
  const [{ data }] = useQuery({ query: FieldsQuery });
  const [field, setField] = useState('');
  const [country, setCountry] = useState('');
  const [status, setStatus] = useState<RequestStatus | ''>('');
  const filter: Filter = {};
  if (field) filter.field = field;
  if (country) filter.country = country;
  if (status) filter.status = status;
  return (
    <Page
      title={t('requests.title')}
      lead={t('requests.lead')}
      actions={
        viewer?.role === 'INSTITUTION' ? (
          <Link className="button primary" to="/requests/new">
            {t('requests.post')}
          </Link>
        ) : viewer?.role === 'ANONYMOUS' ? (
          <Link className="button" to="/institutions/register">
            {t('requests.registerInstitution')}
          </Link>
        ) : null
      }
    >
      <div className="filters">
        <SelectField
          name="field"
          label={t('experts.field')}
          value={field}
          onChange={setField}
          placeholder={t('experts.anyField')}
          options={(data?.expertiseFields ?? []).map((f) => ({ value: f.code, label: nameIn(locale, f) || f.code }))}
        />
        <SelectField
          name="country"
          label={t('requests.country')}
          value={country}
          onChange={setCountry}
          placeholder={t('experts.anyCountry')}
          options={countries}
        />
        <SelectField
          name="status"
          label={t('requests.status')}
          value={status}
          onChange={(v) => setStatus(v as RequestStatus | '')}
          placeholder={t('requests.anyStatus')}
          options={(['OPEN', 'MATCHED', 'CLOSED', 'CANCELLED'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
      </div>
      <RequestList filter={filter} />
    </Page>
  );
}

interface TermsForm {
  title: string;
  tor: string;
  fields: string[];
  languages: string[];
  mode: string;
  from: string;
  to: string;
  country: string;
  experts: string;
}

/** NewRequest is the institution's form for a new request, saved as a draft. */
export function NewRequest() {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const countries = useCountryOptions();
  const [{ data }] = useQuery({ query: FieldsQuery });
  const inst = data?.viewer.institution;
  const [f, setF] = useState<TermsForm>({
    title: '',
    tor: '',
    fields: [],
    languages: [],
    mode: 'EITHER',
    from: '',
    to: '',
    country: '',
    experts: '1',
  });
  const action = useAction(Draft);
  const set = (patch: Partial<TermsForm>) => setF({ ...f, ...patch });
  if (data && !inst) {
    return (
      <Page title={t('requests.newTitle')}>
        <Notice kind="info">{t('requests.institutionsOnly')}</Notice>
        <p>
          <Link to="/institutions/register">{t('requests.registerInstitution')}</Link>
        </p>
      </Page>
    );
  }
  const country = f.country || inst?.country || '';
  const submit = async () => {
    const problems: Problem[] = [];
    if (f.title.trim().length < 5) problems.push({ field: 'title', message: t('rule.requestTitle') });
    if (f.tor.trim().length < 20) problems.push({ field: 'termsOfReference', message: t('rule.termsOfReference') });
    if (f.fields.length < 1 || f.fields.length > 5) problems.push({ field: 'fields', message: t('rule.expertFields') });
    if (!f.from) problems.push({ field: 'from', message: t('rule.from') });
    if (!f.to || (f.from && f.to < f.from)) problems.push({ field: 'to', message: t('rule.to') });
    if (!country) problems.push({ field: 'country', message: t('rule.country') });
    if (!/^\d+$/.test(f.experts) || Number(f.experts) < 1 || Number(f.experts) > 10) problems.push({ field: 'experts', message: t('rule.experts') });
    action.setProblems(problems);
    if (problems.length) return;
    const { data: res } = await action.run({
      input: {
        title: f.title,
        termsOfReference: f.tor,
        fields: f.fields,
        languages: f.languages,
        mode: f.mode as Mode,
        from: f.from,
        to: f.to,
        country,
        expertsNeeded: Number(f.experts),
      },
    });
    const id = res?.draftExpertiseRequest.expertiseRequest?.id;
    if (id) navigate(`/requests/${id}`);
  };
  const p = action.problems;
  return (
    <Page title={t('requests.newTitle')} lead={t('requests.newLead')}>
      {inst && inst.status !== 'VERIFIED' ? <Notice kind="warning">{t('institution.awaiting')}</Notice> : null}
      <Form onSubmit={submit} problems={p} submitLabel={t('requests.saveDraft')} busy={action.busy}>
        <TextField
          name="title"
          label={t('requests.titleField')}
          value={f.title}
          onChange={(v) => set({ title: v })}
          required
          error={forField(p, 'title')}
        />
        <TextArea
          name="termsOfReference"
          label={t('requests.tor')}
          hint={t('requests.torHint')}
          value={f.tor}
          onChange={(v) => set({ tor: v })}
          rows={8}
          maxLength={10000}
          required
          error={forField(p, 'termsOfReference')}
        />
        <Checkboxes
          name="fields"
          label={t('requests.fields')}
          values={f.fields}
          onChange={(v) => set({ fields: v })}
          options={(data?.expertiseFields ?? []).map((x) => ({ value: x.code, label: nameIn(locale, x) || x.code }))}
          columns
          required
          error={forField(p, 'fields')}
        />
        <LanguagesInput
          name="languages"
          label={t('requests.languages')}
          values={f.languages}
          onChange={(v) => set({ languages: v })}
          error={forField(p, 'languages')}
        />
        <Radios
          name="mode"
          label={t('requests.mode')}
          value={f.mode}
          onChange={(v) => set({ mode: v })}
          options={modes.map((m) => ({ value: m, label: t(`mode.${m}`) }))}
          inline
          required
        />
        <TextField
          name="from"
          type="date"
          label={t('requests.from')}
          value={f.from}
          onChange={(v) => set({ from: v })}
          required
          error={forField(p, 'from')}
        />
        <TextField name="to" type="date" label={t('requests.to')} value={f.to} onChange={(v) => set({ to: v })} required error={forField(p, 'to')} />
        <SelectField
          name="country"
          label={t('requests.country')}
          value={country}
          onChange={(v) => set({ country: v })}
          placeholder={t('form.choose')}
          options={countries}
          required
          error={forField(p, 'country')}
        />
        <TextField
          name="experts"
          type="number"
          min={1}
          max={10}
          width="short"
          label={t('requests.expertsNeeded')}
          value={f.experts}
          onChange={(v) => set({ experts: v })}
          required
          error={forField(p, 'experts')}
        />
      </Form>
    </Page>
  );
}

function reasonText(
  t: Translate,
  locale: Locale,
  fields: readonly ({ code: string } & Named)[],
  r: { criterion: string; matched: readonly string[] },
) {
  return r.matched
    .map((m) => {
      switch (r.criterion) {
        case 'EXPERTISE': {
          const f = fields.find((x) => x.code === m);
          return f ? nameIn(locale, f) : m;
        }
        case 'LANGUAGES':
          return languageName(locale, m);
        case 'COUNTRY':
          return t(`match.${m as 'ORIGIN' | 'RESIDENCE'}`);
        default:
          return m === 'DATES' ? t('match.DATES') : t(`mode.${m as Mode}`);
      }
    })
    .join(', ');
}

/** Candidates is the matching's ranking for an open request, with a Propose button for
 * each: coordinators and admins. */
function Candidates({ id, onProposed }: { id: string; onProposed: (d: Detail) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [{ data, fetching, error }, refetch] = useQuery({ query: CandidatesQuery, variables: { id }, requestPolicy: 'network-only' });
  const propose = useAction(Propose);
  if (error && !data) return <QueryFailure error={error} />;
  if (fetching && !data) return <Loading />;
  const list = data?.expertiseRequest?.candidates ?? [];
  return (
    <section aria-labelledby="candidates-title">
      <h2 id="candidates-title">{t('requests.candidates')}</h2>
      <p className="hint">{t('requests.scoreHint')}</p>
      <ProblemSummary problems={propose.problems} />
      {list.length === 0 ? <Empty>{t('requests.noCandidates')}</Empty> : null}
      <ol className="cards">
        {list.map((c) => (
          <li key={c.expert.id} className="card" data-testid="candidate">
            <h3>
              <Link to={`/experts/${c.expert.id}`}>{c.expert.name}</Link> — {t('requests.score', { score: c.score })}
            </h3>
            <ul className="reasons">
              {c.reasons.map((r) => (
                <li key={r.criterion}>
                  {t(`criterion.${r.criterion}`)}: {r.points}/{r.max}
                  {r.matched.length ? ` (${reasonText(t, locale, data?.expertiseFields ?? [], r)})` : ''}
                </li>
              ))}
            </ul>
            <button
              type="button"
              className="primary"
              disabled={propose.busy}
              onClick={async () => {
                const { data: res } = await propose.run({ requestId: id, expertId: c.expert.id });
                const d = res?.proposeExpert.expertiseRequest;
                if (d) {
                  onProposed(d);
                  refetch({ requestPolicy: 'network-only' });
                }
              }}
            >
              {t('requests.propose', { name: c.expert.name })}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** RequestPage is one request: its terms, and what the reader may do with it. */
export function RequestPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: RequestQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const [changed, setChanged] = useState<Detail | null>(null);
  const [notice, setNotice] = useState('');
  const open = useAction(Open);
  const close = useAction(Close);
  const cancel = useAction(Cancel);
  const accept = useAction(Accept);
  const decline = useAction(Decline);
  const confirm = useAction(Confirm);
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  const r = changed ?? data?.expertiseRequest;
  if (!r) return <NotFound />;
  const role = viewer?.role;
  const owner = role === 'INSTITUTION' && viewer?.institution?.id === r.institution?.id;
  const moderator = role === 'COORDINATOR' || role === 'ADMIN';
  const expertId = role === 'EXPERT' ? viewer?.expert?.id : undefined;
  const done = (payload: { expertiseRequest: Detail | null } | undefined, message: string) => {
    if (payload?.expertiseRequest) {
      setChanged(payload.expertiseRequest);
      setNotice(message);
      return true;
    }
    return false;
  };
  const finished = r.status === 'CLOSED' || r.status === 'CANCELLED';
  return (
    <Page title={r.title} actions={<StatusBadge status={r.status} />}>
      {notice ? <Notice>{notice}</Notice> : null}
      <Facts
        rows={[
          [t('requests.institution'), r.institution ? <Link to={`/institutions/${r.institution.id}`}>{r.institution.name}</Link> : null],
          [t('requests.fields'), r.fields.map((f) => nameIn(locale, f)).join(', ')],
          [t('requests.languages'), r.languages.map((l) => languageName(locale, l)).join(', ')],
          [t('requests.mode'), t(`mode.${r.mode}`)],
          [t('requests.dates'), dates(locale, r.from, r.to)],
          [t('requests.country'), countryName(locale, r.country)],
          [t('requests.expertsNeeded'), String(r.expertsNeeded)],
          [t('requests.progress'), t('requests.progressValue', { awaiting: r.awaitingAnswers, confirmed: r.confirmed })],
          [t('requests.cancellationReason'), r.cancellationReason ?? null],
        ]}
      />
      <h2>{t('requests.tor')}</h2>
      <div className="description">
        {r.termsOfReference.split('\n').map((line, i) => (
          <p key={i}>{line}</p>
        ))}
      </div>
      <ProblemSummary
        problems={[...open.problems, ...close.problems, ...cancel.problems, ...accept.problems, ...decline.problems, ...confirm.problems]}
      />
      {(owner || role === 'ADMIN') && !finished ? (
        <div className="action-row">
          {owner && r.status === 'DRAFT' ? (
            <button
              type="button"
              className="primary"
              disabled={open.busy}
              onClick={async () => done((await open.run({ id: r.id })).data?.openExpertiseRequest, t('requests.opened'))}
            >
              {t('requests.open')}
            </button>
          ) : null}
          {r.status === 'MATCHED' ? (
            <ConfirmAction
              label={t('requests.close')}
              question={t('requests.closeQuestion')}
              confirmLabel={t('requests.closeConfirm')}
              busy={close.busy}
              onConfirm={async () => done((await close.run({ id: r.id })).data?.closeExpertiseRequest, t('requests.closed'))}
            />
          ) : null}
          <ReasonAction
            name="cancelReason"
            label={t('requests.cancel')}
            confirmLabel={t('requests.cancelConfirm')}
            reasonLabel={t('requests.cancelReason')}
            danger
            busy={cancel.busy}
            problems={cancel.problems}
            onConfirm={async (reason) => done((await cancel.run({ id: r.id, reason })).data?.cancelExpertiseRequest, t('requests.cancelled'))}
          />
        </div>
      ) : null}
      {owner || moderator || expertId ? (
        <section aria-labelledby="matches-title">
          <h2 id="matches-title">{expertId ? t('requests.yourMatch') : t('requests.matches')}</h2>
          {owner && r.awaitingAnswers > 0 ? <p className="hint">{t('requests.awaitingHint', { count: r.awaitingAnswers })}</p> : null}
          {r.matches.length === 0 ? <Empty>{t('requests.noMatches')}</Empty> : null}
          <ul className="cards">
            {r.matches.map((m, i) => (
              <li key={m.expert?.id ?? i} className="card" data-testid="match">
                <h3>
                  {m.expert ? moderator ? <Link to={`/experts/${m.expert.id}`}>{m.expert.name}</Link> : m.expert.name : t('requests.erasedExpert')}{' '}
                  <StatusBadge status={m.status} />
                </h3>
                {m.expert ? <p>{m.expert.fields.map((f) => nameIn(locale, f)).join(' · ')}</p> : null}
                <p className="meta">
                  {t('requests.score', { score: m.score })}
                  {m.declinedBy ? ` · ${t(`declinedBy.${m.declinedBy}`)}` : ''}
                </p>
                {owner && m.expert && (m.status === 'ACCEPTED' || m.status === 'CONFIRMED') ? (
                  m.expert.email ? (
                    <p data-testid="contact">
                      {t('requests.contact')}: <a href={`mailto:${m.expert.email}`}>{m.expert.email}</a>
                      {m.expert.phone ? ` · ${m.expert.phone}` : ''}
                    </p>
                  ) : (
                    <p className="hint">{t('requests.noContactConsent')}</p>
                  )
                ) : null}
                <div className="action-row">
                  {owner && m.expert && m.status === 'ACCEPTED' && r.status === 'OPEN' ? (
                    <>
                      <button
                        type="button"
                        className="primary"
                        disabled={confirm.busy}
                        onClick={async () =>
                          done((await confirm.run({ requestId: r.id, expertId: m.expert!.id })).data?.confirmMatch, t('requests.confirmed'))
                        }
                      >
                        {t('requests.confirm', { name: m.expert.name })}
                      </button>
                      <button
                        type="button"
                        disabled={decline.busy}
                        onClick={async () =>
                          done((await decline.run({ requestId: r.id, expertId: m.expert!.id })).data?.declineMatch, t('requests.declined'))
                        }
                      >
                        {t('requests.declineExpert')}
                      </button>
                    </>
                  ) : null}
                  {expertId && m.expert?.id === expertId && r.status === 'OPEN' && (m.status === 'PROPOSED' || m.status === 'ACCEPTED') ? (
                    <>
                      {m.status === 'PROPOSED' ? (
                        <button
                          type="button"
                          className="primary"
                          disabled={accept.busy}
                          onClick={async () => done((await accept.run({ requestId: r.id })).data?.acceptMatch, t('requests.accepted'))}
                        >
                          {t('requests.accept')}
                        </button>
                      ) : null}
                      <button
                        type="button"
                        disabled={decline.busy}
                        onClick={async () => done((await decline.run({ requestId: r.id, expertId })).data?.declineMatch, t('requests.declined'))}
                      >
                        {m.status === 'PROPOSED' ? t('requests.decline') : t('requests.withdrawAcceptance')}
                      </button>
                    </>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {moderator && r.status === 'OPEN' ? <Candidates id={r.id} onProposed={(d) => done({ expertiseRequest: d }, t('requests.proposed'))} /> : null}
    </Page>
  );
}

const ExpertMatchesQuery = graphql(`
  query ExpertMatches($id: ID!) {
    expert(id: $id) {
      id
      matches {
        status
        score
        request {
          id
          title
          status
          country
          from
          to
          institution {
            name
          }
        }
      }
    }
  }
`);

/** ExpertMatches is the requests an expert was proposed for, on their own page. */
export function ExpertMatches({ expertId }: { expertId: string }) {
  const t = useT();
  const { locale } = useLocale();
  const [{ data, error }] = useQuery({ query: ExpertMatchesQuery, variables: { id: expertId }, requestPolicy: 'cache-and-network' });
  const list = data?.expert?.matches;
  if (error && !data) return <QueryFailure error={error} />;
  if (!list) return null;
  return (
    <section aria-labelledby="expert-matches-title">
      <h2 id="expert-matches-title">{t('requests.yourMatches')}</h2>
      {list.length === 0 ? <Empty>{t('requests.noMatchesYet')}</Empty> : null}
      <ul>
        {list.map((m) => (
          <li key={m.request.id} data-testid="expert-match">
            <Link to={`/requests/${m.request.id}`}>{m.request.title}</Link> — {m.request.institution?.name}, {countryName(locale, m.request.country)},{' '}
            {dates(locale, m.request.from, m.request.to)} · <StatusBadge status={m.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}
