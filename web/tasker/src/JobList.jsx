// The jobs open to this tasker (GET /api/open-jobs).
import { useEffect, useState, useCallback } from 'react';
import { api } from './api.js';

export default function JobList({ onPick, onAuthLost, notice }) {
  const [jobs, setJobs] = useState(null);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    api.openJobs().then((r) => { setJobs(r.items || []); setLoading(false); }, (e) => {
      setLoading(false);
      if (e.status === 401) onAuthLost();
      else setError(e.message);
    });
  }, [onAuthLost]);
  useEffect(load, [load]);

  return (
    <main id="main" className="jobs" data-testid="job-list"
      data-state={error ? 'error' : loading || !jobs ? 'loading' : 'ready'}>
      <div className="row spread">
        <h1>Open jobs</h1>
        <button type="button" className="btn-ghost" onClick={load} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      {notice && <div className={'msg ' + (notice.kind || 'info')} role="status" data-testid="jobs-notice">{notice.text}</div>}
      {error && <p className="msg error" role="alert">{error}</p>}
      {!jobs && !error && <p className="muted">Loading jobs…</p>}
      {jobs && !jobs.length && (
        <p className="card muted" data-testid="no-jobs">No jobs are open for you right now. Check back later.</p>
      )}
      {jobs && jobs.map((j) => {
        const left = j.imagesLeftForMe;
        return (
          <article key={j.id} className="card job" data-testid="job-card" data-job-id={j.id}>
            <h2>{j.title}</h2>
            <div className="job-facts">
              <span><span className="muted">Pays</span> <strong>{j.bounty}</strong> <span className="muted">per image</span></span>
              <span><strong data-testid="images-left">{left}</strong> <span className="muted">{left === 1 ? 'image' : 'images'} left for you</span></span>
            </div>
            {j.labels && j.labels.length > 0 && (
              <p className="small"><span className="muted">Mark:</span> {j.labels.join(', ')}</p>
            )}
            {j.instructions && (
              <details>
                <summary>Instructions</summary>
                <p className="instructions">{j.instructions}</p>
              </details>
            )}
            <button type="button" className="btn primary wide" disabled={left === 0}
              onClick={() => onPick(j)} aria-label={'Start labeling: ' + j.title}>
              {left === 0 ? 'Nothing left for you' : 'Start labeling'}
            </button>
          </article>
        );
      })}
    </main>
  );
}
