// What a key press means on the labeling screen (see HelpOverlay.jsx), or null when it
// means nothing there. Pure, so that it is unit tested with node.
//   e: the keydown event (key, shiftKey, ctrlKey, metaKey, altKey, target)
//   help: the help overlay is open (it handles its own keys)
//   ready: an image is ready to label; selected: a box is selected
// A command with prevent: true takes the key from the browser (preventDefault).

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
const CONTROLS = new Set(['BUTTON', 'A', 'SUMMARY']);

export function keyCommand(e, { help, ready, selected }) {
  if (help || e.ctrlKey || e.metaKey || e.altKey) return null;
  const target = e.target;
  const tag = target && target.tagName;
  if (TYPING.has(tag) || (target && target.isContentEditable)) return null;
  const k = e.key;
  if (k === '?') return { type: 'help', prevent: true };
  if (!ready) return null;
  if (k === 'Enter') {
    // On a focused button, link or summary, Enter is that control's.
    return CONTROLS.has(tag) ? null : { type: 'submit', nothing: false, prevent: true };
  }
  if (k === 's' || k === 'S') return { type: 'skip', prevent: true };
  if (k === 'n' || k === 'N') return { type: 'submit', nothing: true, prevent: true };
  if ((k === 'Delete' || k === 'Backspace') && selected) return { type: 'delete', prevent: true };
  if (/^[1-9]$/.test(k)) return { type: 'label', index: Number(k) - 1, prevent: true };
  if (k === 'Escape') return { type: 'deselect' };
  if (k === '+' || k === '=') return { type: 'zoomIn' };
  if (k === '-' || k === '_') return { type: 'zoomOut' };
  if (k === '0') return { type: 'zoomFit' };
  if (k.startsWith('Arrow') && selected) {
    const step = e.shiftKey ? 10 : 1;
    const dx = k === 'ArrowLeft' ? -step : k === 'ArrowRight' ? step : 0;
    const dy = k === 'ArrowUp' ? -step : k === 'ArrowDown' ? step : 0;
    return { type: 'nudge', dx, dy, prevent: true };
  }
  return null;
}
