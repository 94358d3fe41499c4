import { useCallback, useEffect, useState } from 'react';
import { Api } from './api.js';
import { blockedText, percent, sortTaskers } from './taskerQuality.js';
import BlockForm from './BlockForm.jsx';

const COLUMNS = [
  { key: 'name', name: 'Tasker' },
  { key: 'results', name: 'Results', num: true },
  { key: 'goldAnswers', name: 'Gold answers', num: true },
  { key: 'accuracy', name: 'Accuracy', num: true },
  { key: 'agreement', name: 'Agreement', num: true },
];

// The "Taskers" tab: everyone who worked on the job with their results, their accuracy on
// gold images and their agreement with the others; block (with a reason) and unblock.
export default function TaskersPanel({ job }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState('');
  const [sort, setSort] = useState({ key: 'accuracy', ascending: true });
  const [blocking, setBlocking] = useState(null); // the row being blocked
  const [busy, setBusy] = useState(0);
  const [notice, setNotice] = useState('');

  const load = useCallback(async () => {
    try {
      const d = await Api.jobTaskers(job.id);
      setItems(d.items); setError('');
    } catch (e) {
      setError(e.message);
    }
  }, [job.id]);
  useEffect(() => { load(); }, [load]);

  const sortBy = (key) => setSort((s) => ({ key, ascending: s.key === key ? !s.ascending : true }));
  const unblock = async (t) => {
    setBusy(t.taskerId); setNotice(''); setError('');
    try {
      await Api.unblock(job.id, t.taskerId, t.blocked.allJobs);
      setNotice(`${t.taskerName} can work on ${t.blocked.allJobs ? 'your jobs' : 'this job'} again.`);
      await load();
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(0);
    }
  };
  const blocked = (t, out) => {
    setBlocking(null);
    setNotice(`${t.taskerName} is blocked${out.allJobs ? ' from all your jobs' : ''}: ` +
      `${out.leasesEnded} lease${out.leasesEnded === 1 ? '' : 's'} ended, ${out.resultsRejected} pending ` +
      `result${out.resultsRejected === 1 ? '' : 's'} rejected.`);
    load();
  };

  if (error && !items) return <p className="error-box" role="alert">{error}</p>;
  if (!items) return <p className="muted" aria-live="polite">Loading…</p>;
  if (!items.length) return <p className="muted">No tasker has worked on this job yet.</p>;
  const rows = sortTaskers(items, sort.key, sort.ascending);

  return (
    <div className="taskers-panel">
      <p className="muted small">
        Accuracy: how well a tasker answered gold images (a tasker below {percent(job.quality?.accuracyThreshold)} after
        {' '}{job.quality?.minGoldAnswers ?? 3} gold answers is blocked automatically). Agreement: how well their results
        match the other taskers&apos; on the same images.
      </p>
      {notice && <p className="ok" role="status">{notice}</p>}
      {error && <p className="error-box" role="alert">{error}</p>}
      {blocking && <BlockForm job={job} tasker={blocking} onBlocked={(out) => blocked(blocking, out)} onCancel={() => setBlocking(null)} />}
      <div className="table-wrap">
        <table className="job-taskers">
          <caption className="sr-only">Taskers of this job; the column buttons sort the table</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" className={c.num ? 'num' : undefined}
                  aria-sort={sort.key === c.key ? (sort.ascending ? 'ascending' : 'descending') : undefined}>
                  <button type="button" className="sort-button" data-sort={c.key} onClick={() => sortBy(c.key)}>
                    {c.name}{sort.key === c.key ? (sort.ascending ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.taskerId} data-tasker-id={t.taskerId} className={t.blocked ? 'blocked' : undefined}>
                <th scope="row">{t.taskerName || `Tasker #${t.taskerId}`}</th>
                <td className="num" data-col="results">
                  <span title="pending / approved / rejected">{t.pending} / {t.approved} / {t.rejected}</span>
                </td>
                <td className="num" data-col="goldAnswers">{t.goldAnswers}</td>
                <td className="num" data-col="accuracy">{percent(t.accuracy)}</td>
                <td className="num" data-col="agreement">{percent(t.agreement)}</td>
                <td data-col="status">
                  {t.blocked ? (
                    <>
                      <span className="small blocked-text">{blockedText(t.blocked)}</span>{' '}
                      <button type="button" onClick={() => unblock(t)} disabled={busy === t.taskerId}>
                        {busy === t.taskerId ? 'Unblocking…' : 'Unblock'}
                      </button>
                    </>
                  ) : (
                    <button type="button" className="danger" onClick={() => { setNotice(''); setBlocking(t); }}>Block…</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
