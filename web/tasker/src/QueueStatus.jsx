// Shows answers waiting in the offline queue, and answers the server refused.
export default function QueueStatus({ pending, flushing, online, rejected, onRetry, onDismiss }) {
  if (!pending.length && !rejected.length) return null;
  const n = pending.length;
  const last = n ? pending[pending.length - 1].lastError : null;
  return (
    <div className="queue-status" data-testid="queue-status">
      {n > 0 && (
        <div className="msg warn row spread" role="status" data-testid="queue-pending" data-count={n}>
          <span>
            {n === 1 ? '1 answer is' : n + ' answers are'} saved on this device, waiting to be sent.{' '}
            {flushing ? 'Sending now…' : !online ? 'You are offline; it will be sent when you are back online.'
              : last ? last + ' Retrying automatically.' : 'Retrying automatically.'}
          </span>
          <button type="button" className="btn-ghost" onClick={onRetry} disabled={flushing}>Send now</button>
        </div>
      )}
      {rejected.map((r) => (
        <div key={r.leaseId} className="msg error row spread" role="alert" data-testid="queue-rejected">
          <span>An answer could not be saved: {r.message}</span>
          <button type="button" className="btn-ghost" onClick={() => onDismiss(r.leaseId)} aria-label="Dismiss">OK</button>
        </div>
      ))}
    </div>
  );
}
