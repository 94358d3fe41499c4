// The labels as chips (keys 1-9): the label for new boxes, or of the selected box.
import { colorFor } from '../../../shared/boxes/geometry.js';

export default function LabelPicker({ labels, checked, selIndex, disabled, onChoose }) {
  return (
    <fieldset className="labels" disabled={disabled}>
      <legend data-testid="label-legend">{selIndex >= 0
        ? 'Label of box ' + (selIndex + 1) + ' (tap the image to deselect)' : 'Label for new boxes'}</legend>
      <div className="chips" role="radiogroup" aria-label="Label">
        {labels.map((l, i) => {
          const [color] = colorFor(i);
          return (
            <button key={l} type="button" role="radio" aria-checked={i === checked}
              className={'chip' + (i === checked ? ' is-on' : '')} onClick={() => onChoose(i)}
              aria-keyshortcuts={i < 9 ? String(i + 1) : undefined} data-label={l}>
              <span className="swatch" style={{ background: color }} aria-hidden="true" />
              {i < 9 && <span className="key" aria-hidden="true">{i + 1}</span>}{l}
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}
