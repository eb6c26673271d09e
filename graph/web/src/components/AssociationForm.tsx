// The association's profile form, for registering and for editing: the same fields,
// checked the same way before anything is sent.
import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { useCities } from '../lib/cities';
import { associationKinds, sectors } from '../lib/enums';
import { limits, type ProfileForm } from '../lib/profile';
import { forField, type Problem } from '../lib/problems';
import { Checkboxes, SelectField, TextField } from './form';
import { CountriesInput, LanguagesInput, LocalizedFields } from './pickers';

export function AssociationFields({
  value,
  onChange,
  problems,
  contactNote,
}: {
  value: ProfileForm;
  onChange: (v: ProfileForm) => void;
  problems: readonly Problem[];
  contactNote?: ReactNode;
}) {
  const t = useT();
  const cities = useCities();
  const set =
    <K extends keyof ProfileForm>(k: K) =>
    (v: ProfileForm[K]) =>
      onChange({ ...value, [k]: v });
  const err = (f: string) => forField(problems, f);
  return (
    <>
      <fieldset className="group">
        <legend>{t('association.identity')}</legend>
        <TextField
          name="name"
          label={t('field.name')}
          value={value.name}
          onChange={set('name')}
          required
          maxLength={limits.name}
          error={err('name')}
          autoComplete="organization"
        />
        <TextField
          name="acronym"
          label={t('field.acronym')}
          value={value.acronym}
          onChange={set('acronym')}
          maxLength={limits.acronym}
          width="short"
          error={err('acronym')}
        />
        <SelectField
          name="kind"
          label={t('field.kind')}
          value={value.kind}
          onChange={set('kind')}
          required
          options={associationKinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          error={err('kind')}
        />
        <SelectField
          name="city"
          label={t('field.city')}
          hint={t('association.cityHint')}
          value={value.city}
          onChange={set('city')}
          required
          placeholder={t('form.choose')}
          options={cities.map((c) => ({ value: c.slug, label: c.name }))}
          error={err('city')}
        />
        <CountriesInput
          name="originCountries"
          label={t('field.originCountries')}
          hint={t('association.originHint')}
          values={value.originCountries}
          onChange={set('originCountries')}
          required
          error={err('originCountries')}
        />
      </fieldset>
      <fieldset className="group">
        <legend>{t('association.work')}</legend>
        <Checkboxes
          name="sectors"
          label={t('field.sectors')}
          values={value.sectors}
          onChange={set('sectors')}
          options={sectors.map((s) => ({ value: s, label: t(`sector.${s}`) }))}
          columns
          error={err('sectors')}
        />
        <LanguagesInput
          name="languages"
          label={t('field.languages')}
          hint={t('association.languagesHint')}
          values={value.languages}
          onChange={set('languages')}
          error={err('languages')}
        />
        <LocalizedFields
          name="description"
          legend={t('field.description')}
          hint={t('association.descriptionHint')}
          value={value.description}
          onChange={set('description')}
          multiline
          maxLength={limits.description}
          errors={{ en: err('description.en'), fr: err('description.fr'), es: err('description.es') }}
        />
        <TextField
          name="website"
          type="url"
          label={t('field.website')}
          hint={t('association.websiteHint')}
          value={value.website}
          onChange={set('website')}
          error={err('website')}
          autoComplete="url"
        />
        <TextField
          name="memberCount"
          type="number"
          inputMode="numeric"
          min={0}
          label={t('field.memberCount')}
          value={value.memberCount}
          onChange={set('memberCount')}
          width="short"
          error={err('memberCount')}
        />
        <TextField
          name="yearFounded"
          type="number"
          inputMode="numeric"
          min={limits.firstYearFounded}
          label={t('field.yearFounded')}
          value={value.yearFounded}
          onChange={set('yearFounded')}
          width="short"
          error={err('yearFounded')}
        />
      </fieldset>
      <fieldset className="group" id="f-contact">
        <legend>{t('field.contact')}</legend>
        <p className="hint">{t('association.contactPrivacy')}</p>
        {contactNote}
        <TextField
          name="contact.name"
          label={t('field.contactName')}
          value={value.contactName}
          onChange={set('contactName')}
          error={err('contact.name')}
          autoComplete="name"
        />
        <TextField
          name="contact.email"
          type="email"
          label={t('field.contactEmail')}
          value={value.contactEmail}
          onChange={set('contactEmail')}
          error={err('contact.email')}
          autoComplete="email"
        />
        <TextField
          name="contact.phone"
          type="tel"
          label={t('field.contactPhone')}
          hint={t('association.phoneHint')}
          value={value.contactPhone}
          onChange={set('contactPhone')}
          error={err('contact.phone')}
          autoComplete="tel"
        />
      </fieldset>
    </>
  );
}
