// A key (bearer token) shown once: to copy into a password manager or hand over safely.
// It is not kept by the app; a browser signed in with it keeps a session cookie instead.
import { useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../i18n';
import { Page } from './display';
import { Notice } from './form';

export function KeyReveal({ token, who }: { token: string; who: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <section className="key" aria-labelledby="key-title">
      <h2 id="key-title">{t('key.title', { who })}</h2>
      <p>{t('key.explain')}</p>
      <label htmlFor="key-value">{t('key.label')}</label>
      <textarea id="key-value" readOnly rows={3} value={token} onFocus={(e) => e.currentTarget.select()} data-testid="key" />
      <div className="actions">
        <button
          type="button"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(token);
              setCopied(true);
            } catch {
              setCopied(false);
            }
          }}
        >
          {t('key.copy')}
        </button>
        <span role="status">{copied ? t('key.copied') : ''}</span>
      </div>
    </section>
  );
}

/** The answers that give a key, for what KeyWithheld says to do instead. */
export type KeyKind = 'association' | 'renewal' | 'coordinator' | 'registrant';

/** KeyWithheld stands where a key would be when the answer carries none: it answered a
 * repeat of a request that came after the replay window, and says what to do instead. */
export function KeyWithheld({ kind }: { kind: KeyKind }) {
  const t = useT();
  const what = {
    association: t('key.withheldAssociation'),
    renewal: t('key.withheldRenewal'),
    coordinator: t('key.withheldCoordinator'),
    registrant: t('key.withheldRegistrant'),
  }[kind];
  return (
    <section className="key" aria-labelledby="key-withheld-title" data-testid="key-withheld">
      <h2 id="key-withheld-title">{t('key.withheldTitle')}</h2>
      <p>{what}</p>
    </section>
  );
}

/** KeyAnswer shows the key an answer carries, or why it carries none. */
export function KeyAnswer({ token, who, kind }: { token: string | null; who: string; kind: KeyKind }) {
  return token ? <KeyReveal token={token} who={who} /> : <KeyWithheld kind={kind} />;
}

/** signInWith opens this browser's session with a key just issued; when that fails, the
 * key still works on the sign-in page, so the reader is shown it either way. */
export async function signInWith(signIn: (token: string) => Promise<void>, token: string): Promise<void> {
  try {
    await signIn(token);
  } catch {
    // The key still works on the sign-in page.
  }
}

/** Registered is the page after a registration: what happened, the new key shown once
 * (or why a repeat carries none), and a link to what was registered when the reader may
 * see it. */
export function Registered(props: { title: string; notice: string; token: string | null; who: string; to: string | null; linkLabel: string }) {
  return (
    <Page title={props.title}>
      <Notice>{props.notice}</Notice>
      <KeyAnswer token={props.token} who={props.who} kind="registrant" />
      {props.to ? (
        <p>
          <Link to={props.to}>{props.linkLabel}</Link>
        </p>
      ) : null}
    </Page>
  );
}
