// The app speaks English, French and Spanish. The browser's languages choose at first;
// a choice made in the app is kept in this browser (it is not personal data).

export const locales = ['en', 'fr', 'es'] as const;
export type Locale = (typeof locales)[number];

const storageKey = 'passerelle.locale';

export function isLocale(s: string | null | undefined): s is Locale {
  return !!s && (locales as readonly string[]).includes(s);
}

/** negotiate picks the first of the browser's languages the app speaks (by primary
 * language: fr-CA is French), else English. */
export function negotiate(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (isLocale(primary)) return primary;
  }
  return 'en';
}

export function initialLocale(): Locale {
  try {
    const kept = window.localStorage.getItem(storageKey);
    if (isLocale(kept)) return kept;
  } catch {
    // storage refused (private mode): go by the browser
  }
  return negotiate(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function keepLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(storageKey, locale);
  } catch {
    // not kept: the browser's languages choose next time
  }
}

/** pickText chooses the text of a multilingual value in the reader's language, else in
 * another one, and says which language it is in (for the element's lang attribute). */
export function pickText(
  text: { en?: string | null; fr?: string | null; es?: string | null } | null | undefined,
  locale: Locale,
): { text: string; lang: Locale } | null {
  if (!text) return null;
  const order: Locale[] = [locale, ...locales.filter((l) => l !== locale)];
  for (const l of order) {
    const v = text[l];
    if (v && v.trim() !== '') return { text: v, lang: l };
  }
  return null;
}
