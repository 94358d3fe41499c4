const TEXT = { draft: 'Draft', active: 'Active', paused: 'Paused', finished: 'Finished' };

export default function StateBadge({ state }) {
  return <span className={`badge state-${state}`}>{TEXT[state] || state}</span>;
}
