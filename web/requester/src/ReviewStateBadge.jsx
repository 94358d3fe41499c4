const TEXT = { pending: 'Pending', approved: 'Approved', rejected: 'Rejected' };

// A result's review state.
export default function ReviewStateBadge({ state }) {
  return <span className={`badge review-${state}`}>{TEXT[state] || state}</span>;
}
