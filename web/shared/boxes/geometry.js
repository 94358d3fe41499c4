// Box geometry helpers. Boxes live in the image's own pixels everywhere in both apps
// (origin top-left); the screen only ever sees percentages of the image.

export const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

// Rectangle spanned by two points, clamped to the image.
export function rectFrom(a, b, W, H) {
  const x0 = clamp(Math.min(a.x, b.x), 0, W);
  const y0 = clamp(Math.min(a.y, b.y), 0, H);
  const x1 = clamp(Math.max(a.x, b.x), 0, W);
  const y1 = clamp(Math.max(a.y, b.y), 0, H);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

// Move a box by (dx, dy) image pixels, keeping it inside the image.
export function moved(box, dx, dy, W, H) {
  return { ...box, x: clamp(box.x + dx, 0, W - box.w), y: clamp(box.y + dy, 0, H - box.h) };
}

// Resize a box by dragging one of its handles ('n', 'ne', 'e', ... 'nw') to point p.
export function resized(box, handle, p, W, H) {
  let x0 = box.x, y0 = box.y, x1 = box.x + box.w, y1 = box.y + box.h;
  if (handle.includes('w')) x0 = p.x;
  if (handle.includes('e')) x1 = p.x;
  if (handle.includes('n')) y0 = p.y;
  if (handle.includes('s')) y1 = p.y;
  return { ...box, ...rectFrom({ x: x0, y: y0 }, { x: x1, y: y1 }, W, H) };
}

// The boxes as the API wants them: whole image pixels, inside the image, w, h > 0.
export function toImageBoxes(boxes, W, H) {
  const out = [];
  for (const b of boxes) {
    let x0 = clamp(Math.round(b.x), 0, W - 1);
    let y0 = clamp(Math.round(b.y), 0, H - 1);
    let x1 = clamp(Math.round(b.x + b.w), 0, W);
    let y1 = clamp(Math.round(b.y + b.h), 0, H);
    if (x1 <= x0) x1 = x0 + 1;
    if (y1 <= y0) y1 = y0 + 1;
    out.push({ x: x0, y: y0, w: x1 - x0, h: y1 - y0, label: b.label });
  }
  return out;
}

export const PALETTE = [
  ['#ff453a', '#000'], ['#4c9bff', '#000'], ['#30d158', '#000'],
  ['#ff9f0a', '#000'], ['#bf5af2', '#000'], ['#ffd60a', '#000'],
  ['#64d2ff', '#000'], ['#ff2d92', '#000'], ['#c7a77a', '#000'],
];
export const colorFor = (i) => PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
