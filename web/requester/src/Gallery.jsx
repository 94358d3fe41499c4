import { useEffect, useMemo, useState } from 'react';
import { Api } from './api.js';
import { href } from './router.js';
import { colourMap } from './colors.js';
import BoxOverlay from './BoxOverlay.jsx';
import ImageViewer from './ImageViewer.jsx';
import Pager from './Pager.jsx';

const PER_PAGE = 24;
const PARALLEL = 6;

// Runs fn over items, at most `limit` at a time.
async function eachLimited(items, limit, fn) {
  let i = 0;
  const worker = async () => { while (i < items.length) { const k = i++; await fn(items[k], k); } };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// The job's images, a page at a time, each with all taskers' boxes; click one to see it large.
export default function Gallery({ job, page, refreshKey }) {
  const [data, setData] = useState(null);
  const [trains, setTrains] = useState({}); // taskId -> [Train] | {error}
  const [names, setNames] = useState(new Map());
  const [error, setError] = useState('');
  const [open, setOpen] = useState(null); // index into data.items

  useEffect(() => {
    let alive = true;
    const ctrl = new AbortController();
    setError('');
    Api.tasks(job.id, page, PER_PAGE, { signal: ctrl.signal })
      .then(async (d) => {
        if (!alive) return;
        setData(d);
        const found = {};
        await eachLimited(d.items, PARALLEL, async (task) => {
          try {
            const r = await Api.taskTrains(task.id, { signal: ctrl.signal });
            found[task.id] = r.items;
          } catch (e) {
            if (e.name !== 'AbortError') found[task.id] = { error: e.message };
          }
          if (alive) setTrains((old) => ({ ...old, [task.id]: found[task.id] }));
        });
      })
      .catch((e) => { if (alive && e.name !== 'AbortError') setError(e.message); });
    return () => { alive = false; ctrl.abort(); };
  }, [job.id, page, refreshKey]);

  useEffect(() => { // screen names, if the server has the stats route
    Api.stats(job.id).then((s) => setNames(new Map(s.taskers.map((t) => [t.taskerId, t.screenName])))).catch(() => {});
  }, [job.id]);

  const colours = useMemo(() => {
    const ids = [];
    Object.values(trains).forEach((list) => { if (Array.isArray(list)) list.forEach((t) => ids.push(t.taskerId)); });
    return colourMap(ids);
  }, [trains]);

  if (error) return <p className="error-box" role="alert">{error}</p>;
  if (!data) return <p className="muted" aria-live="polite">Loading images…</p>;
  if (data.items.length === 0) {
    return <p className="muted">No images yet. <a href={href(`/jobs/${job.id}/images`)}>Upload some</a>.</p>;
  }

  const who = (id) => names.get(id) || `Tasker #${id}`;
  return (
    <div className="gallery-wrap">
      <div className="gallery-head">
        <p className="muted small">
          Images {(data.page - 1) * data.perPage + 1}–{(data.page - 1) * data.perPage + data.items.length} of {data.total}.
          Each tasker's boxes have their own colour.
        </p>
        {colours.size > 0 && (
          <ul className="legend" aria-label="Tasker colours">
            {[...colours.entries()].map(([id, c]) => (
              <li key={id}><span className="swatch" style={{ background: c.fill }} aria-hidden="true" />{who(id)}</li>
            ))}
          </ul>
        )}
      </div>
      <ul className="gallery">
        {data.items.map((task, i) => {
          const list = trains[task.id];
          const ready = Array.isArray(list);
          const nothing = ready ? list.filter((t) => t.nothingToMark).length : 0;
          return (
            <li key={task.id} className="thumb" data-task-id={task.id}>
              <button type="button" className="thumb-button" onClick={() => setOpen(i)}
                aria-label={`Open ${task.filename || `image ${task.id}`} large`}>
                <BoxOverlay task={task} trains={ready ? list : []} colours={colours} compact names={names} />
              </button>
              <div className="thumb-caption">
                <span className="fname" title={task.filename}>{task.filename || `#${task.id}`}</span>
                <span className={`small ${task.trainCount >= task.resultsWanted ? 'ok' : 'muted'}`}>
                  {task.trainCount}/{task.resultsWanted} results{nothing ? ` · ${nothing} nothing to mark` : ''}
                </span>
                {list && list.error && <span className="small warn">{list.error}</span>}
              </div>
            </li>
          );
        })}
      </ul>
      <Pager page={data.page} perPage={data.perPage} total={data.total} label="Gallery pages"
        to={(p) => href(`/jobs/${job.id}/results?page=${p}`)} />
      {open !== null && data.items[open] && (
        <ImageViewer
          task={data.items[open]} trains={Array.isArray(trains[data.items[open].id]) ? trains[data.items[open].id] : []}
          colours={colours} names={names} job={job}
          position={`${open + 1} of ${data.items.length}`}
          onPrev={open > 0 ? () => setOpen(open - 1) : null}
          onNext={open < data.items.length - 1 ? () => setOpen(open + 1) : null}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
