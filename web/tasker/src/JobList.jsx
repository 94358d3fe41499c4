// The jobs open to this tasker (GET /api/open-jobs), sorted and filtered by label.
import { useEffect, useState, useCallback } from 'react';
import { useLoaded } from './useLoaded.js';
import { api } from './api.js';
import { go, hashFor } from './router.js';
import { labelsOf } from './jobLabels.js';
import JobCard from './JobCard.jsx';
import JobFilters from './JobFilters.jsx';

export default function JobList({ sort, label, online, onPick, onAuthLost, notice }) {
  const fetchJobs = useCallback(() => api.openJobs({ sort, label }), [sort, label]);
  const { data, error, loading, load } = useLoaded(fetchJobs, onAuthLost);
  const jobs = data ? data.items || [] : null;
  const [labels, setLabels] = useState([]);
  // Every label is choosable only from the unfiltered list; a filtered one adds its own.
  useEffect(() => {
    if (jobs) setLabels((known) => labelsOf(label ? [{ labels: known }, ...jobs] : jobs, label));
  }, [data]);
  // Back online after a failed load: try again by itself.
  const failed = !!error;
  useEffect(() => { if (online && failed) load(); }, [online]);

  const ready = jobs && !error && !loading;
  return (
    <main id="main" className="jobs" data-testid="job-list"
      data-state={error ? 'error' : loading || !jobs ? 'loading' : 'ready'}>
      <div className="row spread">
        <h1>Open jobs</h1>
        <button type="button" className="btn-ghost" onClick={load} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <JobFilters sort={sort} label={label} labels={labels}
        onChange={(next) => go(hashFor('jobs', next))} />
      {notice && <div className={'msg ' + (notice.kind || 'info')} role="status" data-testid="jobs-notice">{notice.text}</div>}
      {error && <p className="msg error" role="alert">{error}</p>}
      {!jobs && !error && <p className="muted">Loading jobs…</p>}
      {ready && !jobs.length && (
        <p className="card muted" data-testid="no-jobs">
          {label ? 'No open job asks for "' + label + '" right now.' : 'No jobs are open for you right now. Check back later.'}
        </p>
      )}
      {jobs && jobs.map((j) => <JobCard key={j.id} job={j} onPick={onPick} />)}
    </main>
  );
}
