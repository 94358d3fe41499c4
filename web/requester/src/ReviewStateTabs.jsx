import { money } from './money.js';
import { REVIEW_STATES } from './reviewText.js';

// Pending / approved / rejected, each with its count (and money, where known); `hrefFor(state)` links each.
// counts: {pending, approved, rejected}; amounts: the same keys with money strings, or missing.
export default function ReviewStateTabs({ current, counts, amounts = {}, hrefFor }) {
  return (
    <nav className="review-states" aria-label="Results by review state">
      {REVIEW_STATES.map((s) => (
        <a key={s.id} href={hrefFor(s.id)} data-state={s.id} aria-current={s.id === current ? 'page' : undefined}>
          {s.name} <span className="count" data-count={counts[s.id] ?? ''}>{counts[s.id] ?? '–'}</span>
          {amounts[s.id] !== undefined && <span className="amount">{money(amounts[s.id])}</span>}
        </a>
      ))}
    </nav>
  );
}
