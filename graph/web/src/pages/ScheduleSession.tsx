// A coordinator (or an admin) schedules a session of the Dialogue en continu in their
// city, with its times on the city's clocks.
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { NotFound, Page } from '../components/display';
import { Form, Radios, SelectField, TextField } from '../components/form';
import { CountriesInput, LocalizedFields, emptyLocalized, useCountryOptions } from '../components/pickers';
import { TimeFields, emptyTime, timeInput } from '../components/TimeFields';
import { graphql, type ResultOf } from '../graphql';
import { useLocale, useT } from '../i18n';
import { useAction } from '../lib/action';
import { useCities } from '../lib/cities';
import { sectors, stakeholderKinds } from '../lib/enums';
import { formatDay } from '../lib/format';
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

const ScheduleSeriesMutation = graphql(`
  mutation ScheduleSeries($input: ScheduleSeriesInput!, $idempotencyKey: String) {
    scheduleSeries(input: $input, idempotencyKey: $idempotencyKey) {
      series {
        id
        occurrences {
          date
          refusal
          session {
            id
            start {
              local
              utcOffset
            }
          }
        }
      }
    }
  }
`);

type SeriesOutcome = NonNullable<ResultOf<typeof ScheduleSeriesMutation>['scheduleSeries']>['series'];

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
  const [repeat, setRepeat] = useState(false);
  const [frequency, setFrequency] = useState<'WEEKLY' | 'MONTHLY'>('WEEKLY');
  const [interval, setInterval] = useState('1');
  const [ends, setEnds] = useState<'count' | 'until'>('count');
  const [count, setCount] = useState('6');
  const [until, setUntil] = useState('');
  const [exceptions, setExceptions] = useState('');
  const [outcome, setOutcome] = useState<SeriesOutcome | null>(null);
  const seriesAction = useAction(ScheduleSeriesMutation);
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
    const exceptionDates = exceptions
      .split(/[\s,;]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    if (repeat) {
      if (!/^\d+$/.test(interval) || Number(interval) < 1 || Number(interval) > 12)
        problems.push({ field: 'recurrence.interval', message: t('rule.interval') });
      if (ends === 'count' && (!/^\d+$/.test(count) || Number(count) < 1 || Number(count) > 52))
        problems.push({ field: 'recurrence.count', message: t('rule.count') });
      if (ends === 'until' && !until) problems.push({ field: 'recurrence.until', message: t('rule.until') });
      if (exceptionDates.some((x) => !/^\d{4}-\d{2}-\d{2}$/.test(x))) problems.push({ field: 'exceptions', message: t('rule.exceptions') });
    }
    action.setProblems(problems);
    seriesAction.setProblems([]);
    if (problems.length) return;
    const text = (v: typeof title) => ({ en: v.en.trim() || null, fr: v.fr.trim() || null, es: v.es.trim() || null });
    if (repeat) {
      const { data } = await seriesAction.run({
        input: {
          city,
          title: text(title),
          description: text(description),
          theme: theme as (typeof sectors)[number],
          originCountries: origins,
          venue: { name: venue.name.trim(), address: venue.address.trim() },
          capacity: Number(capacity),
          offerHours: hours,
          stakeholders: stakeholders.map((s) => ({ name: s.name.trim(), kind: s.kind as (typeof stakeholderKinds)[number], country: s.country })),
          recurrence: {
            frequency,
            interval: Number(interval),
            count: ends === 'count' ? Number(count) : null,
            until: ends === 'until' ? until : null,
          },
          firstDate: time.start.slice(0, 10),
          localTime: time.start.slice(11, 16),
          durationMinutes: Number(time.durationMinutes),
          exceptions: exceptionDates,
        },
      });
      if (data) setOutcome(data.scheduleSeries.series);
      return;
    }
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
  const p = [...action.problems, ...seriesAction.problems];
  if (outcome) return <SeriesScheduled outcome={outcome} />;
  return (
    <Page title={t('schedule.title')} lead={t('schedule.lead')}>
      <Form onSubmit={submit} problems={p} submitLabel={t(repeat ? 'series.submit' : 'schedule.submit')} busy={action.busy || seriesAction.busy}>
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
        <fieldset className="group" id="f-recurrence">
          <legend>{t('series.title')}</legend>
          <div className="choice">
            <input type="checkbox" id="f-repeat" checked={repeat} onChange={(e) => setRepeat(e.target.checked)} />
            <label htmlFor="f-repeat">{t('series.repeat')}</label>
          </div>
          {repeat ? (
            <>
              <p className="hint">{t('series.hint')}</p>
              <Radios
                name="recurrence.frequency"
                label={t('series.frequency')}
                value={frequency}
                onChange={(v) => setFrequency(v as 'WEEKLY' | 'MONTHLY')}
                inline
                options={[
                  { value: 'WEEKLY', label: t('series.weekly') },
                  { value: 'MONTHLY', label: t('series.monthly') },
                ]}
              />
              <TextField
                name="recurrence.interval"
                type="number"
                min={1}
                max={12}
                width="short"
                label={t(frequency === 'WEEKLY' ? 'series.everyWeeks' : 'series.everyMonths')}
                value={interval}
                onChange={setInterval}
                required
                error={forField(p, 'recurrence.interval')}
              />
              <Radios
                name="recurrence.ends"
                label={t('series.ends')}
                value={ends}
                onChange={(v) => setEnds(v as 'count' | 'until')}
                inline
                options={[
                  { value: 'count', label: t('series.afterCount') },
                  { value: 'until', label: t('series.onDate') },
                ]}
              />
              {ends === 'count' ? (
                <TextField
                  name="recurrence.count"
                  type="number"
                  min={1}
                  max={52}
                  width="short"
                  label={t('series.count')}
                  value={count}
                  onChange={setCount}
                  required
                  error={forField(p, 'recurrence.count')}
                />
              ) : (
                <TextField
                  name="recurrence.until"
                  type="date"
                  label={t('series.until')}
                  value={until}
                  onChange={setUntil}
                  error={forField(p, 'recurrence.until')}
                />
              )}
              <TextField
                name="exceptions"
                label={t('series.exceptions')}
                hint={t('series.exceptionsHint')}
                value={exceptions}
                onChange={setExceptions}
                error={forField(p, 'exceptions')}
              />
            </>
          ) : null}
        </fieldset>
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

/** SeriesScheduled says what became of each date of a series just scheduled: its session,
 * or why it has none. */
function SeriesScheduled({ outcome }: { outcome: SeriesOutcome }) {
  const t = useT();
  const { locale } = useLocale();
  const scheduled = outcome.occurrences.filter((o) => o.session).length;
  return (
    <Page title={t('series.scheduledTitle')} lead={t('series.scheduledLead', { scheduled, total: outcome.occurrences.length })}>
      <ul className="series-dates" data-testid="series-dates">
        {outcome.occurrences.map((o) => (
          <li key={o.date}>
            {o.session ? (
              <Link to={`/dialogues/${o.session.id}`}>{formatDay(locale, o.date)}</Link>
            ) : (
              <>
                <span>{formatDay(locale, o.date)}</span> —{' '}
                <span className="refused">{t(`series.refusal.${o.refusal}` as 'series.refusal.VENUE_TAKEN')}</span>
              </>
            )}
          </li>
        ))}
      </ul>
    </Page>
  );
}
