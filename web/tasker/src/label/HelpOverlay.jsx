// Keyboard shortcuts and gestures, opened with "?".
import { useEffect, useRef } from 'react';

const KEYS = [
  ['Enter', 'Submit the boxes'],
  ['N', 'Nothing to mark on this image'],
  ['S', 'Skip this image'],
  ['Delete / Backspace', 'Delete the selected box'],
  ['1 – 9', 'Choose the label for new boxes, or of the selected box'],
  ['Arrow keys', 'Nudge the selected box (Shift: 10 pixels)'],
  ['+ / − / 0', 'Zoom in, zoom out, fit'],
  ['Esc', 'Deselect the box, close this help'],
  ['?', 'Show or hide this help'],
];

export default function HelpOverlay({ onClose }) {
  const closeBtn = useRef(null);
  const before = useRef(null);
  useEffect(() => {
    before.current = document.activeElement;
    closeBtn.current && closeBtn.current.focus();
    return () => { before.current && before.current.focus && before.current.focus(); };
  }, []);
  const onKeyDown = (e) => {
    if (e.key === 'Escape' || e.key === '?') { e.preventDefault(); e.stopPropagation(); onClose(); }
    if (e.key === 'Tab') { e.preventDefault(); closeBtn.current.focus(); } // keep focus inside
  };
  return (
    <div className="overlay" onClick={onClose}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title"
        onClick={(e) => e.stopPropagation()} onKeyDown={onKeyDown} data-testid="help-overlay">
        <h2 id="help-title">How to label</h2>
        <ul className="help-list">
          <li>Drag across an object to draw a box. Tap a box to select it, drag it to move, drag its corners to resize.</li>
          <li>Pinch with two fingers (or Ctrl + scroll) to zoom on small objects; two fingers also pan.</li>
          <li>Pick the label before drawing. To change a box's label, tap the box, then pick the label.</li>
        </ul>
        <table className="keys">
          <caption className="sr-only">Keyboard shortcuts</caption>
          <tbody>
            {KEYS.map(([k, what]) => (
              <tr key={k}><th scope="row"><kbd>{k}</kbd></th><td>{what}</td></tr>
            ))}
          </tbody>
        </table>
        <button ref={closeBtn} type="button" className="btn" onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
