// The association (or an admin) edits its profile: only the fields that changed are sent,
// and the directory records only those.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { AssociationFields } from '../components/AssociationForm';
import { Loading, NotFound, Page, QueryFailure } from '../components/display';
import { Form, Notice } from '../components/form';
import { graphql } from '../graphql';
import { useT } from '../i18n';
import { useAction } from '../lib/action';
import { fieldLabel } from '../lib/problems';
import { changes, checkProfile, clearsContact, emptyProfile, formOf, type ProfileForm } from '../lib/profile';
import { AssociationDetail } from './Association';

const EditQuery = graphql(
  `
    query EditAssociation($id: ID!) {
      association(id: $id) {
        ...AssociationDetail
      }
    }
  `,
  [AssociationDetail],
);

const UpdateProfile = graphql(
  `
    mutation UpdateProfile($id: ID!, $input: UpdateAssociationProfileInput!, $idempotencyKey: String) {
      updateAssociationProfile(id: $id, input: $input, idempotencyKey: $idempotencyKey) {
        changedFields
        association {
          ...AssociationDetail
        }
      }
    }
  `,
  [AssociationDetail],
);

export function EditAssociation() {
  const { id = '' } = useParams();
  const t = useT();
  const [{ data, fetching, error }] = useQuery({ query: EditQuery, variables: { id } });
  const [before, setBefore] = useState<ProfileForm | null>(null);
  const [form, setForm] = useState<ProfileForm>(emptyProfile);
  const [saved, setSaved] = useState<string[] | null>(null);
  const action = useAction(UpdateProfile);
  const a = data?.association;
  useEffect(() => {
    if (a && !before) {
      const f = formOf(a);
      setBefore(f);
      setForm(f);
    }
  }, [a, before]);
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  if (!a || !before) return <NotFound />;

  const submit = async () => {
    setSaved(null);
    const found = checkProfile(form, t);
    if (clearsContact(before, form)) found.push({ field: 'contact.name', message: t('association.useForget') });
    action.setProblems(found);
    if (found.length > 0) return;
    const input = changes(before, form);
    if (Object.keys(input).length === 0) {
      setSaved([]);
      return;
    }
    const { data: result } = await action.run({ id, input });
    const r = result?.updateAssociationProfile;
    if (r) {
      const now = formOf(r.association);
      setBefore(now);
      setForm(now);
      setSaved(r.changedFields);
    }
  };
  return (
    <Page title={t('edit.title', { name: a.name })}>
      {saved ? (
        <Notice>{saved.length ? t('edit.saved', { fields: saved.map((f) => fieldLabel(t, f)).join(', ') }) : t('edit.nothing')}</Notice>
      ) : null}
      <Form
        onSubmit={submit}
        problems={action.problems}
        submitLabel={t('edit.submit')}
        busy={action.busy}
        secondary={<Link to={`/associations/${id}`}>{t('edit.back')}</Link>}
      >
        <AssociationFields
          value={form}
          onChange={setForm}
          problems={action.problems}
          contactNote={a.contact?.erased ? <p className="hint">{t('association.contactErased')}</p> : null}
        />
      </Form>
    </Page>
  );
}
