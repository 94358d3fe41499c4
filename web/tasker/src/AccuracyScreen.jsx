// Accuracy (GET /api/me/accuracy): how the tasker did on quality checks (images whose
// right answer the requester knows), per job, why a job no longer takes their work, and
// the checks they failed drawn out.
import { useCallback } from 'react';
import { api } from './api.js';
import { useLoaded } from './useLoaded.js';
import { overallText, percent } from './accuracyText.js';
import FailedCheck from './FailedCheck.jsx';

export default function AccuracyScreen({ onAuthLost }) {
  const fetch = useCallback(() => api.accuracy(), []);
  const { data, error, loading, load } = useLoaded(fetch, onAuthLost);
  const jobs = data ? data.jobs || [] : [];
  const checks = data ? data.failedChecks || [] : [];
  const titles = new Map(jobs.map((j) => [j.jobId, j.jobTitle]));

  return (
    <main id="main" className="accuracy-screen" data-testid="accuracy-screen"
      data-state={error ? 'error' : loading || !data ? 'loading' : 'ready'}>
      <div className="row spread">
        <h1>Accuracy</h1>
        <button type="button" className="btn-ghost" onClick={load} disabled={loading}>{loading ? 'Loading…' : 'Refresh'}</button>
      </div>
      <p className="muted small">
        Now and then an image is a quality check: its requester knows the right boxes. How close your answers come is
        your accuracy. A job may stop giving you images when it is too low there.
      </p>
      {error && <p className="msg error" role="alert">{error}</p>}
      {!data && !error && <p className="muted">Loading…</p>}
      {data && (
        <section className="card" aria-labelledby="acc-overall">
          <h2 id="acc-overall">Overall</h2>
          <p className="acc-figure" data-testid="accuracy-overall">{overallText(data)}</p>
          {jobs.length > 0 && (
            <ul className="acc-jobs" data-testid="accuracy-jobs">
              {jobs.map((j) => (
                <li key={j.jobId} data-job-id={j.jobId} className={j.blockedReason ? 'blocked' : undefined}>
                  <span className="acc-job-title">{j.jobTitle}</span>
                  <span className="acc-job-figure">{percent(j.accuracy)} <span className="muted small">on {j.goldAnswers}</span></span>
                  {j.blockedReason && (
                    <p className="msg error small" data-testid="blocked-reason">
                      You can no longer work on this job: {j.blockedReason}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {checks.length > 0 && (
        <section className="card" aria-labelledby="acc-failed" data-testid="failed-checks">
          <h2 id="acc-failed">Checks you did not pass</h2>
          <p className="small">
            <span className="key missed" aria-hidden="true" /> boxes you missed{' '}
            <span className="key extra" aria-hidden="true" /> boxes that were not wanted
          </p>
          <ul className="checks">
            {checks.map((c) => <FailedCheck key={c.trainId} check={c} jobTitle={titles.get(c.jobId)} />)}
          </ul>
        </section>
      )}
    </main>
  );
}
