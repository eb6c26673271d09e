// Formatting for the reader's language: dates and times in a city's zone with the
// offset then, money in its currency, countries and languages by name.
import type { Locale } from '../i18n/locale';
import { scaleOf } from './decimal';

const bcp47: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR', es: 'es-ES' };

/** intlLocale is the locale Intl formats with: British English for dates such as
 * 20 March 2027, the others as in France and Spain. */
export function intlLocale(locale: Locale): string {
  return bcp47[locale];
}

/** SessionTimeValue is what the API gives of a session's instant. */
export interface SessionTimeValue {
  utc: string;
  local: string;
  timeZone: string;
  utcOffset: string;
  localDateTime?: string;
}

/** formatSessionTime writes an instant as the city's clocks show it, with the offset:
 * "Saturday 20 March 2027, 18:00 (UTC+01:00)". */
export function formatSessionTime(locale: Locale, t: SessionTimeValue, style: 'full' | 'medium' = 'full'): string {
  const when = new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: style,
    timeStyle: 'short',
    timeZone: t.timeZone,
  }).format(new Date(t.utc));
  return `${when} (UTC${t.utcOffset})`;
}

/** formatTimeOnly is the clock time in the city: "18:00". */
export function formatTimeOnly(locale: Locale, t: SessionTimeValue): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: 'short', timeZone: t.timeZone }).format(new Date(t.utc));
}

/** formatDay writes a calendar date ("2027-01-07") as a day: "Thursday 7 January 2027". */
export function formatDay(locale: Locale, date: string): string {
  const d = new Date(date + 'T12:00:00Z');
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'full', timeZone: 'UTC' }).format(d);
}

/** formatInstant writes an instant (RFC 3339) in the reader's own zone. */
export function formatInstant(locale: Locale, iso: string, withTime = true): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }).format(d);
}

/** formatMoney writes an amount in its currency with as many decimals as the API gave:
 * "12 500,50 €" in French, "€12,500.50" in English. */
export function formatMoney(locale: Locale, amount: string, currency: string): string {
  const digits = scaleOf(amount);
  try {
    return new Intl.NumberFormat(intlLocale(locale), {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      // Intl reads a decimal string exactly (no float on the way).
    }).format(amount as unknown as number);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** formatNumber writes a count for the reader. */
export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(n);
}

const regionNames = new Map<Locale, Intl.DisplayNames>();
const languageNames = new Map<Locale, Intl.DisplayNames>();

/** countryName is an ISO 3166-1 code's name in the reader's language. */
export function countryName(locale: Locale, code: string): string {
  let names = regionNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([intlLocale(locale)], { type: 'region', fallback: 'code' });
    regionNames.set(locale, names);
  }
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** languageName is a BCP 47 tag's name in the reader's language ("wo" → "wolof"). */
export function languageName(locale: Locale, tag: string): string {
  let names = languageNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([intlLocale(locale)], { type: 'language', fallback: 'code' });
    languageNames.set(locale, names);
  }
  try {
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** canonicalLanguageTag is a BCP 47 tag in its canonical form, or null when it is not
 * one ("pt-br" → "pt-BR"). */
export function canonicalLanguageTag(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    return canonical ?? null;
  } catch {
    return null;
  }
}
