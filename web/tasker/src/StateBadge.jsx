// A result's review state as a coloured badge.
const TEXT = { pending: 'Pending', approved: 'Approved', rejected: 'Rejected' };

export default function StateBadge({ state }) {
  return <span className={'badge state-' + state} data-testid="state-badge">{TEXT[state] || state}</span>;
}
