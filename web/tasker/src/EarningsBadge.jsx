// Available and pending money in the header, linking to the earnings screen.
export default function EarningsBadge({ available, pending }) {
  const waiting = pending === undefined || pending === null ? '…' : pending;
  return (
    <a className="earnings-badge" href="#/earnings" data-testid="earnings-badge"
      aria-label={'Available ' + available + ', pending ' + waiting + '. Open earnings and payouts'}>
      <span className="stat"><span className="stat-label">Available</span>{' '}
        <strong data-testid="balance">{available}</strong></span>
      <span className="stat"><span className="stat-label">Pending</span>{' '}
        <strong data-testid="pending">{waiting}</strong></span>
    </a>
  );
}
