// Inputs for lists of codes: countries (ISO 3166-1) and languages (BCP 47), chosen by
// their names in the reader's language and shown as removable chips.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { locales, type Locale } from '../i18n/locale';
import { canonicalLanguageTag, countryName, intlLocale, languageName } from '../lib/format';
import { Described, describedBy, Label, TextArea, TextField, useFieldID, type Option } from './form';

const CountriesQuery = graphql(`
  query Countries {
    countries {
      code
    }
  }
`);

/** useCountryOptions lists the countries the API knows, by name in the reader's language. */
export function useCountryOptions(): Option[] {
  const [{ data }] = useQuery({ query: CountriesQuery, requestPolicy: 'cache-first' });
  const { locale } = useLocale();
  return useMemo(() => {
    const collator = new Intl.Collator(intlLocale(locale));
    return (data?.countries ?? [])
      .map((c) => ({ value: c.code, label: countryName(locale, c.code) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [data, locale]);
}

/** The languages of the diasporas and countries the dialogue works with, offered first;
 * any other BCP 47 tag can be typed. */
export const commonLanguages = [
  'en',
  'fr',
  'es',
  'pt',
  'ar',
  'sw',
  'am',
  'ti',
  'om',
  'so',
  'ha',
  'yo',
  'ig',
  'ak',
  'ee',
  'wo',
  'ff',
  'bm',
  'ln',
  'kg',
  'rw',
  'rn',
  'mg',
  'zu',
  'xh',
  'sn',
  'ber',
  'ku',
  'fa',
  'ps',
  'ur',
  'hi',
  'bn',
  'ta',
  'si',
  'ne',
  'tl',
  'vi',
  'zh',
  'tr',
  'sq',
  'sr',
  'bs',
  'ru',
  'uk',
  'ro',
  'ht',
  'qu',
  'it',
  'de',
  'nl',
];

function Chips({
  name,
  items,
  label,
  onRemove,
}: {
  name: string;
  items: { value: string; label: string }[];
  label: (s: string) => string;
  onRemove: (v: string) => void;
}) {
  const fieldID = useFieldID();
  if (items.length === 0) return null;
  return (
    <ul className="chips" aria-label={label('')} id={fieldID(name) + '-chosen'}>
      {items.map((i) => (
        <li key={i.value}>
          <span>{i.label}</span>
          <button type="button" className="chip-remove" aria-label={label(i.label)} onClick={() => onRemove(i.value)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

export function CountriesInput(props: {
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  values: readonly string[];
  onChange: (v: string[]) => void;
  required?: boolean;
}) {
  const { locale } = useLocale();
  const t = useT();
  const options = useCountryOptions();
  const id = useFieldID()(props.name);
  return (
    <div className={'field' + (props.error ? ' invalid' : '')}>
      <Label name={props.name} label={props.label} required={props.required} />
      <Described name={props.name} hint={props.hint} error={props.error} />
      <Chips
        name={props.name}
        items={props.values.map((v) => ({ value: v, label: countryName(locale, v) }))}
        label={(n) => (n ? t('form.remove', { name: n }) : t('form.chosen', { field: props.label }))}
        onRemove={(v) => props.onChange(props.values.filter((x) => x !== v))}
      />
      <select
        id={id}
        value=""
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(e) => {
          const v = e.target.value;
          if (v && !props.values.includes(v)) props.onChange([...props.values, v]);
        }}
      >
        <option value="">{t('form.addCountry')}</option>
        {options
          .filter((o) => !props.values.includes(o.value))
          .map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
      </select>
    </div>
  );
}

export function LanguagesInput(props: {
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  values: readonly string[];
  onChange: (v: string[]) => void;
}) {
  const { locale } = useLocale();
  const t = useT();
  const [other, setOther] = useState('');
  const [otherError, setOtherError] = useState<string | undefined>();
  const id = useFieldID()(props.name);
  const collator = new Intl.Collator(intlLocale(locale));
  const options = commonLanguages
    .filter((l) => !props.values.includes(l))
    .map((l) => ({ value: l, label: languageName(locale, l) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  const addOther = () => {
    const tag = canonicalLanguageTag(other);
    if (!tag) {
      setOtherError(t('rule.languages'));
      return;
    }
    setOtherError(undefined);
    if (!props.values.includes(tag)) props.onChange([...props.values, tag]);
    setOther('');
  };
  return (
    <div className={'field' + (props.error ? ' invalid' : '')}>
      <Label name={props.name} label={props.label} />
      <Described name={props.name} hint={props.hint} error={props.error} />
      <Chips
        name={props.name}
        items={props.values.map((v) => ({ value: v, label: `${languageName(locale, v)} (${v})` }))}
        label={(n) => (n ? t('form.remove', { name: n }) : t('form.chosen', { field: props.label }))}
        onRemove={(v) => props.onChange(props.values.filter((x) => x !== v))}
      />
      <select
        id={id}
        value=""
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(e) => {
          const v = e.target.value;
          if (v && !props.values.includes(v)) props.onChange([...props.values, v]);
        }}
      >
        <option value="">{t('form.addLanguage')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <div className="inline-add">
        <TextField
          name={props.name + '.other'}
          label={t('form.otherLanguage')}
          hint={t('form.otherLanguageHint')}
          error={otherError}
          value={other}
          onChange={setOther}
          width="short"
          quiet
        />
        <button type="button" onClick={addOther}>
          {t('form.add')}
        </button>
      </div>
    </div>
  );
}

export type LocalizedValue = Record<Locale, string>;

export const emptyLocalized: LocalizedValue = { en: '', fr: '', es: '' };

/** LocalizedFields takes a text in English, French and Spanish, each optional. */
export function LocalizedFields(props: {
  name: string;
  legend: string;
  hint?: string;
  value: LocalizedValue;
  onChange: (v: LocalizedValue) => void;
  multiline?: boolean;
  maxLength?: number;
  error?: string | undefined;
  errors?: Partial<Record<Locale, string | undefined>>;
}) {
  const t = useT();
  const id = useFieldID()(props.name);
  return (
    <fieldset className={'field localized' + (props.error ? ' invalid' : '')} id={id}>
      <legend>{props.legend}</legend>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      {props.error ? <p className="field-error">{props.error}</p> : null}
      {locales.map((l) => {
        const common = {
          name: `${props.name}.${l}`,
          label: t(`language.${l}`),
          value: props.value[l],
          onChange: (v: string) => props.onChange({ ...props.value, [l]: v }),
          lang: l,
          quiet: true,
          error: props.errors?.[l],
          ...(props.maxLength ? { maxLength: props.maxLength } : {}),
        };
        return props.multiline ? <TextArea key={l} {...common} rows={4} /> : <TextField key={l} {...common} />;
      })}
    </fieldset>
  );
}
