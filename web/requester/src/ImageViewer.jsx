import { useEffect, useState } from 'react';
import BoxOverlay from './BoxOverlay.jsx';
import ReviewStateBadge from './ReviewStateBadge.jsx';
import useModalDialog from './useModalDialog.js';
import { describeResult } from './boxSummary.js';

// One image, large, in a modal <dialog> (focus is trapped and Escape closes it natively).
export default function ImageViewer({ task, trains, colours, names, job, position, onPrev, onNext, onClose }) {
  const ref = useModalDialog(onClose); // focus goes back to the thumbnail that opened the viewer
  const [hidden, setHidden] = useState(() => new Set());

  useEffect(() => {
    const onKey = (e) => {
      if (e.target instanceof HTMLInputElement) return;
      if (e.key === 'ArrowLeft' && onPrev) onPrev();
      if (e.key === 'ArrowRight' && onNext) onNext();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onPrev, onNext]);

  const toggle = (id) => setHidden((old) => {
    const n = new Set(old);
    if (n.has(id)) n.delete(id); else n.add(id);
    return n;
  });
  const who = (id) => names.get(id) || `Tasker #${id}`;

  return (
    <dialog ref={ref} className="viewer" aria-labelledby="viewer-title">
      <div className="viewer-head">
        <h2 id="viewer-title">{task.filename || `Image ${task.id}`}</h2>
        <span className="muted small">{task.width}×{task.height} · {position}</span>
        <div className="viewer-nav">
          <button type="button" onClick={onPrev || undefined} disabled={!onPrev} aria-label="Previous image">←</button>
          <button type="button" onClick={onNext || undefined} disabled={!onNext} aria-label="Next image">→</button>
          <button type="button" onClick={onClose} className="primary">Close</button>
        </div>
      </div>
      <div className="viewer-body">
        <div className="viewer-image">
          <BoxOverlay task={task} trains={trains} colours={colours} hidden={hidden} names={names} />
        </div>
        <div className="viewer-side">
          <h3>Results ({trains.length} of {task.resultsWanted})</h3>
          {trains.length === 0 && <p className="muted small">No results yet.</p>}
          <ul className="result-list">
            {trains.map((t) => {
              const c = colours.get(t.taskerId);
              return (
                <li key={t.id}>
                  <label>
                    <input type="checkbox" checked={!hidden.has(t.taskerId)} onChange={() => toggle(t.taskerId)} />
                    <span className="swatch" style={{ background: c?.fill }} aria-hidden="true" />
                    {who(t.taskerId)}
                  </label>
                  <span className="small muted">
                    {describeResult(t, job.labels)} {t.state && <ReviewStateBadge state={t.state} />}
                  </span>
                </li>
              );
            })}
          </ul>
          <p><a href={task.imageUrl || `/api/tasks/${task.id}/image`} target="_blank" rel="noreferrer">Open the original image</a></p>
        </div>
      </div>
    </dialog>
  );
}
