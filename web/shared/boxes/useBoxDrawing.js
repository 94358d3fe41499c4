// The pointer gestures of the box editor (BoxLayer.jsx). Pointer Events only, so a
// finger, a pen and a mouse all work the same way:
//   - drag on the image (or on a box that is not selected) draws a new box;
//   - tap a box to select it (then the label picker relabels it); drag the selected
//     box to move it;
//   - drag one of the selected box's handles to resize it;
//   - two fingers pinch to zoom and pan (handed on through onPinch).
// Positions are turned into the image's own pixels at once. While a finger moves, the
// box being drawn or edited is a preview; the boxes change (onChange) when it lifts.
import { useRef, useState } from 'react';
import { rectFrom, moved, resized } from './geometry.js';

const TAP_SLOP = 6; // screen pixels a pointer may wander and still be a tap
export const DRAFT = '__draft'; // the id of the box being drawn

let nextId = 1;
export const newBoxId = () => 'b' + nextId++;

export default function useBoxDrawing({
  width: W, height: H, boxes, selectedId, labels, labelIndex, onSelect, onChange, onPinch, disabled,
}) {
  const layer = useRef(null);
  const drag = useRef(null); // {mode, pointerId, start, startClient, box, handle, moved}
  const pointers = useRef(new Map()); // pointerId -> {x, y} client coordinates
  const pinch = useRef(null); // {dist, mid}
  const [preview, setPreviewState] = useState(null); // the box being drawn or edited
  const previewRef = useRef(null); // the same, for the pointerup that comes before a render
  const setPreview = (p) => { previewRef.current = p; setPreviewState(p); };

  const toImage = (e) => {
    const r = layer.current.getBoundingClientRect();
    return {
      x: Math.min(W, Math.max(0, ((e.clientX - r.left) / r.width) * W)),
      y: Math.min(H, Math.max(0, ((e.clientY - r.top) / r.height) * H)),
    };
  };

  const pinchState = () => {
    const [a, b] = [...pointers.current.values()];
    return {
      dist: Math.hypot(a.x - b.x, a.y - b.y) || 1,
      mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
    };
  };

  const onPointerDown = (e) => {
    if (disabled) return;
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    // preventDefault stops the focus change a mouse press would make; drop focus from
    // a previously clicked button so Enter means "submit", not "press that button".
    const active = document.activeElement;
    if (active && active !== document.body && active.blur) active.blur();
    try { layer.current.setPointerCapture(e.pointerId); } catch (err) { /* ignore */ }
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.current.size === 2) {
      // A second finger: this is a pinch, not a box.
      drag.current = null;
      setPreview(null);
      pinch.current = pinchState();
      return;
    }
    if (pointers.current.size > 2 || pinch.current) return;

    const p = toImage(e);
    const handleEl = e.target.closest('[data-handle]');
    const boxEl = e.target.closest('[data-box]');
    const selected = boxes.find((b) => b.id === selectedId);
    const base = { pointerId: e.pointerId, start: p, startClient: { x: e.clientX, y: e.clientY }, moved: false };
    if (handleEl && selected) {
      drag.current = { ...base, mode: 'resize', handle: handleEl.dataset.handle, box: selected };
    } else if (boxEl && boxEl.dataset.box === selectedId && selected) {
      drag.current = { ...base, mode: 'move', box: selected };
    } else {
      drag.current = { ...base, mode: 'draw', tapBox: boxEl ? boxEl.dataset.box : null };
    }
  };

  const onPointerMove = (e) => {
    if (!pointers.current.has(e.pointerId)) return;
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pinch.current) {
      if (pointers.current.size !== 2) return;
      const now = pinchState();
      if (onPinch) onPinch(now.dist / pinch.current.dist, now.mid, pinch.current.mid);
      pinch.current = now;
      return;
    }
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    if (!d.moved && Math.hypot(e.clientX - d.startClient.x, e.clientY - d.startClient.y) < TAP_SLOP) return;
    d.moved = true;
    const p = toImage(e);
    if (d.mode === 'draw') {
      setPreview({ id: DRAFT, label: labels[labelIndex], ...rectFrom(d.start, p, W, H) });
    } else if (d.mode === 'move') {
      setPreview(moved(d.box, p.x - d.start.x, p.y - d.start.y, W, H));
    } else {
      setPreview(resized(d.box, d.handle, p, W, H));
    }
  };

  const finish = (e, cancelled) => {
    if (!pointers.current.has(e.pointerId)) return;
    pointers.current.delete(e.pointerId);
    if (pinch.current) {
      if (pointers.current.size === 0) pinch.current = null;
      return;
    }
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    const p = previewRef.current;
    setPreview(null);
    if (cancelled) return;
    if (!d.moved) {
      // A tap: select the box under the finger, or clear the selection.
      if (d.mode === 'draw') onSelect(d.tapBox || null);
      return;
    }
    if (!p) return;
    if (d.mode === 'draw') {
      if (p.w < 1 || p.h < 1) return;
      // The new box is not selected: picking a label next is for the next box.
      onChange([...boxes, { ...p, id: newBoxId() }]);
      onSelect(null);
    } else {
      onChange(boxes.map((b) => (b.id === p.id ? p : b)));
    }
  };

  // The boxes as they look right now, the preview in place of the box it edits.
  const shown = preview
    ? (preview.id === DRAFT ? [...boxes, preview] : boxes.map((b) => (b.id === preview.id ? preview : b)))
    : boxes;

  return {
    layer,
    shown,
    handlers: {
      onPointerDown,
      onPointerMove,
      onPointerUp: (e) => finish(e, false),
      onPointerCancel: (e) => finish(e, true),
      onLostPointerCapture: (e) => finish(e, false),
    },
  };
}
