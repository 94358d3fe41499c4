import { useEffect, useState } from 'react';
import { Api } from './api.js';
import { href } from './router.js';
import { money } from './money.js';
import StateBadge from './StateBadge.jsx';
import Pager from './Pager.jsx';

const PER_PAGE = 20;

export default function JobListPage({ page }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let alive = true;
    setError('');
    Api.jobs(page, PER_PAGE)
      .then((d) => { if (alive) setData(d); })
      .catch((e) => { if (alive) setError(e.message); });
    return () => { alive = false; };
  }, [page]);

  return (
    <div>
      <div className="page-head">
        <h1>Your jobs</h1>
        <a className="button primary" href={href('/jobs/new')}>New job</a>
      </div>
      {error && <p className="error-box" role="alert">{error}</p>}
      {!data && !error && <p className="muted" aria-live="polite">Loading jobs…</p>}
      {data && data.items.length === 0 && (
        <div className="card empty">
          <p>No jobs yet. A job is a set of images, the labels to mark on them and a budget.</p>
          <a className="button primary" href={href('/jobs/new')}>Create your first job</a>
        </div>
      )}
      {data && data.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="jobs">
              <caption className="sr-only">Your jobs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Job</th><th scope="col">State</th><th scope="col" className="num">Images</th>
                  <th scope="col" className="num">Results</th><th scope="col" className="num">Escrow left</th>
                  <th scope="col" className="num">Budget</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((j) => (
                  <tr key={j.id}>
                    <td>
                      <a href={href(`/jobs/${j.id}`)}>{j.title || j.name}</a>
                      <div className="muted small">{j.name}</div>
                    </td>
                    <td><StateBadge state={j.state} /></td>
                    <td className="num">{j.imageCount}</td>
                    <td className="num">{j.trainCount} / {j.imageCount * j.resultsPerImage}</td>
                    <td className="num">{j.state === 'draft' ? '–' : money(j.budgetLeft)}</td>
                    <td className="num">{money(j.budget)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={data.page} perPage={data.perPage} total={data.total} to={(p) => href(`/jobs?page=${p}`)} />
        </>
      )}
    </div>
  );
}
