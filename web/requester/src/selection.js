// Selecting results for a review action (no DOM). A click toggles one result; a shift-click
// gives every result from the last one clicked (the anchor) to this one the clicked one's new state.

// selected: Set of ids; ids: the selectable ids in page order. Returns a new Set.
export function toggleSelection(selected, ids, id, { anchor = null, range = false } = {}) {
  const next = new Set(selected);
  const on = !selected.has(id);
  const from = anchor === null ? -1 : ids.indexOf(anchor);
  const to = ids.indexOf(id);
  if (range && from >= 0 && to >= 0) {
    const [lo, hi] = from < to ? [from, to] : [to, from];
    ids.slice(lo, hi + 1).forEach((k) => (on ? next.add(k) : next.delete(k)));
  } else if (on) {
    next.add(id);
  } else {
    next.delete(id);
  }
  return next;
}

// Keeps only the ids still on the page (after a reload some results have been settled).
export function keepPresent(selected, ids) {
  const present = new Set(ids);
  const next = new Set([...selected].filter((id) => present.has(id)));
  return next.size === selected.size ? selected : next;
}
