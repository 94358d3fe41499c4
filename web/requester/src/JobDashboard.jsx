import { useEffect, useState } from 'react';
import { Api } from './api.js';
import { parseCents, formatCents, budgetCoverage } from './money.js';
import ProgressBar from './ProgressBar.jsx';
import ResultsChart from './ResultsChart.jsx';

// Progress of one job: from the Job record, refined by GET /api/jobs/{id}/stats when the server has it.
export default function JobDashboard({ job, refreshKey }) {
  const [stats, setStats] = useState(null);
  const [statsError, setStatsError] = useState('');

  useEffect(() => {
    let alive = true;
    Api.stats(job.id)
      .then((s) => { if (alive) { setStats(s); setStatsError(''); } })
      .catch((e) => {
        if (!alive) return;
        setStatsError(e.status === 404 || e.status === 405 ? 'Detailed statistics are not available from the server yet.' : e.message);
      });
    return () => { alive = false; };
  }, [job.id, job.trainCount, refreshKey]);

  const imageCount = stats?.imageCount ?? job.imageCount;
  const trainCount = stats?.trainCount ?? job.trainCount;
  const wanted = imageCount * job.resultsPerImage;
  const bountyCents = parseCents(job.bounty);
  const budgetCents = parseCents(job.budget); // the Job record is the fresher: it comes back from every action
  // Paid: the bounties of approved results (pending ones are still in escrow).
  const paidCents = job.approvedCount !== undefined ? job.approvedCount * bountyCents : parseCents(stats?.spent);
  const cov = budgetCoverage(budgetCents, bountyCents, job.resultsPerImage);
  const finished = stats ? stats.imagesFinished : null;

  return (
    <div className="dashboard">
      <div className="stat-grid">
        <div className="card">
          <h2>Progress</h2>
          <ProgressBar id="prog-images" label="Images finished" value={finished ?? NaN} max={imageCount}
            text={finished === null ? `– of ${imageCount}` : `${finished} of ${imageCount}`} />
          <ProgressBar id="prog-results" label="Results in" value={trainCount} max={wanted}
            text={`${trainCount} of ${wanted}`} />
          <ProgressBar id="prog-budget" label="Paid to taskers" value={paidCents} max={budgetCents} tone="money"
            text={`${formatCents(paidCents)} of ${formatCents(budgetCents)}`} />
          <dl className="facts">
            <div><dt>Open slots</dt><dd>{job.openSlots ?? '–'}</dd></div>
            <div><dt>Budget covers</dt><dd>{cov ? `${cov.images} images` : '–'}</dd></div>
          </dl>
          {job.state !== 'draft' && job.unfundedSlots > 0 && (
            <p className="warn small">
              {job.unfundedSlots} slot{job.unfundedSlots === 1 ? ' is' : 's are'} not paid for: taskers cannot take {job.unfundedSlots === 1 ? 'it' : 'them'} until a top-up.
            </p>
          )}
        </div>
        <div className="card">
          <h2>Taskers</h2>
          {!stats && <p className="muted small">{statsError || 'Loading…'}</p>}
          {stats && stats.taskers.length === 0 && <p className="muted small">No tasker has submitted a result yet.</p>}
          {stats && stats.taskers.length > 0 && (
            <table className="taskers">
              <caption className="sr-only">Taskers and their results</caption>
              <thead><tr><th scope="col">Tasker</th><th scope="col" className="num">Results</th><th scope="col">Share</th></tr></thead>
              <tbody>
                {[...stats.taskers].sort((a, b) => b.trains - a.trains).map((t) => (
                  <tr key={t.taskerId}>
                    <td>{t.screenName || `Tasker #${t.taskerId}`}</td>
                    <td className="num">{t.trains}</td>
                    <td className="share-cell">
                      <ProgressBar value={t.trains} max={trainCount || 1} text={`${Math.round((t.trains / (trainCount || 1)) * 100)}% of results`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
      <div className="card">
        <h2>Results over time</h2>
        {stats ? <ResultsChart points={stats.trainsPerHour} /> : <p className="muted small">{statsError || 'Loading…'}</p>}
      </div>
    </div>
  );
}
