// The tasker's money in three figures: pending (waiting for the requester's review),
// available (approved: what a payout can draw on) and rejected (not paid).
function results(n) {
  return n === 1 ? '1 result' : (n || 0) + ' results';
}

function Figure({ kind, title, amount, note }) {
  return (
    <div className={'figure is-' + kind} data-testid={'earnings-' + kind}>
      <dt>{title}</dt>
      <dd>
        <strong className="figure-amount" data-testid={kind + '-amount'}>{amount}</strong>
        <span className="figure-note small">{note}</span>
      </dd>
    </div>
  );
}

export default function EarningsPanel({ earnings, error, onRetry }) {
  if (!earnings) {
    return (
      <section className="card earnings-panel" data-testid="earnings-panel" aria-busy={!error}>
        {error
          ? <p className="msg error" role="alert">{error} <button type="button" className="btn-link" onClick={onRetry}>Try again</button></p>
          : <p className="muted">Loading your earnings…</p>}
      </section>
    );
  }
  const e = earnings;
  return (
    <section className="card earnings-panel" aria-label="Your earnings" data-testid="earnings-panel">
      <dl className="figures">
        <Figure kind="pending" title="Pending" amount={e.pending}
          note={results(e.pendingCount) + ' waiting for review'} />
        <Figure kind="available" title="Available" amount={e.available}
          note="Yours to pay out" />
        <Figure kind="rejected" title="Rejected" amount={e.rejected}
          note={results(e.rejectedCount) + ', not paid'} />
      </dl>
      <p className="small muted" data-testid="earnings-explained">
        Pending money becomes available once the requester approves your result, or by
        itself when the job&apos;s review window ends (usually 72 hours after you submit).
        {' '}So far {results(e.approvedCount)} approved, worth {e.approved}.
      </p>
    </section>
  );
}
