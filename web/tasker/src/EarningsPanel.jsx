// Balance and today's earnings (GET /api/me). Compact in the header, larger on the
// earnings screen.
export default function EarningsPanel({ user, compact, href }) {
  if (!user) return null;
  const body = (
    <>
      <span className="stat"><span className="stat-label">Balance</span>{' '}
        <strong data-testid="balance">{user.balance}</strong></span>
      <span className="stat"><span className="stat-label">Today</span>{' '}
        <strong data-testid="earned-today">+{user.earnedToday}</strong></span>
    </>
  );
  if (compact) {
    return (
      <a className="earnings compact" href={href || '#/earnings'} aria-label={
        'Balance ' + user.balance + ', earned today ' + user.earnedToday + '. Open earnings and payouts'}
        data-testid="earnings-panel">
        {body}
      </a>
    );
  }
  return <section className="earnings big" aria-label="Your earnings" data-testid="earnings-panel">{body}</section>;
}
