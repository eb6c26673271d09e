// An association registers online: its whole profile, then its key, shown once, and a
// session opened with it so that it stays signed in on this browser.
import { useState } from 'react';
import { Link } from 'react-router';
import { AssociationFields } from '../components/AssociationForm';
import { Page } from '../components/display';
import { Form, Notice } from '../components/form';
import { KeyAnswer } from '../components/KeyReveal';
import { graphql } from '../graphql';
import { useT } from '../i18n';
import { useAction } from '../lib/action';
import { checkProfile, emptyProfile, registration } from '../lib/profile';
import { usePlatform } from '../platform';

const RegisterMutation = graphql(`
  mutation RegisterAssociation($input: RegisterAssociationInput!, $idempotencyKey: String) {
    registerAssociation(input: $input, idempotencyKey: $idempotencyKey) {
      association {
        id
        name
        status
      }
      token
      keyWithheld {
        reason
      }
    }
  }
`);

export function Register() {
  const t = useT();
  const { signIn } = usePlatform();
  const [form, setForm] = useState(emptyProfile);
  const action = useAction(RegisterMutation);
  const [done, setDone] = useState<{ id: string; name: string; token: string | null; signedIn: boolean } | null>(null);

  const submit = async () => {
    const found = checkProfile(form, t);
    action.setProblems(found);
    if (found.length > 0) return;
    const { data } = await action.run({ input: registration(form) });
    const reg = data?.registerAssociation;
    if (!reg) return;
    // A repeat of the registration long after the first answer carries no key.
    let signedIn = !!reg.token;
    if (reg.token) {
      try {
        await signIn(reg.token);
      } catch {
        signedIn = false;
      }
    }
    setDone({ id: reg.association.id, name: reg.association.name, token: reg.token ?? null, signedIn });
  };

  if (done) {
    return (
      <Page title={t('register.doneTitle')}>
        <Notice>{t('register.done', { name: done.name })}</Notice>
        <p>{t('register.pending')}</p>
        <KeyAnswer token={done.token} who={done.name} kind="association" />
        <p>
          {done.signedIn ? t('register.signedIn') : t('register.notSignedIn')} <Link to={`/associations/${done.id}`}>{t('register.seeProfile')}</Link>{' '}
          · <Link to="/my">{t('nav.my')}</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('register.title')} lead={t('register.lead')}>
      <Form onSubmit={submit} problems={action.problems} submitLabel={t('register.submit')} busy={action.busy}>
        <AssociationFields value={form} onChange={setForm} problems={action.problems} />
      </Form>
    </Page>
  );
}
