// When a session takes place, as a coordinator reads it off the city's clocks. A time the
// clocks skip (spring forward) is refused with a message saying so; a time they show
// twice (fall back) asks which of the two is meant.
import { useT } from '../i18n';
import { forField, type Problem } from '../lib/problems';
import { occurrences } from '../lib/sessions';
import { Radios, TextField } from './form';

export interface TimeValue {
  start: string;
  startOffset: string;
  durationMinutes: string;
  deadline: string;
  deadlineOffset: string;
}

export const emptyTime: TimeValue = { start: '', startOffset: '', durationMinutes: '120', deadline: '', deadlineOffset: '' };

/** timeInput is the SessionTimeInput of the fields. */
export function timeInput(v: TimeValue) {
  return {
    start: v.start,
    startOffset: v.startOffset || null,
    durationMinutes: Number(v.durationMinutes),
    registrationDeadline: v.deadline || null,
    registrationDeadlineOffset: v.deadline && v.deadlineOffset ? v.deadlineOffset : null,
  };
}

/** ambiguity is the offsets of a field's time that happens twice, if the API said so. */
function ambiguity(problems: readonly Problem[], field: string): string[] | null {
  const p = problems.find((x) => x.field === field && x.details?.reason === 'AMBIGUOUS_LOCAL_TIME');
  const offsets = p?.details?.offsets;
  return Array.isArray(offsets) ? occurrences(offsets.map(String)) : null;
}

export function TimeFields({
  city,
  value,
  onChange,
  problems,
  deadlineHint,
}: {
  city: { name: string; timeZone: string };
  value: TimeValue;
  onChange: (v: TimeValue) => void;
  problems: readonly Problem[];
  deadlineHint?: string;
}) {
  const t = useT();
  const set = (k: keyof TimeValue) => (v: string) =>
    // A new wall-clock time drops the offset chosen for the old one.
    onChange({ ...value, [k]: v, ...(k === 'start' ? { startOffset: '' } : {}), ...(k === 'deadline' ? { deadlineOffset: '' } : {}) });
  const startTwice = ambiguity(problems, 'start');
  const deadlineTwice = ambiguity(problems, 'registrationDeadline');
  const choice = (offsets: string[], local: string) =>
    offsets.map((o, i) => ({
      value: o,
      label: t(i === 0 ? 'time.firstOccurrence' : 'time.secondOccurrence', { time: local.replace('T', ' '), offset: `UTC${o}` }),
    }));
  return (
    <fieldset className="group" id="f-time">
      <legend>{t('time.legend')}</legend>
      <p className="hint">{t('time.zone', { city: city.name, zone: city.timeZone })}</p>
      <TextField
        name="start"
        type="datetime-local"
        label={t('time.start')}
        value={value.start}
        onChange={set('start')}
        required
        error={forField(problems, 'start')}
      />
      {startTwice ? (
        <Radios
          name="startOffset"
          label={t('time.whichOne')}
          value={value.startOffset}
          onChange={(v) => onChange({ ...value, startOffset: v })}
          options={choice(startTwice, value.start)}
        />
      ) : null}
      <TextField
        name="durationMinutes"
        type="number"
        inputMode="numeric"
        min={15}
        max={1440}
        label={t('time.duration')}
        value={value.durationMinutes}
        onChange={set('durationMinutes')}
        width="short"
        required
        error={forField(problems, 'durationMinutes')}
      />
      <TextField
        name="registrationDeadline"
        type="datetime-local"
        label={t('time.deadline')}
        hint={deadlineHint ?? t('time.deadlineHint')}
        value={value.deadline}
        onChange={set('deadline')}
        error={forField(problems, 'registrationDeadline')}
      />
      {deadlineTwice ? (
        <Radios
          name="registrationDeadlineOffset"
          label={t('time.whichOne')}
          value={value.deadlineOffset}
          onChange={(v) => onChange({ ...value, deadlineOffset: v })}
          options={choice(deadlineTwice, value.deadline)}
        />
      ) : null}
    </fieldset>
  );
}
