// A key (bearer token) shown once: to copy into a password manager or hand over safely.
// It is not kept by the app; a browser signed in with it keeps a session cookie instead.
import { useState } from 'react';
import { useT } from '../i18n';

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
