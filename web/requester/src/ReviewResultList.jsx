import { useEffect, useRef } from 'react';
import ReviewResultCard from './ReviewResultCard.jsx';

// The page of results as cards. When the focus moves by keyboard (`focusMoved` changes), the
// card in focus gets the browser's focus and scrolls into view.
export default function ReviewResultList({ items, focus, focusMoved, selected, onFocus, onSelect, onOpen, onAct, ...shared }) {
  const cards = useRef([]);

  useEffect(() => {
    if (!focusMoved) return;
    const card = cards.current[focus];
    if (card) {
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: 'nearest' });
    }
  }, [focus, focusMoved]);

  return (
    <ul className="review-grid" aria-label="Results">
      {items.map((t, i) => (
        <ReviewResultCard key={t.id} train={t} {...shared} cardRef={(el) => { cards.current[i] = el; }}
          focused={i === focus} selected={selected.has(t.id)}
          onFocus={() => onFocus(i)} onSelect={(range) => onSelect(t.id, range)} onOpen={() => onOpen(i)}
          onApprove={() => onAct('approve', t)} onReject={() => onAct('reject', t)} />
      ))}
    </ul>
  );
}
