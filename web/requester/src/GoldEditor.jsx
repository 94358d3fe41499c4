import { useState } from 'react';
import { Api } from './api.js';
import BoxLayer from '../../shared/boxes/BoxLayer.jsx';
import { colorFor } from '../../shared/boxes/geometry.js';
import { editorBoxes, goldBody, goldStatus } from './goldDraft.js';

// One image's known answer: boxes drawn over it with the shared box editor (drag to draw,
// tap a box to select it, then a label relabels it), or "nothing to mark"; saved with
// PUT .../gold, removed with DELETE. `onChanged(task)` gets the image as the server has it.
export default function GoldEditor({ job, task, onChanged, onClose }) {
  const W = task.width || 1;
  const H = task.height || 1;
  const [boxes, setBoxes] = useState(() => editorBoxes(task.gold));
  const [nothing, setNothing] = useState(Boolean(task.gold && task.gold.nothingToMark));
  const [selectedId, setSelectedId] = useState(null);
  const [labelIndex, setLabelIndex] = useState(0);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');
  const labels = job.labels;

  const pickLabel = (i) => {
    setLabelIndex(i);
    if (selectedId) setBoxes((old) => old.map((b) => (b.id === selectedId ? { ...b, label: labels[i] } : b)));
  };
  const changed = (next) => { setBoxes(next); setSaved(''); };

  const run = async (what, call) => {
    setBusy(what); setError(''); setSaved('');
    try {
      const t = await call();
      onChanged(t);
      setSaved(what === 'save' ? 'Saved: this image is a gold image.' : 'Removed: this is an ordinary image again.');
      if (what === 'remove') { setBoxes([]); setNothing(false); }
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy('');
    }
  };

  const save = () => {
    const out = goldBody(boxes, nothing, W, H);
    if (out.error) { setError(out.error); return; }
    run('save', () => Api.markGold(job.id, task.id, out.body));
  };

  return (
    <section className="card gold-editor" aria-labelledby="gold-editor-title" data-task-id={task.id}>
      <div className="gold-editor-head">
        <h2 id="gold-editor-title">{task.filename || `Image ${task.id}`}</h2>
        <button type="button" className="link-button" onClick={onClose}>Back to the images</button>
      </div>
      <p className="muted small">{goldStatus(task).text}. Drag across an object to draw a box; tap a box to select it,
        then pick a label to change its label.</p>
      <div className="gold-labels" role="group" aria-label="Label of the next box">
        {labels.map((l, i) => {
          const [color, ink] = colorFor(i);
          return (
            <button key={l} type="button" className="gold-label" aria-pressed={i === labelIndex}
              style={{ '--c': color, '--ink': ink }} onClick={() => pickLabel(i)}>{l}</button>
          );
        })}
      </div>
      <div className="gold-stage" style={{ aspectRatio: `${W} / ${H}` }} data-image-width={W} data-image-height={H}>
        <img src={task.imageUrl || `/api/tasks/${task.id}/image`} alt={task.filename || `Image ${task.id}`} draggable={false} />
        <BoxLayer width={W} height={H} boxes={nothing ? [] : boxes} selectedId={selectedId} labels={labels}
          labelIndex={labelIndex} onSelect={setSelectedId} onChange={changed} disabled={nothing || !!busy} />
      </div>
      {!nothing && boxes.length > 0 && (
        <ol className="gold-boxes" aria-label="Boxes">
          {boxes.map((b, i) => (
            <li key={b.id} className={b.id === selectedId ? 'selected' : undefined}>
              <button type="button" className="link-button" onClick={() => setSelectedId(b.id)}>{i + 1}. {b.label}</button>
              <button type="button" className="link-button" aria-label={`Delete box ${i + 1} (${b.label})`}
                onClick={() => { changed(boxes.filter((x) => x.id !== b.id)); setSelectedId(null); }}>Delete</button>
            </li>
          ))}
        </ol>
      )}
      <label className="check-field">
        <input type="checkbox" checked={nothing} onChange={(e) => { setNothing(e.target.checked); setSaved(''); }} />
        {' '}Nothing to mark: the right answer for this image is no box at all
      </label>
      {error && <p className="error-box" role="alert">{error}</p>}
      {saved && <p className="ok" role="status">{saved}</p>}
      <div className="actions">
        <button type="button" className="primary" onClick={save} disabled={!!busy}>
          {busy === 'save' ? 'Saving…' : 'Save gold answer'}
        </button>
        {task.gold && (
          <button type="button" className="danger" onClick={() => run('remove', () => Api.unmarkGold(job.id, task.id))} disabled={!!busy}>
            {busy === 'remove' ? 'Removing…' : 'Remove gold'}
          </button>
        )}
      </div>
    </section>
  );
}
