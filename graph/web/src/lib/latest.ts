import { useEffect, useState } from 'react';

/** useLatest is whichever of two sources of the same object changed last: a page's query
 * and the live feed each bring the object, and the one received last is the newest. */
export function useLatest<T>(fromQuery: T | null | undefined, fromLive: T | null | undefined): T | null | undefined {
  const [latest, setLatest] = useState<T | null | undefined>(fromQuery ?? fromLive);
  useEffect(() => {
    if (fromQuery !== undefined) setLatest(fromQuery);
  }, [fromQuery]);
  useEffect(() => {
    if (fromLive != null) setLatest(fromLive);
  }, [fromLive]);
  return latest === undefined ? fromQuery : latest;
}
