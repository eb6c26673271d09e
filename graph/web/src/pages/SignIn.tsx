// Signing in with a key (the token given at registration or appointment): exchanged for
// a session cookie at once, and not kept by the browser.
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Page } from '../components/display';
import { Form, TextArea } from '../components/form';
import { useT } from '../i18n';
import type { Problem } from '../lib/problems';
import { usePlatform } from '../platform';
import { SignInError } from '../session';

export function SignIn() {
  const t = useT();
  const { signIn } = usePlatform();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const submit = async () => {
    if (key.trim() === '') {
      setProblems([{ field: 'token', message: t('signIn.empty') }]);
      return;
    }
    setBusy(true);
    try {
      await signIn(key);
      const next = params.get('next') ?? '/';
      // Only a page of this site: a link must not send a new session elsewhere.
      navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/');
    } catch (e) {
      const code = e instanceof SignInError ? e.code : 'INTERNAL';
      const renewed = e instanceof SignInError && e.reason === 'KEY_RENEWED';
      setProblems([
        {
          field: 'token',
          message: renewed
            ? t('reason.KEY_RENEWED')
            : code === 'UNAUTHENTICATED'
              ? t('signIn.refused')
              : t(code === 'NETWORK' ? 'code.NETWORK' : 'code.INTERNAL'),
        },
      ]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('signIn.title')} lead={t('signIn.lead')}>
      <Form onSubmit={submit} problems={problems} submitLabel={t('signIn.submit')} busy={busy}>
        <TextArea
          name="token"
          label={t('signIn.key')}
          hint={t('signIn.keyHint')}
          value={key}
          onChange={setKey}
          rows={3}
          required
          error={problems[0]?.message}
        />
      </Form>
      <p>
        {t('signIn.noKey')} <Link to="/register">{t('nav.register')}</Link>
      </p>
    </Page>
  );
}
