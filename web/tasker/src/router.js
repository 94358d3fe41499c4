// Hash routes of the Tasker app, with their settings in the hash's query:
//   #/jobs?sort=bounty&label=car      open jobs (sort: -bounty (default), bounty, newest)
//   #/job/{id}                        labeling that job
//   #/history?state=rejected&page=2   the tasker's own results, newest first
//   #/earnings                        pending, available and rejected money; payouts
//   #/accuracy                        accuracy on quality checks, per job, the checks failed

export const SORTS = ['-bounty', 'bounty', 'newest'];
export const DEFAULT_SORT = '-bounty';
export const RESULT_STATES = ['pending', 'approved', 'rejected'];

function positive(value) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

export function parseHash(hash) {
  const text = String(hash || '').replace(/^#\/?/, '');
  const cut = text.indexOf('?');
  const path = cut < 0 ? text : text.slice(0, cut);
  const query = new URLSearchParams(cut < 0 ? '' : text.slice(cut + 1));
  const job = path.match(/^job\/(\d+)/);
  if (job) return { view: 'label', jobId: Number(job[1]) };
  if (path.startsWith('earnings')) return { view: 'earnings' };
  if (path.startsWith('accuracy')) return { view: 'accuracy' };
  if (path.startsWith('history')) {
    const state = query.get('state');
    return { view: 'history', state: RESULT_STATES.includes(state) ? state : '', page: positive(query.get('page')) };
  }
  const sort = query.get('sort');
  return { view: 'jobs', sort: SORTS.includes(sort) ? sort : DEFAULT_SORT, label: (query.get('label') || '').trim() };
}

// The hash of a view with its settings; defaults are left out, so `#/jobs` stays `#/jobs`.
export function hashFor(view, settings = {}) {
  const query = new URLSearchParams();
  if (view === 'jobs') {
    if (settings.sort && settings.sort !== DEFAULT_SORT) query.set('sort', settings.sort);
    if (settings.label) query.set('label', settings.label);
  } else if (view === 'history') {
    if (settings.state) query.set('state', settings.state);
    if (settings.page && settings.page > 1) query.set('page', String(settings.page));
  }
  const q = query.toString();
  return '#/' + view + (q ? '?' + q : '');
}

export function go(hash) {
  if (window.location.hash !== hash) window.location.hash = hash;
}
