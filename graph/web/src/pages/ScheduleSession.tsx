// A coordinator (or an admin) schedules a session of the Dialogue en continu in their
// city, with its times on the city's clocks.
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { NotFound, Page } from '../components/display';
import { Form, SelectField, TextField } from '../components/form';
import { CountriesInput, LocalizedFields, emptyLocalized, useCountryOptions } from '../components/pickers';
import { TimeFields, emptyTime, timeInput } from '../components/TimeFields';
import { graphql } from '../graphql';
import { useT } from '../i18n';
import { useAction } from '../lib/action';
import { useCities } from '../lib/cities';
import { sectors, stakeholderKinds } from '../lib/enums';
import { maxOfferHours } from '../lib/sessions';
import { forField, type Problem } from '../lib/problems';
import { isAdmin, useViewer } from '../platform';

const ScheduleMutation = graphql(`
  mutation ScheduleSession($input: ScheduleSessionInput!, $idempotencyKey: String) {
    scheduleSession(input: $input, idempotencyKey: $idempotencyKey) {
      session {
        id
      }
    }
  }
`);

interface StakeholderRow {
  name: string;
  kind: string;
  country: string;
}

export function ScheduleSession() {
  const t = useT();
  const viewer = useViewer();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const cities = useCities();
  const countries = useCountryOptions();
  const allowed = isAdmin(viewer) ? cities : cities.filter((c) => c.slug === viewer?.city?.slug);
  const [city, setCity] = useState(params.get('city') ?? viewer?.city?.slug ?? '');
  const [title, setTitle] = useState(emptyLocalized);
  const [description, setDescription] = useState(emptyLocalized);
  const [theme, setTheme] = useState('');
  const [origins, setOrigins] = useState<string[]>([]);
  const [venue, setVenue] = useState({ name: '', address: '' });
  const [time, setTime] = useState(emptyTime);
  const [capacity, setCapacity] = useState('30');
  const [offerHours, setOfferHours] = useState('0');
  const [stakeholders, setStakeholders] = useState<StakeholderRow[]>([]);
  const action = useAction(ScheduleMutation);
  if (viewer && !isAdmin(viewer) && viewer.role !== 'COORDINATOR') return <NotFound />;
  const chosen = cities.find((c) => c.slug === city);

  const submit = async () => {
    const problems: Problem[] = [];
    const need = (field: string, ok: boolean) => {
      if (!ok) problems.push({ field, message: t(`rule.${field}` as 'rule.title') });
    };
    need('city', !!chosen);
    need('title', !!(title.en.trim() || title.fr.trim() || title.es.trim()));
    need('theme', theme !== '');
    need('originCountries', origins.length > 0);
    need('venue.name', venue.name.trim() !== '');
    need('venue.address', venue.address.trim() !== '');
    need('start', time.start !== '');
    need('capacity', Number.isInteger(Number(capacity)) && Number(capacity) >= 1);
    const hours = Number(offerHours);
    if (!Number.isInteger(hours) || hours < 0 || hours > maxOfferHours) {
      problems.push({ field: 'offerHours', message: t('rule.offerHours', { max: maxOfferHours }) });
    }
    stakeholders.forEach((s) => need('stakeholders', s.name.trim() !== '' && s.kind !== '' && s.country !== ''));
    action.setProblems(problems);
    if (problems.length) return;
    const text = (v: typeof title) => ({ en: v.en.trim() || null, fr: v.fr.trim() || null, es: v.es.trim() || null });
    const { data } = await action.run({
      input: {
        city,
        title: text(title),
        description: text(description),
        theme: theme as (typeof sectors)[number],
        originCountries: origins,
        venue: { name: venue.name.trim(), address: venue.address.trim() },
        time: timeInput(time),
        capacity: Number(capacity),
        offerHours: hours,
        stakeholders: stakeholders.map((s) => ({ name: s.name.trim(), kind: s.kind as (typeof stakeholderKinds)[number], country: s.country })),
      },
    });
    const id = data?.scheduleSession.session.id;
    if (id) navigate(`/dialogues/${id}`);
  };
  const p = action.problems;
  return (
    <Page title={t('schedule.title')} lead={t('schedule.lead')}>
      <Form onSubmit={submit} problems={p} submitLabel={t('schedule.submit')} busy={action.busy}>
        <SelectField
          name="city"
          label={t('field.city')}
          value={city}
          onChange={setCity}
          required
          placeholder={t('form.choose')}
          options={allowed.map((c) => ({ value: c.slug, label: c.name }))}
          error={forField(p, 'city')}
        />
        <LocalizedFields
          name="title"
          legend={t('schedule.sessionTitle')}
          hint={t('form.oneLanguage')}
          value={title}
          onChange={setTitle}
          maxLength={200}
          error={forField(p, 'title')}
        />
        <LocalizedFields
          name="description"
          legend={t('field.description')}
          value={description}
          onChange={setDescription}
          multiline
          maxLength={5000}
        />
        <SelectField
          name="theme"
          label={t('field.theme')}
          value={theme}
          onChange={setTheme}
          required
          placeholder={t('form.choose')}
          options={sectors.map((s) => ({ value: s, label: t(`sector.${s}`) }))}
          error={forField(p, 'theme')}
        />
        <CountriesInput
          name="originCountries"
          label={t('session.originCountries')}
          hint={t('schedule.originHint')}
          values={origins}
          onChange={setOrigins}
          required
          error={forField(p, 'originCountries')}
        />
        <fieldset className="group" id="f-venue">
          <legend>{t('session.venue')}</legend>
          <TextField
            name="venue.name"
            label={t('schedule.venueName')}
            value={venue.name}
            onChange={(v) => setVenue({ ...venue, name: v })}
            required
            error={forField(p, 'venue.name')}
          />
          <TextField
            name="venue.address"
            label={t('schedule.venueAddress')}
            value={venue.address}
            onChange={(v) => setVenue({ ...venue, address: v })}
            required
            error={forField(p, 'venue.address')}
          />
        </fieldset>
        {chosen ? <TimeFields city={chosen} value={time} onChange={setTime} problems={p} /> : null}
        <TextField
          name="capacity"
          type="number"
          inputMode="numeric"
          min={1}
          label={t('field.capacity')}
          value={capacity}
          onChange={setCapacity}
          width="short"
          required
          error={forField(p, 'capacity')}
        />
        <TextField
          name="offerHours"
          type="number"
          inputMode="numeric"
          min={0}
          max={maxOfferHours}
          label={t('field.offerHours')}
          hint={t('field.offerHoursHint')}
          value={offerHours}
          onChange={setOfferHours}
          width="short"
          error={forField(p, 'offerHours')}
        />
        <fieldset className="group" id="f-stakeholders">
          <legend>{t('session.stakeholders')}</legend>
          <p className="hint">{t('schedule.stakeholdersHint')}</p>
          {stakeholders.map((s, i) => {
            const update = (patch: Partial<StakeholderRow>) => setStakeholders(stakeholders.map((x, j) => (j === i ? { ...x, ...patch } : x)));
            return (
              <div className="row" key={i}>
                <TextField
                  name={`stakeholders.${i}.name`}
                  label={t('schedule.stakeholderName')}
                  value={s.name}
                  onChange={(v) => update({ name: v })}
                  required
                />
                <SelectField
                  name={`stakeholders.${i}.kind`}
                  label={t('schedule.stakeholderKind')}
                  value={s.kind}
                  onChange={(v) => update({ kind: v })}
                  required
                  placeholder={t('form.choose')}
                  options={stakeholderKinds.map((k) => ({ value: k, label: t(`stakeholder.${k}`) }))}
                />
                <SelectField
                  name={`stakeholders.${i}.country`}
                  label={t('schedule.stakeholderCountry')}
                  value={s.country}
                  onChange={(v) => update({ country: v })}
                  required
                  placeholder={t('form.choose')}
                  options={countries}
                />
                <button type="button" onClick={() => setStakeholders(stakeholders.filter((_, j) => j !== i))}>
                  {t('form.removeRow')}
                </button>
              </div>
            );
          })}
          <button type="button" onClick={() => setStakeholders([...stakeholders, { name: '', kind: '', country: '' }])}>
            {t('schedule.addStakeholder')}
          </button>
        </fieldset>
      </Form>
    </Page>
  );
}
