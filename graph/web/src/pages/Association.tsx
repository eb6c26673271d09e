// An association's profile: public once verified. Its contact person and the reasons of
// its status show only to the association itself, coordinators of its city and admins;
// they moderate it here, and the association manages its profile. The status updates
// live.
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { ConfirmAction, ReasonAction } from '../components/actions';
import { Facts, Loading, Localized, NotFound, Page, QueryFailure, StatusBadge } from '../components/display';
import { Notice, ProblemSummary } from '../components/form';
import { AsOfBanner, History } from '../components/History';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { useState } from 'react';
import { useAction } from '../lib/action';
import { useLatest } from '../lib/latest';
import { Reinstate, Reject, Suspend, Verify } from '../lib/moderation';
import { countryName, formatInstant, formatNumber, languageName } from '../lib/format';
import { KeyAnswer } from '../components/KeyReveal';
import { coordinates, isAdmin, useViewer } from '../platform';

export const AssociationDetail = graphql(`
  fragment AssociationDetail on Association {
    id
    name
    acronym
    kind
    status
    statusReason
    originCountries
    sectors
    languages
    countryOfResidence
    website
    memberCount
    yearFounded
    registeredAt
    verifiedAt
    city {
      slug
      name
    }
    description {
      en
      fr
      es
    }
    contact {
      name
      email
      phone
      erased
    }
  }
`);

const AssociationQuery = graphql(
  `
    query Association($id: ID!, $asOf: DateTime) {
      association(id: $id, asOf: $asOf) {
        ...AssociationDetail
      }
    }
  `,
  [AssociationDetail],
);

const AssociationLive = graphql(
  `
    subscription AssociationLive($id: ID!) {
      associationChanged(id: $id) {
        ...AssociationDetail
      }
    }
  `,
  [AssociationDetail],
);

export const DuplicatesQuery = graphql(`
  query Duplicates($id: ID!) {
    association(id: $id) {
      id
      possibleDuplicates {
        id
        name
        acronym
        status
        website
        originCountries
        registeredAt
        city {
          name
        }
      }
    }
  }
`);

const Dissolve = graphql(`
  mutation Dissolve($id: ID!, $reason: String, $idempotencyKey: String) {
    dissolveAssociation(id: $id, reason: $reason, idempotencyKey: $idempotencyKey) {
      association {
        id
        status
        statusReason
      }
    }
  }
`);
const RenewKey = graphql(`
  mutation AdminRenewAssociationKey($id: ID!, $idempotencyKey: String) {
    renewAssociationKey(id: $id, idempotencyKey: $idempotencyKey) {
      token
      keyWithheld {
        reason
      }
    }
  }
`);

const ForgetContact = graphql(`
  mutation ForgetContact($id: ID!, $idempotencyKey: String) {
    forgetAssociationContact(id: $id, idempotencyKey: $idempotencyKey) {
      association {
        id
        contact {
          name
          email
          phone
          erased
        }
      }
    }
  }
`);

export function AssociationPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const asOf = params.get('asOf');
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: AssociationQuery, variables: { id, asOf } });
  const [live] = useSubscription({ query: AssociationLive, variables: { id }, pause: !!asOf });
  const latest = useLatest(data?.association, live.data?.associationChanged);
  const a = asOf ? data?.association : latest;
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryFailure error={error} />;
  if (!a) return <NotFound />;
  const own = viewer?.association?.id === a.id;
  const moderator = coordinates(viewer, a.city.slug);
  const manages = own || isAdmin(viewer);
  return (
    <Page title={a.name} lead={a.acronym ? a.acronym : undefined} actions={<StatusBadge status={a.status} />}>
      {asOf ? <AsOfBanner asOf={asOf} /> : null}
      <Localized text={a.description} as="div" className="description" />
      <Facts
        rows={[
          [t('field.kind'), t(`kind.${a.kind}`)],
          [t('field.city'), <Link to={`/cities/${a.city.slug}`}>{a.city.name}</Link>],
          [t('field.countryOfResidence'), countryName(locale, a.countryOfResidence)],
          [t('field.originCountries'), a.originCountries.map((c) => countryName(locale, c)).join(', ')],
          [t('field.sectors'), a.sectors.map((s) => t(`sector.${s}`)).join(', ')],
          [t('field.languages'), a.languages.map((l) => languageName(locale, l)).join(', ')],
          [
            t('field.website'),
            a.website ? (
              <a href={a.website} rel="noopener noreferrer nofollow">
                {a.website}
              </a>
            ) : null,
          ],
          [t('field.memberCount'), a.memberCount != null ? formatNumber(locale, a.memberCount) : null],
          [t('field.yearFounded'), a.yearFounded != null ? String(a.yearFounded) : null],
          [t('field.registeredAt'), formatInstant(locale, a.registeredAt, false)],
          [t('field.verifiedAt'), a.verifiedAt ? formatInstant(locale, a.verifiedAt, false) : null],
          [t('field.statusReason'), a.statusReason],
        ]}
      />
      {a.contact ? (
        <section aria-labelledby="contact-title" className="private">
          <h2 id="contact-title">{t('field.contact')}</h2>
          <p className="hint">{t('association.contactShownTo')}</p>
          {a.contact.erased ? (
            <p>{t('association.contactErased')}</p>
          ) : (
            <Facts
              rows={[
                [t('field.contactName'), a.contact.name],
                [t('field.contactEmail'), a.contact.email ? <a href={`mailto:${a.contact.email}`}>{a.contact.email}</a> : null],
                [t('field.contactPhone'), a.contact.phone],
              ]}
            />
          )}
        </section>
      ) : null}
      {!asOf && (moderator || manages) ? <Actions a={a} moderator={moderator} manages={manages} own={own} /> : null}
      {!asOf && moderator ? <Duplicates id={a.id} /> : null}
      <History id={a.id} timeTravel watch={a} />
    </Page>
  );
}

function Actions({
  a,
  moderator,
  manages,
  own,
}: {
  a: { id: string; status: string; contact?: { erased: boolean } | null };
  moderator: boolean;
  manages: boolean;
  own: boolean;
}) {
  const t = useT();
  const verify = useAction(Verify);
  const reject = useAction(Reject);
  const suspend = useAction(Suspend);
  const reinstate = useAction(Reinstate);
  const dissolve = useAction(Dissolve);
  const forget = useAction(ForgetContact);
  const renew = useAction(RenewKey);
  const [done, setDone] = useState('');
  const [newKey, setNewKey] = useState<{ token: string | null } | null>(null);
  const all = [verify, reinstate, forget, renew].flatMap((x) => x.problems);
  const ok = (message: string) => (r: { data: unknown }) => {
    if (r.data) setDone(message);
    return !!r.data;
  };
  return (
    <section aria-labelledby="actions-title" className="actions-panel">
      <h2 id="actions-title">{moderator ? t('association.moderate') : t('association.manage')}</h2>
      {done ? <Notice>{done}</Notice> : null}
      <ProblemSummary problems={all} />
      <div className="action-row">
        {moderator && a.status === 'PENDING' ? (
          <>
            <button
              type="button"
              className="primary"
              disabled={verify.busy}
              onClick={async () => ok(t('association.verified'))(await verify.run({ id: a.id }))}
            >
              {t('association.verify')}
            </button>
            <ReasonAction
              name="rejectReason"
              label={t('association.reject')}
              confirmLabel={t('association.rejectConfirm')}
              reasonLabel={t('association.rejectReason')}
              hint={t('association.rejectHint')}
              danger
              busy={reject.busy}
              problems={reject.problems}
              onConfirm={async (reason) => ok(t('association.rejected'))(await reject.run({ id: a.id, reason }))}
            />
          </>
        ) : null}
        {moderator && a.status === 'VERIFIED' ? (
          <ReasonAction
            name="suspendReason"
            label={t('association.suspend')}
            confirmLabel={t('association.suspendConfirm')}
            reasonLabel={t('association.suspendReason')}
            danger
            busy={suspend.busy}
            problems={suspend.problems}
            onConfirm={async (reason) => ok(t('association.suspended'))(await suspend.run({ id: a.id, reason }))}
          />
        ) : null}
        {moderator && a.status === 'SUSPENDED' ? (
          <button type="button" disabled={reinstate.busy} onClick={async () => ok(t('association.reinstated'))(await reinstate.run({ id: a.id }))}>
            {t('association.reinstate')}
          </button>
        ) : null}
        {manages && a.status !== 'DISSOLVED' ? (
          <Link className="button" to={`/associations/${a.id}/edit`}>
            {t('association.edit')}
          </Link>
        ) : null}
        {manages && a.contact && !a.contact.erased ? (
          <ConfirmAction
            label={t('association.forget')}
            question={t('association.forgetQuestion')}
            confirmLabel={t('association.forgetConfirm')}
            danger
            busy={forget.busy}
            onConfirm={async () => ok(t('association.forgotten'))(await forget.run({ id: a.id }))}
          />
        ) : null}
        {manages && !own && a.status !== 'DISSOLVED' ? (
          <ConfirmAction
            label={t('association.renewKey')}
            question={t('association.renewKeyQuestion')}
            confirmLabel={t('association.renewKeyConfirm')}
            busy={renew.busy}
            onConfirm={async () => {
              const { data } = await renew.run({ id: a.id });
              const renewed = data?.renewAssociationKey;
              if (renewed) setNewKey({ token: renewed.token ?? null });
              return !!renewed;
            }}
          />
        ) : null}
        {manages && a.status !== 'DISSOLVED' ? (
          <ReasonAction
            name="dissolveReason"
            label={t('association.dissolve')}
            confirmLabel={t('association.dissolveConfirm')}
            reasonLabel={t('association.dissolveReason')}
            hint={own ? t('association.dissolveHint') : undefined}
            optional
            danger
            busy={dissolve.busy}
            problems={dissolve.problems}
            onConfirm={async (reason) => ok(t('association.dissolved'))(await dissolve.run({ id: a.id, reason: reason || null }))}
          />
        ) : null}
      </div>
      {newKey ? <KeyAnswer token={newKey.token} who={t('association.theAssociation')} kind="renewal" /> : null}
    </section>
  );
}

/** Duplicates lists the associations that may be this one registered twice. */
export function Duplicates({ id, compact }: { id: string; compact?: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const [{ data }] = useQuery({ query: DuplicatesQuery, variables: { id } });
  const list = data?.association?.possibleDuplicates;
  if (!list) return null;
  return (
    <section aria-label={t('duplicates.title')} className={compact ? 'duplicates compact' : 'duplicates'}>
      {compact ? <h4>{t('duplicates.title')}</h4> : <h2>{t('duplicates.title')}</h2>}
      {list.length === 0 ? (
        <p className="empty">{t('duplicates.none')}</p>
      ) : (
        <ul>
          {list.map((d) => (
            <li key={d.id}>
              <Link to={`/associations/${d.id}`}>{d.name}</Link>
              {d.acronym ? ` (${d.acronym})` : ''} — {d.city.name}, <StatusBadge status={d.status} />
              <span className="meta">
                {' '}
                · {t('field.registeredAt')} {formatInstant(locale, d.registeredAt, false)}
                {d.website ? ` · ${d.website}` : ''} · {d.originCountries.map((c) => countryName(locale, c)).join(', ')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
