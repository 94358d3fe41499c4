import { useState } from 'react';

// Renders only the rows in view (plus a few), so lists of thousands stay fast.
export default function VirtualList({ items, rowHeight, maxHeight = 360, renderRow, label, id }) {
  const [scrollTop, setScrollTop] = useState(0);
  const height = Math.min(maxHeight, items.length * rowHeight);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - 4);
  const last = Math.min(items.length, Math.ceil((scrollTop + maxHeight) / rowHeight) + 4);
  const rows = [];
  for (let i = first; i < last; i++) {
    const it = items[i];
    rows.push(
      <li key={it.id} aria-setsize={items.length} aria-posinset={i + 1}
        style={{ position: 'absolute', top: i * rowHeight, height: rowHeight, left: 0, right: 0 }}>
        {renderRow(it)}
      </li>,
    );
  }
  return (
    <div className="vlist" style={{ height }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} tabIndex={items.length ? 0 : -1}
      aria-label={label} role="region" id={id}>
      <ul style={{ height: items.length * rowHeight, position: 'relative', margin: 0, padding: 0, listStyle: 'none' }}>
        {rows}
      </ul>
    </div>
  );
}
