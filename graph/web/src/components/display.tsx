// How the app shows things: pages with their title, texts in the reader's language (or
// another, marked as such), money, a city's times, statuses, loading and failures.
import { useEffect, useRef, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { useLocale, useT } from '../i18n';
import { pickText } from '../i18n/locale';
import { formatMoney, formatSessionTime, type SessionTimeValue } from '../lib/format';
import { explain, statusLabel } from '../lib/problems';

/** arrived is false until the first page has shown: the focus starts at the top of the
 * document (where the link to skip to the content is), and moves to a page's title only
 * when the reader goes from one page to another in the app. */
let arrived = false;

/** Page gives the page its title (in the tab too) and moves the focus to it when the
 * page changes, so that screen readers announce the new page. */
export function Page({ title, children, lead, actions }: { title: string; children: ReactNode; lead?: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Passerelle`;
  }, [title]);
  useEffect(() => {
    if (arrived) heading.current?.focus({ preventScroll: true });
    arrived = true;
  }, []);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {lead ? <p className="lead">{lead}</p> : null}
      {children}
    </>
  );
}

/** Localized shows a multilingual text in the reader's language when it has one, else in
 * another, with the element's lang saying which. */
export function Localized({
  text,
  as: Tag = 'span',
  className,
}: {
  text: { en?: string | null; fr?: string | null; es?: string | null } | null | undefined;
  as?: 'span' | 'p' | 'h2' | 'h3' | 'div';
  className?: string;
}) {
  const { locale } = useLocale();
  const picked = pickText(text, locale);
  if (!picked) return null;
  return (
    <Tag lang={picked.lang === locale ? undefined : picked.lang} className={className}>
      {picked.text}
    </Tag>
  );
}

export function MoneyText({ money }: { money: { amount: string; currency: string } | null | undefined }) {
  const { locale } = useLocale();
  if (!money) return null;
  return <span className="money">{formatMoney(locale, money.amount, money.currency)}</span>;
}

/** When is an instant as the session's city shows it, with the offset then. */
export function When({ time, style = 'full' }: { time: SessionTimeValue; style?: 'full' | 'medium' }) {
  const { locale } = useLocale();
  return <time dateTime={time.localDateTime ?? time.utc}>{formatSessionTime(locale, time, style)}</time>;
}

export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={'badge status-' + status.toLowerCase()}>{statusLabel(t, status)}</span>;
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** QueryFailure says why a page could not load, in the reader's language. */
export function QueryFailure({ error }: { error: CombinedError }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <div className="notice error" role="alert">
      {explain(error, t, locale).map((p, i) => (
        <p key={i}>{p.message}</p>
      ))}
    </div>
  );
}

export function NotFound() {
  const t = useT();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
    </Page>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** Facts is a description list of a thing's properties; rows without a value are left out. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
  return (
    <dl className="facts">
      {shown.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
