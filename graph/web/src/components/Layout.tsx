// The frame of every page: a link to skip to the content, the site's navigation (what the
// reader's role may do), the language switch, and the page itself.
import type { ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router';
import { useLocale, useT } from '../i18n';
import { locales, type Locale } from '../i18n/locale';
import { usePlatform } from '../platform';

const nativeNames: Record<Locale, string> = { en: 'English', fr: 'Français', es: 'Español' };

export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  const { locale, setLocale } = useLocale();
  const { viewer, signOut, ended } = usePlatform();
  const navigate = useNavigate();
  const role = viewer?.role ?? 'ANONYMOUS';
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <div className="bar">
          <Link to="/" className="brand">
            Passerelle
          </Link>
          <nav aria-label={t('nav.label')}>
            <ul>
              <li>
                <NavLink to="/associations">{t('nav.directory')}</NavLink>
              </li>
              <li>
                <NavLink to="/dialogues">{t('nav.dialogues')}</NavLink>
              </li>
              <li>
                <NavLink to="/calls">{t('nav.calls')}</NavLink>
              </li>
              <li>
                <NavLink to="/stats">{t('nav.stats')}</NavLink>
              </li>
              <li>
                <NavLink to="/experts">{t('nav.experts')}</NavLink>
              </li>
              <li>
                <NavLink to="/requests">{t('nav.requests')}</NavLink>
              </li>
              {role === 'ASSOCIATION' ? (
                <li>
                  <NavLink to="/my">{t('nav.my')}</NavLink>
                </li>
              ) : null}
              {role === 'EXPERT' && viewer?.expert ? (
                <li>
                  <NavLink to={`/experts/${viewer.expert.id}`}>{t('nav.myExpert')}</NavLink>
                </li>
              ) : null}
              {role === 'INSTITUTION' && viewer?.institution ? (
                <li>
                  <NavLink to={`/institutions/${viewer.institution.id}`}>{t('nav.myInstitution')}</NavLink>
                </li>
              ) : null}
              {role === 'COORDINATOR' || role === 'ADMIN' ? (
                <li>
                  <NavLink to="/coordinate">{t('nav.coordinate')}</NavLink>
                </li>
              ) : null}
              {role === 'ADMIN' ? (
                <li>
                  <NavLink to="/admin">{t('nav.admin')}</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
          <div className="account">
            <label htmlFor="language" className="visually-hidden">
              {t('nav.language')}
            </label>
            <select id="language" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
              {locales.map((l) => (
                <option key={l} value={l} lang={l}>
                  {nativeNames[l]}
                </option>
              ))}
            </select>
            {viewer && role !== 'ANONYMOUS' ? (
              <>
                <span className="who">{viewer.association?.name ?? t(`role.${role}` as 'role.ADMIN')}</span>
                <button
                  type="button"
                  onClick={async () => {
                    await signOut();
                    navigate('/');
                  }}
                >
                  {t('nav.signOut')}
                </button>
              </>
            ) : viewer ? (
              <>
                <NavLink to="/signin">{t('nav.signIn')}</NavLink>
                <NavLink to="/register" className="button primary">
                  {t('nav.register')}
                </NavLink>
              </>
            ) : null}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {ended && viewer?.role === 'ANONYMOUS' ? (
          <div className="notice warning" role="alert">
            {t('session.ended')} <Link to="/signin">{t('nav.signIn')}</Link>
          </div>
        ) : null}
        {children}
      </main>
      <footer className="site-footer">
        <p>{t('footer.about')}</p>
        <p>
          <a href="/graphiql">{t('footer.graphiql')}</a>
        </p>
      </footer>
    </>
  );
}
