/**
 * A small history router: each view has a real URL (shareable in a chat channel at 3 a.m.), served as index.html by
 * both hosts. Routes never collide with API paths (the API's GET routes are /get* and /tags/*).
 */
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  path: string;
  query: URLSearchParams;
}

const current = (): Location => ({ path: location.pathname, query: new URLSearchParams(location.search) });
const listeners = new Set<() => void>();

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  for (const listener of listeners) listener();
  if (!options.replace) window.scrollTo(0, 0);
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

/** Click handler for in-app links: plain clicks navigate in place, modified clicks open a tab as usual. */
export function linkClick(event: MouseEvent): void {
  const anchor = (event.currentTarget ?? event.target) as HTMLAnchorElement;
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (anchor.origin !== window.location.origin) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}

export const paths = {
  incidents: (filters?: URLSearchParams) => `/incidents${filters && [...filters].length ? `?${filters}` : ''}`,
  incident: (arn: string, tab?: string) =>
    `/incident?${new URLSearchParams({ arn, ...(tab && tab !== 'overview' ? { tab } : {}) })}`,
  plans: () => '/plans',
  plan: (arn?: string) => (arn ? `/plan?${new URLSearchParams({ arn })}` : '/plan?new=1'),
  onCall: () => '/on-call',
  contacts: () => '/contacts',
};
