// A verified association drafts a proposal to a call, edits it while it is a draft (or
// changes were requested), with budget lines that must add up to the budget, in the
// call's currency.
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Loading, MoneyText, NotFound, Page, QueryFailure } from '../components/display';
import { Checkboxes, Form, Notice, SelectField, TextField } from '../components/form';
import { LocalizedFields, emptyLocalized, type LocalizedValue } from '../components/pickers';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { pickText } from '../i18n/locale';
import { useAction } from '../lib/action';
import { partnerKinds, type Sector } from '../lib/enums';
import { countryName, formatMoney } from '../lib/format';
import { forField, type Problem } from '../lib/problems';
import { budgetTotals, CallSummary, checkBudget, ProposalDetail, type BudgetLineRow, type CallData } from '../lib/proposals';
import { useViewer } from '../platform';

const NewProposalQuery = graphql(
  `
    query NewProposal($callId: ID!) {
      call(id: $callId) {
        ...CallSummary
      }
    }
  `,
  [CallSummary],
);

const EditProposalQuery = graphql(
  `
    query EditProposal($id: ID!) {
      proposal(id: $id) {
        ...ProposalDetail
      }
    }
  `,
  [ProposalDetail],
);

const SessionsForProposal = graphql(`
  query SessionsForProposal($city: String) {
    dialogueSessions(first: 100, filter: { city: $city }) {
      edges {
        node {
          id
          title {
            en
            fr
            es
          }
          start {
            utc
          }
        }
      }
    }
  }
`);

const Draft = graphql(`
  mutation DraftProposal($input: DraftProposalInput!, $idempotencyKey: String) {
    draftProposal(input: $input, idempotencyKey: $idempotencyKey) {
      proposal {
        id
      }
    }
  }
`);

const Update = graphql(`
  mutation UpdateProposal($proposalId: ID!, $input: UpdateProposalInput!, $idempotencyKey: String) {
    updateProposal(proposalId: $proposalId, input: $input, idempotencyKey: $idempotencyKey) {
      changedFields
      proposal {
        id
      }
    }
  }
`);

interface FormState {
  title: LocalizedValue;
  summary: LocalizedValue;
  sector: string;
  countries: string[];
  budget: string;
  durationMonths: string;
  lines: BudgetLineRow[];
  partnerKinds: string[];
  sessionId: string;
}

const empty: FormState = {
  title: emptyLocalized,
  summary: emptyLocalized,
  sector: '',
  countries: [],
  budget: '',
  durationMonths: '',
  lines: [{ label: '', amount: '' }],
  partnerKinds: [],
  sessionId: '',
};

export function NewProposal() {
  const [params] = useSearchParams();
  const callId = params.get('call') ?? '';
  const [{ data, fetching, error }] = useQuery({ query: NewProposalQuery, variables: { callId }, pause: !callId });
  if (fetching) return <Loading />;
  if (error) return <QueryFailure error={error} />;
  if (!data?.call) return <NotFound />;
  return <ProposalEditor call={data.call} initial={empty} />;
}

export function EditProposal() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: EditProposalQuery, variables: { id } });
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  const p = data?.proposal;
  if (!p?.call) return <NotFound />;
  const initial: FormState = {
    title: { en: p.title.en ?? '', fr: p.title.fr ?? '', es: p.title.es ?? '' },
    summary: { en: p.summary.en ?? '', fr: p.summary.fr ?? '', es: p.summary.es ?? '' },
    sector: p.sector ?? '',
    countries: [...p.countries],
    budget: p.budget?.amount ?? '',
    durationMonths: p.durationMonths != null ? String(p.durationMonths) : '',
    lines: p.budgetLines.length ? p.budgetLines.map((l) => ({ label: l.label, amount: l.amount.amount })) : [{ label: '', amount: '' }],
    partnerKinds: [...p.partnerKinds],
    sessionId: p.session?.id ?? '',
  };
  // The form keeps what was typed from then on: a reload of the proposal (after saving)
  // does not overwrite it.
  return <ProposalEditor key={p.id} call={p.call} initial={initial} proposalId={p.id} />;
}

function ProposalEditor({ call, initial, proposalId }: { call: CallData; initial: FormState; proposalId?: string }) {
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const navigate = useNavigate();
  const [f, setF] = useState<FormState>(initial);
  const [saved, setSaved] = useState(false);
  const draft = useAction(Draft);
  const update = useAction(Update);
  const action = proposalId ? update : draft;
  const [{ data: sessions }] = useQuery({ query: SessionsForProposal, variables: { city: viewer?.association?.city.slug ?? null } });
  const currency = call.budgetCeiling.currency;
  const totals = useMemo(() => budgetTotals(f.budget, f.lines, call.budgetCeiling), [f.budget, f.lines, call.budgetCeiling]);
  const set =
    <K extends keyof FormState>(k: K) =>
    (v: FormState[K]) => {
      setSaved(false);
      setF({ ...f, [k]: v });
    };
  if (viewer?.role !== 'ASSOCIATION' || !viewer.association) {
    return (
      <Page title={t('proposalForm.title')}>
        <p>{t('proposalForm.associationsOnly')}</p>
      </Page>
    );
  }
  const association = viewer.association;

  const submit = async () => {
    const problems: Problem[] = [];
    if (!(f.title.en.trim() || f.title.fr.trim() || f.title.es.trim())) problems.push({ field: 'title', message: t('rule.title') });
    if (
      f.durationMonths.trim() !== '' &&
      !(Number.isInteger(Number(f.durationMonths)) && Number(f.durationMonths) >= 1 && Number(f.durationMonths) <= 120)
    ) {
      problems.push({ field: 'durationMonths', message: t('rule.durationMonths') });
    }
    problems.push(...checkBudget(f.budget, f.lines, call.budgetCeiling, t, false, (a) => formatMoney(locale, a, currency)));
    action.setProblems(problems);
    if (problems.length) return;
    const text = (v: LocalizedValue) => ({ en: v.en.trim() || null, fr: v.fr.trim() || null, es: v.es.trim() || null });
    const lines = f.lines
      .filter((l) => l.label.trim() !== '' || l.amount.trim() !== '')
      .map((l) => ({ label: l.label.trim(), amount: l.amount.trim().replace(',', '.') }));
    const fields = {
      title: text(f.title),
      summary: text(f.summary),
      sector: (f.sector || null) as Sector | null,
      countries: f.countries,
      budget: f.budget.trim() ? f.budget.trim().replace(',', '.') : null,
      durationMonths: f.durationMonths.trim() ? Number(f.durationMonths) : null,
      budgetLines: lines,
      partnerKinds: f.partnerKinds as (typeof partnerKinds)[number][],
      sessionId: f.sessionId || null,
    };
    if (proposalId) {
      const { data } = await update.run({ proposalId, input: fields });
      if (data) setSaved(true);
    } else {
      const { data } = await draft.run({ input: { ...fields, callId: call.id, associationId: association.id } });
      const id = data?.draftProposal.proposal.id;
      if (id) navigate(`/proposals/${id}`);
    }
  };
  const p = action.problems;
  const lineErrors = forField(p, 'budgetLines');
  return (
    <Page title={proposalId ? t('proposalForm.editTitle') : t('proposalForm.title')} lead={pickText(call.title, locale)?.text}>
      <p className="hint">{t('proposalForm.draftHint')}</p>
      {saved ? <Notice>{t('proposalForm.saved')}</Notice> : null}
      <Form
        onSubmit={submit}
        problems={p}
        submitLabel={proposalId ? t('proposalForm.save') : t('proposalForm.create')}
        busy={action.busy}
        secondary={proposalId ? <Link to={`/proposals/${proposalId}`}>{t('proposalForm.back')}</Link> : null}
      >
        <LocalizedFields
          name="title"
          legend={t('proposalForm.projectTitle')}
          hint={t('form.oneLanguage')}
          value={f.title}
          onChange={set('title')}
          maxLength={200}
          error={forField(p, 'title')}
        />
        <LocalizedFields
          name="summary"
          legend={t('field.summary')}
          value={f.summary}
          onChange={set('summary')}
          multiline
          maxLength={5000}
          error={forField(p, 'summary')}
        />
        <SelectField
          name="sector"
          label={t('field.sector')}
          value={f.sector}
          onChange={set('sector')}
          placeholder={t('form.choose')}
          options={call.themes.map((s) => ({ value: s, label: t(`sector.${s}`) }))}
          error={forField(p, 'sector')}
        />
        <Checkboxes
          name="countries"
          label={t('field.countries')}
          hint={t('proposalForm.countriesHint')}
          values={f.countries}
          onChange={set('countries')}
          options={call.eligibleCountries.map((c) => ({ value: c, label: countryName(locale, c) }))}
          columns
          error={forField(p, 'countries')}
        />
        <TextField
          name="budget"
          inputMode="decimal"
          label={t('proposalForm.budget', { currency })}
          hint={t('proposalForm.budgetHint', { ceiling: formatMoney(locale, call.budgetCeiling.amount, currency) })}
          value={f.budget}
          onChange={set('budget')}
          width="medium"
          error={forField(p, 'budget')}
        />
        <TextField
          name="durationMonths"
          type="number"
          inputMode="numeric"
          min={1}
          max={120}
          label={t('field.durationMonths')}
          value={f.durationMonths}
          onChange={set('durationMonths')}
          width="short"
          error={forField(p, 'durationMonths')}
        />
        <fieldset className={'group' + (lineErrors ? ' invalid' : '')} id="f-budgetLines">
          <legend>{t('field.budgetLines')}</legend>
          <p className="hint">{t('proposalForm.linesHint', { currency })}</p>
          {lineErrors ? <p className="field-error">{lineErrors}</p> : null}
          {f.lines.map((l, i) => (
            <div className="row" key={i}>
              <TextField
                name={`budgetLines.${i}.label`}
                label={t('proposalForm.lineLabel')}
                value={l.label}
                onChange={(v) => set('lines')(f.lines.map((x, j) => (j === i ? { ...x, label: v } : x)))}
                maxLength={200}
                quiet
              />
              <TextField
                name={`budgetLines.${i}.amount`}
                inputMode="decimal"
                label={t('proposalForm.lineAmount')}
                value={l.amount}
                onChange={(v) => set('lines')(f.lines.map((x, j) => (j === i ? { ...x, amount: v } : x)))}
                width="medium"
                quiet
              />
              <button
                type="button"
                onClick={() => set('lines')(f.lines.filter((_, j) => j !== i))}
                aria-label={t('proposalForm.removeLine', { n: i + 1 })}
              >
                {t('form.removeRow')}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => set('lines')([...f.lines, { label: '', amount: '' }])}>
            {t('proposalForm.addLine')}
          </button>
          <p className="running-total" aria-live="polite" data-testid="lines-total">
            {totals.linesText === null
              ? t('proposalForm.linesUnreadable')
              : totals.budget === null
                ? t('proposalForm.linesTotal', { total: formatMoney(locale, totals.linesText, currency) })
                : totals.addsUp
                  ? t('proposalForm.linesAddUp', { total: formatMoney(locale, totals.linesText, currency) })
                  : t('proposalForm.linesOff', {
                      total: formatMoney(locale, totals.linesText, currency),
                      budget: formatMoney(locale, totals.budgetText ?? f.budget.trim(), currency),
                    })}
          </p>
        </fieldset>
        <Checkboxes
          name="partnerKinds"
          label={t('field.partnerKinds')}
          values={f.partnerKinds}
          onChange={set('partnerKinds')}
          options={partnerKinds.map((k) => ({ value: k, label: t(`stakeholder.${k}`) }))}
          columns
          error={forField(p, 'partnerKinds')}
        />
        <SelectField
          name="sessionId"
          label={t('proposal.session')}
          hint={t('proposalForm.sessionHint')}
          value={f.sessionId}
          onChange={set('sessionId')}
          placeholder={t('proposalForm.noSession')}
          options={(sessions?.dialogueSessions.edges ?? []).map((e) => ({
            value: e.node.id,
            label: pickText(e.node.title, locale)?.text ?? e.node.id,
          }))}
          error={forField(p, 'sessionId')}
        />
        <p>
          {t('calls.ceiling')} <MoneyText money={call.budgetCeiling} />
        </p>
      </Form>
    </Page>
  );
}
