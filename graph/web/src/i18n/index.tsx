// The app's messages in English, French and Spanish (ICU message syntax, formatted by
// react-intl), and the reader's language, switchable at any time.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import { en, type MessageId } from './en';
import { es } from './es';
import { fr } from './fr';
import { initialLocale, keepLocale, type Locale } from './locale';
import { intlLocale } from '../lib/format';

export type { MessageId } from './en';

export const catalogs: Record<Locale, Record<MessageId, string>> = { en, fr, es };

interface LocaleState {
  locale: Locale;
  setLocale: (l: Locale) => void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'en', setLocale: () => {} });

export function LocaleProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initial ?? initialLocale());
  const setLocale = useCallback((l: Locale) => {
    keepLocale(l);
    setLocaleState(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return (
    <LocaleContext.Provider value={value}>
      <IntlProvider locale={intlLocale(locale)} defaultLocale="en-GB" messages={catalogs[locale]}>
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

export type Values = Record<string, string | number | boolean | null | undefined | Date>;
export type Translate = (id: MessageId, values?: Values) => string;

/** useT returns the translator of the reader's language. */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback((id: MessageId, values?: Values) => intl.formatMessage({ id }, values as never), [intl]);
}

/** has tells whether a message exists, for ids built from an API's value. */
export function has(id: string): id is MessageId {
  return Object.prototype.hasOwnProperty.call(en, id);
}
