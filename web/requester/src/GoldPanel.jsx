import { useCallback, useEffect, useState } from 'react';
import { Api } from './api.js';
import { href } from './router.js';
import Pager from './Pager.jsx';
import CocoImport from './CocoImport.jsx';
import GoldEditor from './GoldEditor.jsx';
import { canEditGold, goldStatus } from './goldDraft.js';

const PER_PAGE = 24;

// The "Gold images" tab: the job's images with their gold state, a page at a time; one
// chosen (?task=id) opens in the editor. Below, the COCO import.
export default function GoldPanel({ job, page, taskId, onGoldChanged }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [editing, setEditing] = useState(null); // the task shown in the editor

  const load = useCallback(async (signal) => {
    try {
      const d = await Api.tasks(job.id, page, PER_PAGE, { signal });
      setData(d); setError('');
    } catch (e) {
      if (e.name !== 'AbortError') setError(e.message);
    }
  }, [job.id, page]);

  useEffect(() => {
    const ctrl = new AbortController();
    load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  // The chosen image: from this page, else fetched on its own.
  useEffect(() => {
    if (!taskId) { setEditing(null); return; }
    const here = data && data.items.find((t) => t.id === taskId);
    if (here) { setEditing(here); return; }
    Api.task(taskId).then(setEditing, (e) => setError(e.message));
  }, [taskId, data, job.id]);

  const changed = (task) => {
    setData((d) => (d ? { ...d, items: d.items.map((t) => (t.id === task.id ? task : t)) } : d));
    setEditing(task);
    onGoldChanged();
  };
  const base = `/jobs/${job.id}/gold`;
  const close = () => { window.location.hash = href(base, { page: page > 1 ? page : undefined }); };

  if (editing) return <GoldEditor key={editing.id} job={job} task={editing} onChanged={changed} onClose={close} />;

  return (
    <div className="gold-panel">
      <p className="muted small">
        A gold image is one you answer yourself. Taskers get gold images now and then without knowing it; their
        answers are scored against yours and make each tasker&apos;s accuracy. Only an image nobody has worked on can
        become gold. This job has {job.goldImageCount ?? 0} gold image{job.goldImageCount === 1 ? '' : 's'}.
      </p>
      {error && <p className="error-box" role="alert">{error}</p>}
      {!data && !error && <p className="muted" aria-live="polite">Loading…</p>}
      {data && data.items.length === 0 && <p className="muted">Upload images first.</p>}
      {data && data.items.length > 0 && (
        <ul className="gold-list" aria-label="Images">
          {data.items.map((t) => {
            const status = goldStatus(t);
            return (
              <li key={t.id} className={`gold-item gold-${status.kind}`} data-task-id={t.id} data-gold={status.kind}>
                <img src={t.imageUrl} alt="" loading="lazy" width={t.width} height={t.height} />
                <div>
                  <strong>{t.filename || `Image ${t.id}`}</strong>
                  <p className="small gold-state">{status.text}</p>
                  {canEditGold(t)
                    ? <a className="button" href={href(base, { page: page > 1 ? page : undefined, task: t.id })}>
                      {t.gold ? 'Edit gold' : 'Mark as gold'}
                    </a>
                    : <p className="small muted">Taskers have had it: its gold state can no longer change.</p>}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {data && <Pager page={page} perPage={PER_PAGE} total={data.total || 0} to={(p) => href(base, { page: p })} label="Image pages" />}
      <CocoImport job={job} onImported={() => { load(); onGoldChanged(); }} />
    </div>
  );
}
