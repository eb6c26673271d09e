import { useEffect, useState } from 'react';

/** useLatest is the newest of two sources of the same object: a page's query (refreshed
 * by the page's own mutations) and the live feed each bring it. Given the object's
 * version, the higher one wins, whatever arrived last: a mutation's answer can reach the
 * page after the live feed already brought what a policy did next. Without one, the one
 * received last is taken as the newest. */
export function useLatest<T>(fromQuery: T | null | undefined, fromLive: T | null | undefined, version?: (t: T) => number): T | null | undefined {
  const [latest, setLatest] = useState<T | null | undefined>(fromQuery ?? fromLive);
  const newer = (next: T | null | undefined) => (current: T | null | undefined) =>
    version && current != null && next != null && version(current) > version(next) ? current : next;
  useEffect(() => {
    if (fromQuery !== undefined) setLatest(newer(fromQuery));
  }, [fromQuery]);
  useEffect(() => {
    if (fromLive != null) setLatest(newer(fromLive));
  }, [fromLive]);
  return latest === undefined ? fromQuery : latest;
}
