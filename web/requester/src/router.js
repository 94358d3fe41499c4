// Hash routes, so nginx only has to serve index.html at /requester/.
import { useSyncExternalStore } from 'react';

// "#/jobs/3/results?page=2" -> {name: 'job', id: 3, tab: 'results', query: {page: '2'}}
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#/, '');
  const [pathPart, queryPart = ''] = raw.split('?');
  const parts = pathPart.split('/').filter(Boolean);
  const query = Object.fromEntries(new URLSearchParams(queryPart));
  if (parts.length === 0 || (parts[0] === 'jobs' && parts.length === 1)) return { name: 'jobs', query };
  if (parts[0] === 'jobs' && parts[1] === 'new') return { name: 'new', query };
  if (parts[0] === 'jobs' && /^\d+$/.test(parts[1])) {
    const tab = parts[2] || 'overview';
    return { name: tab === 'edit' ? 'edit' : 'job', id: Number(parts[1]), tab, query };
  }
  return { name: 'notfound', query };
}

function subscribe(cb) {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute() {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseHash(hash);
}

export function navigate(path) {
  window.location.hash = path;
}

// "#/jobs/3/review?state=approved"; query entries that are undefined, null or '' are left out.
export function href(path, query) {
  const entries = Object.entries(query || {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  const qs = new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}
