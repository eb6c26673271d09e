// The platform as the app sees it: a GraphQL client for the current browser session, who
// that session speaks for (the viewer), and a way to start over with a new session.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Provider, useQuery } from 'urql';
import { connect } from './client';
import { graphql, type ResultOf } from './graphql';
import { signIn as exchangeToken, signOut as endSession } from './session';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      role
      city {
        slug
        name
        timeZone
      }
      association {
        id
        name
        status
        city {
          slug
          name
        }
      }
      expert {
        id
        name
        status
      }
      institution {
        id
        name
        status
      }
    }
  }
`);

export type Viewer = ResultOf<typeof ViewerQuery>['viewer'];

interface PlatformState {
  viewer: Viewer | null;
  /** signIn exchanges a token for a session and starts over as its holder. */
  signIn: (token: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** reconnects counts the live connection's returns after a cut. */
  reconnects: number;
  /** ended says the session was ended by the platform (it expired, or a coordinator was
   * dismissed), for the page to say so. */
  ended: boolean;
}

const anonymous: Viewer = { role: 'ANONYMOUS', city: null, association: null, expert: null, institution: null };

const PlatformContext = createContext<PlatformState>({
  viewer: anonymous,
  signIn: async () => {},
  signOut: async () => {},
  reconnects: 0,
  ended: false,
});

export function PlatformProvider({ children }: { children: ReactNode }) {
  const [epoch, setEpoch] = useState(0);
  const [reconnects, setReconnects] = useState(0);
  const [ended, setEnded] = useState(false);
  const renew = useCallback(() => setEpoch((e) => e + 1), []);
  // A new session is a new client: nothing cached for one reader shows to the next.
  const connection = useMemo(
    () =>
      connect({
        reconnected: () => setReconnects((n) => n + 1),
        // The gateway refuses a session it no longer honours (and clears its cookie):
        // start over as a visitor, saying why. Visitors are never refused that way.
        sessionEnded: () => {
          setEnded(true);
          renew();
        },
      }),
    [epoch], // eslint-disable-line react-hooks/exhaustive-deps
  );
  useEffect(() => () => connection.close(), [connection]);
  const signIn = useCallback(
    async (token: string) => {
      await exchangeToken(token);
      setEnded(false);
      renew();
    },
    [renew],
  );
  const signOut = useCallback(async () => {
    await endSession();
    setEnded(false);
    renew();
  }, [renew]);
  return (
    <Provider value={connection.client}>
      <ViewerLoader signIn={signIn} signOut={signOut} reconnects={reconnects} ended={ended}>
        {children}
      </ViewerLoader>
    </Provider>
  );
}

function ViewerLoader(props: Omit<PlatformState, 'viewer'> & { children: ReactNode }) {
  const [{ data, fetching }] = useQuery({ query: ViewerQuery, requestPolicy: 'network-only' });
  const viewer = data?.viewer ?? (fetching ? null : anonymous);
  const { signIn, signOut, reconnects, ended } = props;
  const value = useMemo(() => ({ viewer, signIn, signOut, reconnects, ended }), [viewer, signIn, signOut, reconnects, ended]);
  return <PlatformContext.Provider value={value}>{props.children}</PlatformContext.Provider>;
}

export function usePlatform(): PlatformState {
  return useContext(PlatformContext);
}

/** useViewer is who the browser's session speaks for; null while it loads. */
export function useViewer(): Viewer | null {
  return useContext(PlatformContext).viewer;
}

export function isAdmin(v: Viewer | null): boolean {
  return v?.role === 'ADMIN';
}

/** coordinates tells whether the viewer may moderate the city: its coordinator or an admin. */
export function coordinates(v: Viewer | null, city: string | undefined | null): boolean {
  if (!v) return false;
  return v.role === 'ADMIN' || (v.role === 'COORDINATOR' && !!city && v.city?.slug === city);
}
