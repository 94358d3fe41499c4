// The latest rejected results with the requesters' reasons, on the earnings screen.
import { useEffect, useState } from 'react';
import { api } from './api.js';
import { hashFor } from './router.js';
import ResultItem from './ResultItem.jsx';

const SHOWN = 5;

export default function RejectedResults({ count, onAuthLost }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    if (!count) return undefined;
    let current = true;
    api.myResults({ state: 'rejected', perPage: SHOWN }).then((r) => {
      if (current) { setItems(r.items || []); setError(null); }
    }, (e) => {
      if (!current) return;
      if (e.status === 401) onAuthLost();
      else setError(e.message);
    });
    return () => { current = false; };
  }, [count, onAuthLost]);

  if (!count) return null;
  return (
    <section className="card" aria-labelledby="rejected-title" data-testid="rejected-results">
      <h2 id="rejected-title">Why results were rejected</h2>
      {error && <p className="msg error" role="alert">{error}</p>}
      {!items && !error && <p className="muted">Loading…</p>}
      {items && (
        <ul className="results">
          {items.map((r) => <ResultItem key={r.id} result={r} />)}
        </ul>
      )}
      {count > SHOWN && (
        <p><a href={hashFor('history', { state: 'rejected' })}>See all {count} rejected results</a></p>
      )}
    </section>
  );
}
