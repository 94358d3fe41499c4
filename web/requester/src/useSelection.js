import { useCallback, useEffect, useRef, useState } from 'react';
import { toggleSelection, keepPresent } from './selection.js';

// The selected results of one page. `ids`: the selectable ids in page order; ids that leave
// the page (another page, or settled by a reload) leave the selection too.
export default function useSelection(ids) {
  const [selected, setSelected] = useState(() => new Set());
  const anchor = useRef(null);
  const current = useRef(ids);
  current.current = ids;
  const key = ids.join(',');

  useEffect(() => { setSelected((old) => keepPresent(old, current.current)); }, [key]);

  // range: a shift-click, which selects (or unselects) everything from the last click to this one
  const toggle = useCallback((id, range = false) => {
    const from = anchor.current; // read now: the updater below runs later, after the anchor has moved
    const ids = current.current;
    setSelected((old) => toggleSelection(old, ids, id, { anchor: from, range }));
    anchor.current = id;
  }, []);
  const setAll = useCallback((on) => setSelected(on ? new Set(current.current) : new Set()), []);
  const clear = useCallback(() => setSelected(new Set()), []);

  return { selected, toggle, setAll, clear };
}
