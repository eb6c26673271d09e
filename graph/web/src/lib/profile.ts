// An association's profile as its form holds it, checked the way the directory checks
// it, and turned into what the API takes: everything at registration, only what changed
// at an update (the directory records only the changed fields, and an unchanged form
// sends nothing).
import type { Translate } from '../i18n';
import { fieldRule, type Problem } from './problems';
import { canonicalLanguageTag } from './format';
import type { AssociationKind, Sector } from './enums';

export interface ProfileForm {
  name: string;
  acronym: string;
  kind: string;
  originCountries: string[];
  city: string;
  countryOfResidence: string;
  sectors: string[];
  languages: string[];
  description: { en: string; fr: string; es: string };
  website: string;
  memberCount: string;
  yearFounded: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
}

export const emptyProfile: ProfileForm = {
  name: '',
  acronym: '',
  kind: 'DIASPORA_ASSOCIATION',
  originCountries: [],
  city: '',
  countryOfResidence: '',
  sectors: [],
  languages: [],
  description: { en: '', fr: '', es: '' },
  website: '',
  memberCount: '',
  yearFounded: '',
  contactName: '',
  contactEmail: '',
  contactPhone: '',
};

/** The directory's limits (services/directory/domain/association). */
export const limits = {
  name: 200,
  acronym: 20,
  description: 5000,
  website: 300,
  languages: 20,
  originCountries: 30,
  memberCount: 100_000_000,
  firstYearFounded: 1800,
  contactName: 200,
};

/** AssociationLike is what the API gives of an association, as far as its form shows it. */
export interface AssociationLike {
  name: string;
  acronym?: string | null;
  kind: string;
  originCountries: readonly string[];
  city: { slug: string };
  countryOfResidence: string;
  sectors: readonly string[];
  languages: readonly string[];
  description: { en?: string | null; fr?: string | null; es?: string | null };
  website?: string | null;
  memberCount?: number | null;
  yearFounded?: number | null;
  contact?: { name?: string | null; email?: string | null; phone?: string | null; erased: boolean } | null;
}

/** formOf fills the form with an association as it is. */
export function formOf(a: AssociationLike): ProfileForm {
  return {
    name: a.name,
    acronym: a.acronym ?? '',
    kind: a.kind,
    originCountries: [...a.originCountries],
    city: a.city.slug,
    countryOfResidence: a.countryOfResidence,
    sectors: [...a.sectors],
    languages: [...a.languages],
    description: { en: a.description.en ?? '', fr: a.description.fr ?? '', es: a.description.es ?? '' },
    website: a.website ?? '',
    memberCount: a.memberCount == null ? '' : String(a.memberCount),
    yearFounded: a.yearFounded == null ? '' : String(a.yearFounded),
    contactName: a.contact?.name ?? '',
    contactEmail: a.contact?.email ?? '',
    contactPhone: a.contact?.phone ?? '',
  };
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^\+[0-9 .()-]{6,}$/;

function rule(t: Translate, field: string): string {
  const id = fieldRule(field);
  return id ? t(id) : t('rule.generic', { field });
}

/** check finds what the directory would refuse, before anything is sent. */
export function checkProfile(f: ProfileForm, t: Translate, now = new Date()): Problem[] {
  const problems: Problem[] = [];
  const add = (field: string) => problems.push({ field, message: rule(t, field) });
  if (f.name.trim() === '' || f.name.trim().length > limits.name) add('name');
  if (f.acronym.trim().length > limits.acronym || /[^\p{L}\p{N} &.'/-]/u.test(f.acronym.trim())) add('acronym');
  if (f.originCountries.length === 0 || f.originCountries.length > limits.originCountries) add('originCountries');
  if (f.city === '') add('city');
  if (f.languages.length > limits.languages || f.languages.some((l) => canonicalLanguageTag(l) === null)) add('languages');
  for (const l of ['en', 'fr', 'es'] as const) {
    if (f.description[l].length > limits.description) add('description.' + l);
  }
  if (f.website.trim() !== '' && (!/^https?:\/\/[^\s.]+\.[^\s]+$/i.test(f.website.trim()) || f.website.trim().length > limits.website)) {
    add('website');
  }
  if (f.memberCount.trim() !== '') {
    const n = Number(f.memberCount);
    if (!Number.isInteger(n) || n < 0 || n > limits.memberCount) add('memberCount');
  }
  if (f.yearFounded.trim() !== '') {
    const y = Number(f.yearFounded);
    if (!Number.isInteger(y) || y < limits.firstYearFounded || y > now.getFullYear()) add('yearFounded');
  }
  const anyContact = f.contactName.trim() !== '' || f.contactEmail.trim() !== '' || f.contactPhone.trim() !== '';
  if (anyContact) {
    if (f.contactName.trim() === '' || f.contactName.trim().length > limits.contactName) add('contact.name');
    if (!emailPattern.test(f.contactEmail.trim())) add('contact.email');
    if (f.contactPhone.trim() !== '' && !phonePattern.test(f.contactPhone.trim())) add('contact.phone');
  }
  return problems;
}

const optional = (s: string) => (s.trim() === '' ? undefined : s.trim());
const optionalInt = (s: string) => (s.trim() === '' ? undefined : Number(s));

function description(d: ProfileForm['description']) {
  return { en: optional(d.en) ?? null, fr: optional(d.fr) ?? null, es: optional(d.es) ?? null };
}

function contact(f: ProfileForm) {
  if (f.contactName.trim() === '' && f.contactEmail.trim() === '' && f.contactPhone.trim() === '') return undefined;
  return { name: f.contactName.trim(), email: f.contactEmail.trim(), phone: optional(f.contactPhone) ?? null };
}

/** registration is the RegisterAssociationInput of a filled form. */
export function registration(f: ProfileForm) {
  const d = description(f.description);
  return {
    name: f.name.trim(),
    acronym: optional(f.acronym),
    kind: f.kind as AssociationKind,
    originCountries: f.originCountries,
    city: f.city,
    countryOfResidence: optional(f.countryOfResidence),
    sectors: f.sectors as Sector[],
    languages: f.languages,
    description: d.en || d.fr || d.es ? d : undefined,
    website: optional(f.website),
    memberCount: optionalInt(f.memberCount),
    yearFounded: optionalInt(f.yearFounded),
    contact: contact(f),
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** changes is the UpdateAssociationProfileInput of what the form changed from before:
 * only the changed fields, null where an optional value was cleared. Empty when
 * nothing changed. */
export function changes(before: ProfileForm, after: ProfileForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const text = (k: 'name' | 'kind' | 'city' | 'countryOfResidence') => {
    if (after[k].trim() !== before[k].trim() && after[k].trim() !== '') out[k] = after[k].trim();
  };
  text('name');
  text('kind');
  text('city');
  text('countryOfResidence');
  const clearable = (k: 'acronym' | 'website') => {
    if (after[k].trim() !== before[k].trim()) out[k] = optional(after[k]) ?? null;
  };
  clearable('acronym');
  clearable('website');
  const number = (k: 'memberCount' | 'yearFounded') => {
    if (after[k].trim() !== before[k].trim()) out[k] = optionalInt(after[k]) ?? null;
  };
  number('memberCount');
  number('yearFounded');
  if (!sameSet(after.originCountries, before.originCountries) && after.originCountries.length > 0) out.originCountries = after.originCountries;
  if (!sameSet(after.sectors, before.sectors)) out.sectors = after.sectors;
  if (!sameSet(after.languages, before.languages)) out.languages = after.languages;
  if ((['en', 'fr', 'es'] as const).some((l) => after.description[l].trim() !== before.description[l].trim())) {
    out.description = description(after.description);
  }
  const c = contact(after);
  if (
    c &&
    (after.contactName.trim() !== before.contactName.trim() ||
      after.contactEmail.trim() !== before.contactEmail.trim() ||
      after.contactPhone.trim() !== before.contactPhone.trim())
  ) {
    out.contact = c;
  }
  return out;
}

/** clearsContact tells whether the form empties a contact person that was there: an
 * update cannot do that; forgetting the contact can. */
export function clearsContact(before: ProfileForm, after: ProfileForm): boolean {
  return contact(before) !== undefined && contact(after) === undefined;
}
