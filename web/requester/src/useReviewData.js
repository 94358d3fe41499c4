import { useCallback, useEffect, useState } from 'react';
import { Api } from './api.js';

// A job's review summary (GET /api/jobs/{id}/review) and one page of its results for a filter
// {state, taskerId, page, perPage} (GET /api/jobs/{id}/trains), fetched together. The last
// answer stays on screen while the next loads (`stale`); `reload()` fetches both again.
export default function useReviewData(jobId, filter, refreshKey) {
  const { state, taskerId, page, perPage } = filter;
  const key = `${jobId}/${state}/${taskerId ?? ''}/${page}`;
  const [data, setData] = useState({ key: null, summary: null, results: null });
  const [error, setError] = useState('');
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    const opts = { signal: ctrl.signal };
    Promise.all([
      Api.reviewSummary(jobId, opts),
      Api.reviewTrains(jobId, { state, taskerId: taskerId ?? undefined, page, perPage }, opts),
    ]).then(([summary, results]) => {
      setData({ key, summary, results });
      setError('');
    }).catch((e) => {
      if (e.name !== 'AbortError') setError(e.message);
    });
    return () => ctrl.abort();
  }, [key, refreshKey, reloads]); // eslint-disable-line react-hooks/exhaustive-deps

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { summary: data.summary, results: data.results, stale: data.key !== key, error, reload };
}
