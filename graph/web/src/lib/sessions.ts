// Sessions as pages show them: the fragments every page and the live feed share, and the
// rules of a city's clocks that the scheduling forms explain.
import { graphql, type ResultOf } from '../graphql';

export const SessionCard = graphql(`
  fragment SessionCard on DialogueSession {
    id
    version
    status
    capacity
    confirmedSeats
    seatsLeft
    waitlistLength
    registrationOpen
    durationMinutes
    cancellationReason
    calendarPath
    theme
    originCountries
    title {
      en
      fr
      es
    }
    venue {
      name
      address
    }
    start {
      utc
      local
      localDateTime
      timeZone
      utcOffset
    }
    end {
      utc
      local
      localDateTime
      timeZone
      utcOffset
    }
    registrationDeadline {
      utc
      local
      localDateTime
      timeZone
      utcOffset
    }
    city {
      slug
      name
      timeZone
    }
  }
`);

export const SessionDetail = graphql(
  `
    fragment SessionDetail on DialogueSession {
      ...SessionCard
      description {
        en
        fr
        es
      }
      stakeholders {
        name
        kind
        country
      }
      attendedSeats
      checkInOpen
      offerHours
      offeredSeats
      series {
        id
        localTime
        durationMinutes
        cancelledFrom
        firstDate
        recurrence {
          frequency
          interval
          weekday
          week
          count
          until
        }
        occurrences {
          date
          refusal
          session {
            id
            status
          }
        }
      }
      outcome {
        summary {
          en
          fr
          es
        }
        followUps {
          action
          owner
          due
        }
        recordedAt
      }
      registrations {
        id
        seats
        status
        waitlistPosition
        registeredAt
        attendedSeats
        checkedInAt
        offerExpiresAt
        association {
          id
          name
        }
      }
      proposals {
        id
        status
        title {
          en
          fr
          es
        }
      }
    }
  `,
  [SessionCard],
);

export type SessionCardData = ResultOf<typeof SessionCard>;
export type SessionDetailData = ResultOf<typeof SessionDetail>;

/** offsetMinutes reads "+01:00" as 60 and "-04:00" as -240. */
export function offsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** occurrences orders the offsets of a wall-clock time that happens twice: the first
 * occurrence is at the larger offset (still summer time), the second after the clocks
 * went back. */
export function occurrences(offsets: readonly string[]): string[] {
  return [...offsets].sort((a, b) => offsetMinutes(b) - offsetMinutes(a));
}

/** upcomingFirst orders sessions by start. */
export function byStart<T extends { start: { utc: string } }>(a: T, b: T): number {
  return a.start.utc < b.start.utc ? -1 : a.start.utc > b.start.utc ? 1 : 0;
}

/** merge puts a session that changed into a list: replaced where it was, added in start
 * order when it is new and belongs (keep says whether it does). */
export function merge<T extends { id: string; start: { utc: string } }>(list: readonly T[], changed: T, keep: (s: T) => boolean): T[] {
  const rest = list.filter((s) => s.id !== changed.id);
  return keep(changed) ? [...rest, changed].sort(byStart) : rest;
}

/** Registration statuses that no longer hold or wait for seats: the association may
 * register again. */
export const endedRegistration = new Set(['CANCELLED', 'OFFER_DECLINED', 'OFFER_EXPIRED']);

/** maxOfferHours is the longest a freed seat may be offered, as the sessions service
 * allows: two weeks. */
export const maxOfferHours = 336;
