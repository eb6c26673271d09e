// The cities of the Dialogue en continu, read once per session of the app: forms and
// filters offer them, and the directory names an association's city by them.
import { useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql';

export const CitiesQuery = graphql(`
  query Cities {
    cities {
      id
      slug
      name
      timeZone
      country
      calendarPath
    }
  }
`);

export type City = ResultOf<typeof CitiesQuery>['cities'][number];

export function useCities(): City[] {
  const [{ data }] = useQuery({ query: CitiesQuery, requestPolicy: 'cache-first' });
  return data?.cities ?? [];
}
