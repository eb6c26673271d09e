// One session of the Dialogue en continu: when (on the city's clocks), where, seats and
// waitlist, live. A verified association registers here and sees its place; the city's
// coordinators (and admins) see who registered, move, resize or cancel the session, and
// check associations in at the door on the day (from a phone), take the registrations
// away as a spreadsheet, and record attendance and outcome once it is over.
import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { ConfirmAction, ReasonAction } from '../components/actions';
import { Facts, Loading, Localized, NotFound, Page, QueryFailure, StatusBadge, When } from '../components/display';
import { Form, Notice, ProblemSummary, Radios, TextArea, TextField } from '../components/form';
import { AsOfBanner, History } from '../components/History';
import { LocalizedFields, type LocalizedValue } from '../components/pickers';
import { TimeFields, emptyTime, timeInput, type TimeValue } from '../components/TimeFields';
import { graphql } from '../graphql';
import { useLocale, useT } from '../i18n';
import { useAction } from '../lib/action';
import { useDownload } from '../lib/download';
import { countryName, formatDay, formatInstant, intlLocale } from '../lib/format';
import { useLatest } from '../lib/latest';
import { forField } from '../lib/problems';
import { SessionDetail, endedRegistration, maxOfferHours } from '../lib/sessions';
import { coordinates, useViewer } from '../platform';

const SessionQuery = graphql(
  `
    query Session($id: ID!, $asOf: DateTime) {
      dialogueSession(id: $id, asOf: $asOf) {
        ...SessionDetail
      }
    }
  `,
  [SessionDetail],
);

const SessionLive = graphql(
  `
    subscription SessionLive($city: String!) {
      sessionChanged(city: $city) {
        ...SessionDetail
      }
    }
  `,
  [SessionDetail],
);

const RegisterForSession = graphql(
  `
    mutation RegisterForSession($sessionId: ID!, $associationId: ID!, $seats: Int, $idempotencyKey: String) {
      registerForSession(sessionId: $sessionId, associationId: $associationId, seats: $seats, idempotencyKey: $idempotencyKey) {
        status
        waitlistPosition
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const CancelRegistration = graphql(
  `
    mutation CancelRegistration($sessionId: ID!, $registrationId: ID!, $idempotencyKey: String) {
      cancelSessionRegistration(sessionId: $sessionId, registrationId: $registrationId, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const Reschedule = graphql(
  `
    mutation Reschedule($sessionId: ID!, $time: SessionTimeInput!, $idempotencyKey: String) {
      rescheduleSession(sessionId: $sessionId, time: $time, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const ChangeCapacity = graphql(
  `
    mutation ChangeCapacity($sessionId: ID!, $capacity: Int!, $idempotencyKey: String) {
      changeSessionCapacity(sessionId: $sessionId, capacity: $capacity, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const CancelSession = graphql(
  `
    mutation CancelSession($sessionId: ID!, $reason: String!, $idempotencyKey: String) {
      cancelSession(sessionId: $sessionId, reason: $reason, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const RecordAttendance = graphql(
  `
    mutation RecordAttendance($sessionId: ID!, $attendance: [AttendanceInput!]!, $idempotencyKey: String) {
      recordAttendance(sessionId: $sessionId, attendance: $attendance, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const RecordOutcome = graphql(
  `
    mutation RecordOutcome($sessionId: ID!, $summary: LocalizedTextInput!, $followUps: [FollowUpInput!], $idempotencyKey: String) {
      recordSessionOutcome(sessionId: $sessionId, summary: $summary, followUps: $followUps, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const CheckIn = graphql(
  `
    mutation CheckIn($sessionId: ID!, $registrationId: ID!, $seats: Int!, $idempotencyKey: String) {
      checkIn(sessionId: $sessionId, registrationId: $registrationId, seats: $seats, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const UndoCheckIn = graphql(
  `
    mutation UndoCheckIn($sessionId: ID!, $registrationId: ID!, $idempotencyKey: String) {
      undoCheckIn(sessionId: $sessionId, registrationId: $registrationId, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const ChangeWaitlistOffers = graphql(
  `
    mutation ChangeWaitlistOffers($sessionId: ID!, $offerHours: Int!, $idempotencyKey: String) {
      changeWaitlistOffers(sessionId: $sessionId, offerHours: $offerHours, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const AcceptOffer = graphql(
  `
    mutation AcceptOffer($sessionId: ID!, $registrationId: ID!, $idempotencyKey: String) {
      acceptWaitlistOffer(sessionId: $sessionId, registrationId: $registrationId, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const DeclineOffer = graphql(
  `
    mutation DeclineOffer($sessionId: ID!, $registrationId: ID!, $idempotencyKey: String) {
      declineWaitlistOffer(sessionId: $sessionId, registrationId: $registrationId, idempotencyKey: $idempotencyKey) {
        session {
          ...SessionDetail
        }
      }
    }
  `,
  [SessionDetail],
);

const MessageAssociations = graphql(`
  mutation MessageAssociations($sessionId: ID!, $audience: MessageAudience!, $subject: String!, $body: String!, $idempotencyKey: String) {
    messageSessionAssociations(sessionId: $sessionId, audience: $audience, subject: $subject, body: $body, idempotencyKey: $idempotencyKey) {
      recipients
    }
  }
`);

const MoveSeries = graphql(`
  mutation MoveSeries($seriesId: ID!, $fromSessionId: ID!, $localTime: String!, $durationMinutes: Int!, $idempotencyKey: String) {
    moveSeriesFrom(
      seriesId: $seriesId
      fromSessionId: $fromSessionId
      localTime: $localTime
      durationMinutes: $durationMinutes
      idempotencyKey: $idempotencyKey
    ) {
      series {
        id
      }
    }
  }
`);

const CancelSeries = graphql(`
  mutation CancelSeries($seriesId: ID!, $fromSessionId: ID!, $reason: String!, $idempotencyKey: String) {
    cancelSeriesFrom(seriesId: $seriesId, fromSessionId: $fromSessionId, reason: $reason, idempotencyKey: $idempotencyKey) {
      series {
        id
      }
    }
  }
`);

const RegistrationsFile = graphql(`
  query RegistrationsFile($sessionId: ID!, $language: Language) {
    sessionRegistrationsCsv(sessionId: $sessionId, language: $language) {
      filename
      contentType
      content
      rowCount
    }
  }
`);

type Session = NonNullable<ReturnType<typeof useSession>['session']>;

function useSession(id: string, asOf: string | null) {
  const [{ data, fetching, error }] = useQuery({ query: SessionQuery, variables: { id, asOf } });
  const city = data?.dialogueSession?.city.slug ?? '';
  const [live, setLive] = useState<NonNullable<typeof data>['dialogueSession']>(null);
  useSubscription({ query: SessionLive, variables: { city }, pause: !city || !!asOf }, (_: unknown, next) => {
    if (next.sessionChanged.id === id) setLive(next.sessionChanged);
    return next;
  });
  const latest = useLatest(data?.dialogueSession, live, (s) => s.version);
  const session = asOf ? data?.dialogueSession : latest;
  return { session, fetching: fetching && !data, error: data ? undefined : error };
}

export function SessionPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const asOf = params.get('asOf');
  const t = useT();
  const { locale } = useLocale();
  const viewer = useViewer();
  const { session: s, fetching, error } = useSession(id, asOf);
  if (fetching) return <Loading />;
  if (error) return <QueryFailure error={error} />;
  if (!s) return <NotFound />;
  const moderator = coordinates(viewer, s.city.slug);
  return (
    <Page title={pickTitle(s, locale)} lead={s.city.name} actions={<StatusBadge status={s.status} />}>
      {asOf ? <AsOfBanner asOf={asOf} /> : null}
      <Facts
        rows={[
          [t('session.start'), <When time={s.start} />],
          [t('session.end'), <When time={s.end} />],
          [t('session.deadline'), <When time={s.registrationDeadline} />],
          [t('session.venue'), `${s.venue.name}, ${s.venue.address}`],
          [t('field.theme'), t(`sector.${s.theme}`)],
          [t('session.originCountries'), s.originCountries.map((c) => countryName(locale, c)).join(', ')],
          [
            t('session.stakeholders'),
            s.stakeholders.map((x) => `${x.name} (${t(`stakeholder.${x.kind}`)}, ${countryName(locale, x.country)})`).join('; '),
          ],
          [t('session.cancellationReason'), s.cancellationReason],
        ]}
      />
      <Localized text={s.description} as="div" className="description" />
      <section className="seats-panel" aria-labelledby="seats-title">
        <h2 id="seats-title">{t('session.seats')}</h2>
        <p aria-live="polite" data-testid="seats">
          {s.status === 'CANCELLED'
            ? t('session.cancelled')
            : `${t('session.seatsLeft', { count: s.seatsLeft, capacity: s.capacity })} · ${t('session.waitlist', { count: s.waitlistLength })}`}
        </p>
        {s.status !== 'CANCELLED' && s.offeredSeats > 0 ? <p data-testid="offered">{t('offer.held', { count: s.offeredSeats })}</p> : null}
        {s.status === 'SCHEDULED' && s.offerHours > 0 ? <p className="hint">{t('offer.policy', { hours: s.offerHours })}</p> : null}
        <p>
          <a href={s.calendarPath} download>
            {t('session.calendar')}
          </a>
        </p>
      </section>
      {!asOf && viewer?.role === 'ASSOCIATION' && viewer.association ? <OwnRegistration s={s} association={viewer.association} /> : null}
      {!asOf && moderator && s.checkInOpen && s.status === 'SCHEDULED' ? <CheckInDesk s={s} /> : null}
      {moderator ? <Registrations s={s} editable={!asOf} /> : null}
      {s.series ? <SeriesPanel s={s} moderator={moderator && !asOf} /> : null}
      {!asOf && moderator && s.status !== 'CANCELLED' ? <WriteToAssociations s={s} /> : null}
      {!asOf && moderator ? <Manage s={s} /> : null}
      {s.outcome ? (
        <section aria-labelledby="outcome-title">
          <h2 id="outcome-title">{t('session.outcome')}</h2>
          <Localized text={s.outcome.summary} as="p" />
          {s.outcome.followUps.length ? (
            <ul>
              {s.outcome.followUps.map((f, i) => (
                <li key={i}>
                  {f.action}
                  {f.owner ? ` — ${f.owner}` : ''}
                  {f.due ? ` (${f.due})` : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      {s.proposals.length ? (
        <section aria-labelledby="proposals-title">
          <h2 id="proposals-title">{t('session.proposals')}</h2>
          <ul>
            {s.proposals.map((p) => (
              <li key={p.id}>
                <Link to={`/proposals/${p.id}`}>
                  <Localized text={p.title} />
                </Link>{' '}
                <StatusBadge status={p.status} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <History id={s.id} timeTravel watch={s} />
    </Page>
  );
}

function pickTitle(s: { title: { en?: string | null; fr?: string | null; es?: string | null } }, locale: 'en' | 'fr' | 'es'): string {
  return s.title[locale] || s.title.en || s.title.fr || s.title.es || '';
}

/** OwnRegistration is what an association sees of its own place at the session: its
 * seats, its place on the waitlist, or seats offered to it, to take or turn down before
 * the offer expires. */
function OwnRegistration({ s, association }: { s: Session; association: { id: string; name: string; status: string } }) {
  const t = useT();
  const { locale } = useLocale();
  const [seats, setSeats] = useState('1');
  const register = useAction(RegisterForSession);
  const cancel = useAction(CancelRegistration);
  const accept = useAction(AcceptOffer);
  const decline = useAction(DeclineOffer);
  const own = s.registrations.filter((r) => r.association?.id === association.id);
  const mine = own.find((r) => !endedRegistration.has(r.status));
  const lastEnded = own.length && !mine ? own[own.length - 1] : undefined;
  return (
    <section className="registration" aria-labelledby="registration-title">
      <h2 id="registration-title">{t('registration.title', { name: association.name })}</h2>
      <div aria-live="polite" data-testid="registration">
        {mine ? (
          <p className={'registration-status ' + mine.status.toLowerCase()}>
            {mine.status === 'WAITLISTED'
              ? t('registration.waitlisted', { place: mine.waitlistPosition ?? 0, seats: mine.seats })
              : mine.status === 'OFFERED'
                ? t('offer.yours', { seats: mine.seats, until: formatInstant(locale, mine.offerExpiresAt ?? '') })
                : t('registration.confirmed', { seats: mine.seats })}
          </p>
        ) : lastEnded?.status === 'OFFER_EXPIRED' || lastEnded?.status === 'OFFER_DECLINED' ? (
          <p className="registration-status ended">{t(lastEnded.status === 'OFFER_EXPIRED' ? 'offer.expired' : 'offer.declined')}</p>
        ) : null}
      </div>
      {mine?.status === 'OFFERED' ? (
        <div className="action-row">
          <ProblemSummary problems={[...accept.problems, ...decline.problems]} />
          <button
            type="button"
            className="primary"
            disabled={accept.busy}
            onClick={async () => {
              decline.clear();
              await accept.run({ sessionId: s.id, registrationId: mine.id });
            }}
          >
            {t('offer.accept', { seats: mine.seats })}
          </button>
          <ConfirmAction
            label={t('offer.decline')}
            question={t('offer.declineQuestion')}
            confirmLabel={t('offer.declineConfirm')}
            danger
            busy={decline.busy}
            onConfirm={async () => {
              accept.clear();
              return !!(await decline.run({ sessionId: s.id, registrationId: mine.id })).data;
            }}
          />
        </div>
      ) : mine ? (
        <>
          <ProblemSummary problems={cancel.problems} />
          <ConfirmAction
            label={t('registration.cancel')}
            question={t('registration.cancelQuestion')}
            confirmLabel={t('registration.cancelConfirm')}
            danger
            busy={cancel.busy}
            onConfirm={async () => !!(await cancel.run({ sessionId: s.id, registrationId: mine.id })).data}
          />
        </>
      ) : association.status !== 'VERIFIED' ? (
        <p>{t('registration.notVerified')}</p>
      ) : !s.registrationOpen ? (
        <p>{s.status === 'CANCELLED' ? t('session.cancelled') : t('registration.closed')}</p>
      ) : (
        <Form
          onSubmit={async () => {
            const n = Number(seats);
            if (!Number.isInteger(n) || n < 1 || n > s.capacity) {
              register.setProblems([{ field: 'seats', message: t('rule.seats') }]);
              return;
            }
            await register.run({ sessionId: s.id, associationId: association.id, seats: n });
          }}
          problems={register.problems}
          submitLabel={t('registration.submit')}
          busy={register.busy}
        >
          <p className="hint">{s.seatsLeft > 0 && s.waitlistLength === 0 ? t('registration.willConfirm') : t('registration.willWait')}</p>
          {s.offerHours > 0 ? <p className="hint">{t('offer.willOffer', { hours: s.offerHours })}</p> : null}
          <TextField
            name="seats"
            type="number"
            inputMode="numeric"
            min={1}
            max={s.capacity}
            label={t('registration.seats')}
            value={seats}
            onChange={setSeats}
            width="short"
            required
            error={forField(register.problems, 'seats')}
          />
        </Form>
      )}
    </section>
  );
}

/** CheckInDesk is the door on the day: each confirmed registration with the seats its
 * people use, checked in with one tap (again with other seats to correct), undone if it
 * was a mistake. Made for a phone held at the entrance. Once the session is over, the
 * attendance form below takes over, starting from what was checked in. */
function CheckInDesk({ s }: { s: Session }) {
  const t = useT();
  const { locale } = useLocale();
  const checkIn = useAction(CheckIn);
  const undo = useAction(UndoCheckIn);
  const [seats, setSeats] = useState<Record<string, string>>({});
  const confirmed = s.registrations.filter((r) => r.status === 'CONFIRMED');
  const expected = confirmed.reduce((n, r) => n + r.seats, 0);
  const arrived = confirmed.reduce((n, r) => n + (r.checkedInAt ? (r.attendedSeats ?? 0) : 0), 0);
  const problems = [...checkIn.problems, ...undo.problems];
  return (
    <section className="check-in" aria-labelledby="check-in-title">
      <h2 id="check-in-title">{t('checkIn.title')}</h2>
      <p aria-live="polite" data-testid="checked-in">
        {t('checkIn.count', { arrived, expected })}
      </p>
      <ProblemSummary problems={problems} />
      {confirmed.length === 0 ? <p className="empty">{t('checkIn.none')}</p> : null}
      <ul className="check-in-list">
        {confirmed.map((r) => {
          const name = r.association?.name ?? '—';
          const value = seats[r.id] ?? String(r.checkedInAt ? (r.attendedSeats ?? r.seats) : r.seats);
          const n = Number(value);
          return (
            <li key={r.id} className={r.checkedInAt ? 'arrived' : ''} data-registration={r.id}>
              <p className="who">
                <strong>{name}</strong> <span className="meta">{t('checkIn.confirmed', { seats: r.seats })}</span>
              </p>
              {r.checkedInAt ? (
                <p className="arrived-note">{t('checkIn.arrived', { time: formatInstant(locale, r.checkedInAt), seats: r.attendedSeats ?? 0 })}</p>
              ) : null}
              <div className="row">
                <TextField
                  name={`checkIn.${r.id}`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={r.seats}
                  width="short"
                  label={t('checkIn.seats', { name })}
                  value={value}
                  onChange={(v) => setSeats({ ...seats, [r.id]: v })}
                  quiet
                />
                <button
                  type="button"
                  className="primary"
                  disabled={checkIn.busy}
                  aria-label={t(r.checkedInAt ? 'checkIn.correctFor' : 'checkIn.submitFor', { name })}
                  onClick={async () => {
                    if (!Number.isInteger(n) || n < 1 || n > r.seats) {
                      checkIn.setProblems([{ field: 'seats', message: t('rule.checkInSeats', { seats: r.seats }) }]);
                      return;
                    }
                    undo.clear();
                    await checkIn.run({ sessionId: s.id, registrationId: r.id, seats: n });
                  }}
                >
                  {t(r.checkedInAt ? 'checkIn.correct' : 'checkIn.submit')}
                </button>
                {r.checkedInAt ? (
                  <button
                    type="button"
                    disabled={undo.busy}
                    aria-label={t('checkIn.undoFor', { name })}
                    onClick={async () => {
                      checkIn.clear();
                      await undo.run({ sessionId: s.id, registrationId: r.id });
                      setSeats({ ...seats, [r.id]: String(r.seats) });
                    }}
                  >
                    {t('checkIn.undo')}
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** RegistrationsDownload saves the registrations and attendance as a spreadsheet, in
 * the reader's language. */
function RegistrationsDownload({ s }: { s: Session }) {
  const t = useT();
  const { locale } = useLocale();
  const file = useDownload(RegistrationsFile, (d) => d.sessionRegistrationsCsv);
  return (
    <div className="download">
      <ProblemSummary problems={file.problems} />
      <button type="button" disabled={file.busy} onClick={() => file.run({ sessionId: s.id, language: locale.toUpperCase() as 'EN' | 'FR' | 'ES' })}>
        {t('export.registrations')}
      </button>
      <span className="hint"> {t('export.hint')}</span>
      {file.saved ? <Notice>{t('export.saved', { name: file.saved.filename, rows: file.saved.rowCount })}</Notice> : null}
    </div>
  );
}

/** Registrations is who registered, in arrival order, with the waitlist: for the city's
 * coordinators and admins. Once the session is over, the seats used are recorded here. */
function Registrations({ s, editable }: { s: Session; editable: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const cancel = useAction(CancelRegistration);
  const attendance = useAction(RecordAttendance);
  const confirmed = s.registrations.filter((r) => r.status === 'CONFIRMED');
  const [used, setUsed] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const held = s.status === 'HELD';
  const active = s.registrations.filter((r) => !endedRegistration.has(r.status));
  return (
    <section aria-labelledby="registrations-title">
      <h2 id="registrations-title">{t('registrations.title')}</h2>
      {editable ? <RegistrationsDownload s={s} /> : null}
      <ProblemSummary problems={cancel.problems} />
      {active.length === 0 ? (
        <p className="empty">{t('registrations.none')}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{t('registrations.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('registrations.association')}</th>
              <th scope="col">{t('registrations.seats')}</th>
              <th scope="col">{t('registrations.status')}</th>
              <th scope="col">{t('registrations.at')}</th>
              {held ? <th scope="col">{t('registrations.attended')}</th> : null}
              {editable && !held ? (
                <th scope="col">
                  <span className="visually-hidden">{t('registrations.actions')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {active.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.association ? <Link to={`/associations/${r.association.id}`}>{r.association.name}</Link> : '—'}</th>
                <td>{r.seats}</td>
                <td>
                  <StatusBadge status={r.status} />
                  {r.status === 'WAITLISTED' ? ` ${t('registrations.place', { place: r.waitlistPosition ?? 0 })}` : ''}
                  {r.status === 'OFFERED' && r.offerExpiresAt ? ` ${t('offer.until', { until: formatInstant(locale, r.offerExpiresAt) })}` : ''}
                </td>
                <td>{formatInstant(locale, r.registeredAt)}</td>
                {held ? (
                  <td>
                    {r.status === 'CONFIRMED' && editable ? (
                      <TextField
                        name={`attendance.${r.id}`}
                        type="number"
                        min={0}
                        max={r.seats}
                        width="short"
                        label={t('registrations.attendedOf', { name: r.association?.name ?? '', seats: r.seats })}
                        value={used[r.id] ?? (r.attendedSeats != null ? String(r.attendedSeats) : '')}
                        onChange={(v) => setUsed({ ...used, [r.id]: v })}
                        quiet
                      />
                    ) : (
                      (r.attendedSeats ?? '—')
                    )}
                  </td>
                ) : null}
                {editable && !held ? (
                  <td>
                    <ConfirmAction
                      label={t('registrations.cancel')}
                      question={t('registrations.cancelQuestion', { name: r.association?.name ?? '' })}
                      confirmLabel={t('registration.cancelConfirm')}
                      danger
                      busy={cancel.busy}
                      onConfirm={async () => !!(await cancel.run({ sessionId: s.id, registrationId: r.id })).data}
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {held && editable && confirmed.length > 0 ? (
        <Form
          label={t('registrations.recordAttendance')}
          onSubmit={async () => {
            setSaved(false);
            const list = confirmed
              .map((r) => ({ registrationId: r.id, value: used[r.id] ?? (r.attendedSeats != null ? String(r.attendedSeats) : '') }))
              .filter((x) => x.value !== '')
              .map((x) => ({ registrationId: x.registrationId, attendedSeats: Number(x.value) }));
            if (list.length === 0 || list.some((x) => !Number.isInteger(x.attendedSeats) || x.attendedSeats < 0)) {
              attendance.setProblems([{ field: 'attendance', message: t('rule.attendance') }]);
              return;
            }
            const { data } = await attendance.run({ sessionId: s.id, attendance: list });
            setSaved(!!data);
          }}
          problems={attendance.problems}
          submitLabel={t('registrations.recordAttendance')}
          busy={attendance.busy}
        >
          {saved ? <Notice>{t('registrations.attendanceSaved', { seats: s.attendedSeats ?? 0 })}</Notice> : null}
        </Form>
      ) : null}
    </section>
  );
}

/** SeriesPanel shows the series a session is part of — how it repeats, its other dates —
 * and lets the city's coordinators move or cancel this session and the following ones. */
function SeriesPanel({ s, moderator }: { s: Session; moderator: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const series = s.series!;
  const [time, setTime] = useState(series.localTime);
  const [duration, setDuration] = useState(String(series.durationMinutes));
  const [done, setDone] = useState('');
  const move = useAction(MoveSeries);
  const cancel = useAction(CancelSeries);
  const [{ fetching }, refresh] = useQuery({ query: SessionQuery, variables: { id: s.id, asOf: null }, pause: true });
  const r = series.recurrence;
  const day = new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'long', timeZone: 'UTC' }).format(new Date(series.firstDate + 'T12:00:00Z'));
  const rule =
    r.frequency === 'WEEKLY'
      ? t('series.everyWeek', { n: r.interval, day })
      : t('series.everyMonth', { n: r.interval, week: String(r.week ?? 1), day });
  const open = s.status === 'SCHEDULED';
  return (
    <section aria-labelledby="series-title" className="series-panel">
      <h2 id="series-title">{t('series.partOf')}</h2>
      <p data-testid="series-rule">{rule}</p>
      {series.cancelledFrom ? <p>{t('series.cancelledFrom', { date: formatDay(locale, series.cancelledFrom) })}</p> : null}
      <ul className="series-dates">
        {series.occurrences.map((o) => (
          <li key={o.date}>
            {o.session ? (
              o.session.id === s.id ? (
                <strong aria-current="page">{formatDay(locale, o.date)}</strong>
              ) : (
                <Link to={`/dialogues/${o.session.id}`}>{formatDay(locale, o.date)}</Link>
              )
            ) : (
              <span>{formatDay(locale, o.date)}</span>
            )}
            {o.session && o.session.status === 'CANCELLED' ? (
              <>
                {' '}
                <StatusBadge status="CANCELLED" />
              </>
            ) : null}
            {!o.session ? <span className="meta"> — {t(`series.refusal.${o.refusal}` as 'series.refusal.VENUE_TAKEN')}</span> : null}
          </li>
        ))}
      </ul>
      {done ? <Notice>{done}</Notice> : null}
      {moderator && open ? (
        <>
          <h3>{t('series.moveFrom')}</h3>
          <Form
            label={t('series.moveFrom')}
            onSubmit={async () => {
              if (!/^\d{2}:\d{2}$/.test(time)) {
                move.setProblems([{ field: 'series.localTime', message: t('rule.localTime') }]);
                return;
              }
              const { data } = await move.run({ seriesId: series.id, fromSessionId: s.id, localTime: time, durationMinutes: Number(duration) });
              if (data) {
                setDone(t('series.moved', { time }));
                refresh({ requestPolicy: 'network-only' });
              }
            }}
            problems={move.problems}
            submitLabel={t('series.moveSubmit')}
            busy={move.busy || fetching}
          >
            <p className="hint">{t('series.moveHint')}</p>
            <TextField name="series.localTime" type="time" label={t('series.localTime')} value={time} onChange={setTime} width="short" required />
            <TextField
              name="series.duration"
              type="number"
              min={15}
              max={1440}
              label={t('series.duration')}
              value={duration}
              onChange={setDuration}
              width="short"
              required
            />
          </Form>
          <ReasonAction
            name="seriesCancelReason"
            label={t('series.cancelFrom')}
            confirmLabel={t('series.cancelConfirm')}
            reasonLabel={t('manage.cancelReason')}
            hint={t('series.cancelHint')}
            danger
            busy={cancel.busy}
            problems={cancel.problems}
            onConfirm={async (reason) => {
              const { data } = await cancel.run({ seriesId: series.id, fromSessionId: s.id, reason });
              if (data) {
                setDone(t('series.cancelled'));
                refresh({ requestPolicy: 'network-only' });
              }
              return !!data;
            }}
          />
        </>
      ) : null}
    </section>
  );
}

/** WriteToAssociations lets the city's coordinators write to the session's associations
 * (all those registered, or, once it is held, those who came), by mail to each one's
 * contact person. */
function WriteToAssociations({ s }: { s: Session }) {
  const t = useT();
  const held = s.status === 'HELD';
  const [audience, setAudience] = useState<'REGISTERED' | 'ATTENDED'>(held ? 'ATTENDED' : 'REGISTERED');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [sent, setSent] = useState('');
  const write = useAction(MessageAssociations);
  return (
    <section aria-labelledby="write-title">
      <h2 id="write-title">{t('letter.title')}</h2>
      {sent ? <Notice>{sent}</Notice> : null}
      <Form
        label={t('letter.title')}
        onSubmit={async () => {
          const problems: { field: string; message: string }[] = [];
          if (subject.trim().length < 3) problems.push({ field: 'subject', message: t('rule.letterSubject') });
          if (body.trim().length < 10) problems.push({ field: 'body', message: t('rule.letterBody') });
          write.setProblems(problems);
          if (problems.length) return;
          setSent('');
          const { data } = await write.run({ sessionId: s.id, audience, subject, body });
          if (data) {
            setSent(t('letter.sent', { count: data.messageSessionAssociations.recipients }));
            setSubject('');
            setBody('');
          }
        }}
        problems={write.problems}
        submitLabel={t('letter.submit')}
        busy={write.busy}
      >
        <p className="hint">{t('letter.hint')}</p>
        <Radios
          name="audience"
          label={t('letter.audience')}
          value={audience}
          onChange={(v) => setAudience(v as 'REGISTERED' | 'ATTENDED')}
          options={[
            { value: 'REGISTERED', label: t('letter.audience.REGISTERED') },
            { value: 'ATTENDED', label: t('letter.audience.ATTENDED') },
          ]}
        />
        <TextField
          name="subject"
          label={t('letter.subject')}
          value={subject}
          onChange={setSubject}
          required
          error={forField(write.problems, 'subject')}
        />
        <TextArea
          name="body"
          label={t('letter.body')}
          value={body}
          onChange={setBody}
          rows={8}
          maxLength={5000}
          required
          error={forField(write.problems, 'body')}
        />
      </Form>
    </section>
  );
}

/** Manage is the coordinator's part: move, resize, set the waitlist offers, cancel; the
 * outcome once it is over. */
function Manage({ s }: { s: Session }) {
  const t = useT();
  const [time, setTime] = useState<TimeValue>(() => ({ ...emptyTime, start: s.start.local, durationMinutes: String(s.durationMinutes) }));
  const [capacity, setCapacity] = useState(String(s.capacity));
  const [offerHours, setOfferHours] = useState(String(s.offerHours));
  const offers = useAction(ChangeWaitlistOffers);
  const [summary, setSummary] = useState<LocalizedValue>(() => ({
    en: s.outcome?.summary.en ?? '',
    fr: s.outcome?.summary.fr ?? '',
    es: s.outcome?.summary.es ?? '',
  }));
  const [followUps, setFollowUps] = useState(() =>
    (s.outcome?.followUps ?? []).map((f) => ({ action: f.action, owner: f.owner ?? '', due: f.due ?? '' })),
  );
  const [done, setDone] = useState('');
  const reschedule = useAction(Reschedule);
  const resize = useAction(ChangeCapacity);
  const cancel = useAction(CancelSession);
  const outcome = useAction(RecordOutcome);
  const over = s.status === 'HELD';
  const open = s.status === 'SCHEDULED';
  const zone = useMemo(() => ({ name: s.city.name, timeZone: s.city.timeZone }), [s.city]);
  return (
    <section aria-labelledby="manage-title" className="manage">
      <h2 id="manage-title">{t('manage.title')}</h2>
      {done ? <Notice>{done}</Notice> : null}
      {open ? (
        <>
          <h3>{t('manage.reschedule')}</h3>
          <Form
            label={t('manage.reschedule')}
            onSubmit={async () => {
              const { data } = await reschedule.run({ sessionId: s.id, time: timeInput(time) });
              if (data) setDone(t('manage.rescheduled'));
            }}
            problems={reschedule.problems}
            submitLabel={t('manage.rescheduleSubmit')}
            busy={reschedule.busy}
          >
            <TimeFields city={zone} value={time} onChange={setTime} problems={reschedule.problems} deadlineHint={t('manage.deadlineMoves')} />
          </Form>
          <h3>{t('manage.capacity')}</h3>
          <Form
            label={t('manage.capacity')}
            onSubmit={async () => {
              const n = Number(capacity);
              if (!Number.isInteger(n) || n < 1) {
                resize.setProblems([{ field: 'capacity', message: t('rule.capacity') }]);
                return;
              }
              const { data } = await resize.run({ sessionId: s.id, capacity: n });
              if (data) setDone(t('manage.resized', { count: n }));
            }}
            problems={resize.problems}
            submitLabel={t('manage.capacitySubmit')}
            busy={resize.busy}
          >
            <TextField
              name="capacity"
              type="number"
              min={Math.max(1, s.confirmedSeats)}
              label={t('field.capacity')}
              hint={t('manage.capacityHint', { confirmed: s.confirmedSeats })}
              value={capacity}
              onChange={setCapacity}
              width="short"
              required
              error={forField(resize.problems, 'capacity')}
            />
          </Form>
          <h3>{t('offer.manage')}</h3>
          <Form
            label={t('offer.manage')}
            onSubmit={async () => {
              const n = Number(offerHours);
              if (!Number.isInteger(n) || n < 0 || n > maxOfferHours) {
                offers.setProblems([{ field: 'offerHours', message: t('rule.offerHours', { max: maxOfferHours }) }]);
                return;
              }
              const { data } = await offers.run({ sessionId: s.id, offerHours: n });
              if (data) setDone(n > 0 ? t('offer.changed', { hours: n }) : t('offer.turnedOff'));
            }}
            problems={offers.problems}
            submitLabel={t('offer.submit')}
            busy={offers.busy}
          >
            <TextField
              name="offerHours"
              type="number"
              min={0}
              max={maxOfferHours}
              label={t('field.offerHours')}
              hint={t('field.offerHoursHint')}
              value={offerHours}
              onChange={setOfferHours}
              width="short"
              required
              error={forField(offers.problems, 'offerHours')}
            />
          </Form>
          <ReasonAction
            name="cancelReason"
            label={t('manage.cancel')}
            confirmLabel={t('manage.cancelConfirm')}
            reasonLabel={t('manage.cancelReason')}
            hint={t('manage.cancelHint')}
            danger
            busy={cancel.busy}
            problems={cancel.problems}
            onConfirm={async (reason) => {
              const { data } = await cancel.run({ sessionId: s.id, reason });
              if (data) setDone(t('manage.cancelled'));
              return !!data;
            }}
          />
        </>
      ) : null}
      {over ? (
        <>
          <h3>{t('manage.outcome')}</h3>
          <Form
            label={t('manage.outcome')}
            onSubmit={async () => {
              const { data } = await outcome.run({
                sessionId: s.id,
                summary: { en: summary.en || null, fr: summary.fr || null, es: summary.es || null },
                followUps: followUps
                  .filter((f) => f.action.trim() !== '')
                  .map((f) => ({ action: f.action.trim(), owner: f.owner.trim() || null, due: f.due || null })),
              });
              if (data) setDone(t('manage.outcomeSaved'));
            }}
            problems={outcome.problems}
            submitLabel={t('manage.outcomeSubmit')}
            busy={outcome.busy}
          >
            <LocalizedFields
              name="summary"
              legend={t('manage.summary')}
              hint={t('form.oneLanguage')}
              value={summary}
              onChange={setSummary}
              multiline
              error={forField(outcome.problems, 'summary')}
            />
            <fieldset className="group" id="f-followUps">
              <legend>{t('manage.followUps')}</legend>
              {followUps.map((f, i) => (
                <div className="row" key={i}>
                  <TextField
                    name={`followUps.${i}.action`}
                    label={t('manage.followUpAction')}
                    value={f.action}
                    onChange={(v) => setFollowUps(followUps.map((x, j) => (j === i ? { ...x, action: v } : x)))}
                    required
                  />
                  <TextField
                    name={`followUps.${i}.owner`}
                    label={t('manage.followUpOwner')}
                    hint={t('manage.followUpOwnerHint')}
                    value={f.owner}
                    onChange={(v) => setFollowUps(followUps.map((x, j) => (j === i ? { ...x, owner: v } : x)))}
                  />
                  <TextField
                    name={`followUps.${i}.due`}
                    type="date"
                    label={t('manage.followUpDue')}
                    value={f.due}
                    onChange={(v) => setFollowUps(followUps.map((x, j) => (j === i ? { ...x, due: v } : x)))}
                  />
                  <button type="button" onClick={() => setFollowUps(followUps.filter((_, j) => j !== i))}>
                    {t('form.removeRow')}
                  </button>
                </div>
              ))}
              <button type="button" onClick={() => setFollowUps([...followUps, { action: '', owner: '', due: '' }])}>
                {t('manage.addFollowUp')}
              </button>
            </fieldset>
          </Form>
        </>
      ) : null}
      {s.status === 'CANCELLED' ? <p>{t('manage.nothingLeft')}</p> : null}
    </section>
  );
}
