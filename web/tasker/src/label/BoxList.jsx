// The boxes as a list: a keyboard- and screen-reader-friendly way to pick,
// relabel and delete them.
import { colorFor } from '../../../shared/boxes/geometry.js';

export default function BoxList({ boxes, labels, selectedId, onSelect, onRelabel, onDelete }) {
  if (!boxes.length) {
    return <p className="muted small" data-testid="box-list-empty">No boxes yet. Drag on the image to draw one.</p>;
  }
  return (
    <ol className="box-list" aria-label="Your boxes" data-testid="box-list">
      {boxes.map((b, i) => {
        const [color] = colorFor(Math.max(0, labels.indexOf(b.label)));
        const sel = b.id === selectedId;
        return (
          <li key={b.id} className={sel ? 'is-selected' : ''}>
            <button type="button" className="box-pick" aria-pressed={sel} onClick={() => onSelect(sel ? null : b.id)}>
              <span className="swatch" style={{ background: color }} aria-hidden="true" />
              Box {i + 1}
            </button>
            <label className="sr-only" htmlFor={'lbl-' + b.id}>Label of box {i + 1}</label>
            <select id={'lbl-' + b.id} value={b.label} onChange={(e) => onRelabel(b.id, e.target.value)}>
              {labels.map((l) => <option key={l} value={l}>{l}</option>)}
            </select>
            <button type="button" className="btn-ghost danger" onClick={() => onDelete(b.id)}
              aria-label={'Delete box ' + (i + 1)}>Delete</button>
          </li>
        );
      })}
    </ol>
  );
}
