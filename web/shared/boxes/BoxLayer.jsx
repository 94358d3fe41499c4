// The box editor laid over the image: the boxes, the selected one with its 8 handles,
// and the gestures of useBoxDrawing.js. Boxes are kept in image pixels and drawn with
// percentages of the image, so they follow any zoom or screen size.
import { colorFor } from './geometry.js';
import useBoxDrawing, { DRAFT } from './useBoxDrawing.js';

const HANDLES = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

export default function BoxLayer(props) {
  const { width: W, height: H, selectedId, labels, disabled } = props;
  const { layer, shown, handlers } = useBoxDrawing(props);
  return (
    <div
      ref={layer}
      className={'box-layer' + (disabled ? ' is-disabled' : '')}
      {...handlers}
      aria-label="Drawing area: drag across an object to draw a box around it"
      data-testid="box-layer"
    >
      {shown.map((b, i) => {
        const li = Math.max(0, labels.indexOf(b.label));
        const [color, ink] = colorFor(li);
        const isSel = b.id === selectedId || b.id === DRAFT;
        return (
          <div
            key={b.id}
            data-box={b.id}
            className={'box' + (isSel ? ' is-selected' : '')}
            style={{
              left: (b.x / W) * 100 + '%', top: (b.y / H) * 100 + '%',
              width: (b.w / W) * 100 + '%', height: (b.h / H) * 100 + '%',
              '--c': color,
            }}
          >
            <span className="box-tag" style={{ background: color, color: ink }}>
              {b.id === DRAFT ? '' : i + 1 + ' '}{b.label}
            </span>
            {b.id === selectedId &&
              HANDLES.map((h) => <span key={h} data-handle={h} className={'handle h-' + h} />)}
          </div>
        );
      })}
    </div>
  );
}
