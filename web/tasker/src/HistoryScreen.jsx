// The tasker's own results (GET /api/me/results), newest first, page by page, by state.
import { useCallback, useEffect } from 'react';
import { api } from './api.js';
import { go, hashFor } from './router.js';
import Pager from './Pager.jsx';
import ResultItem from './ResultItem.jsx';
import StateFilter from './StateFilter.jsx';
import { useLoaded } from './useLoaded.js';

export const RESULTS_PER_PAGE = 20;

const EMPTY = {
  '': 'You have not handed in any results yet. Pick a job to start.',
  pending: 'No results are waiting for review.',
  approved: 'No results have been approved yet.',
  rejected: 'None of your results was rejected.',
};

export default function HistoryScreen({ state, page, earnings, onAuthLost }) {
  const fetchPage = useCallback(() => api.myResults({ state, page, perPage: RESULTS_PER_PAGE }), [state, page]);
  const { data: list, error, loading, load } = useLoaded(fetchPage, onAuthLost);
  useEffect(() => { window.scrollTo(0, 0); }, [state, page]);

  const items = list ? list.items || [] : [];
  return (
    <main id="main" className="history" data-testid="history"
      data-state={error ? 'error' : loading || !list ? 'loading' : 'ready'}>
      <div className="row spread">
        <h1>Your results</h1>
        <button type="button" className="btn-ghost" onClick={load} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <StateFilter value={state} earnings={earnings}
        onChange={(s) => go(hashFor('history', { state: s }))} />
      {error && <p className="msg error" role="alert">{error}</p>}
      {!list && !error && <p className="muted">Loading your results…</p>}
      {list && !items.length && (
        <p className="card muted" data-testid="no-results">
          {page > 1 ? 'There are no results on this page.' : EMPTY[state]}
        </p>
      )}
      {items.length > 0 && (
        <ul className="results card" data-testid="result-list" aria-label="Results">
          {items.map((r) => <ResultItem key={r.id} result={r} />)}
        </ul>
      )}
      {list && (
        <Pager page={list.page || page} perPage={list.perPage || RESULTS_PER_PAGE} total={list.total || 0}
          onPage={(p) => go(hashFor('history', { state, page: p }))} />
      )}
    </main>
  );
}
