// One of the tasker's results: its image, the job, the review state, why it was
// rejected, the bounty and when.
import ResultThumb from './ResultThumb.jsx';
import StateBadge from './StateBadge.jsx';
import { formatTime } from './format.js';

function whatWasMarked(r) {
  if (r.nothingToMark) return 'Nothing to mark';
  const n = (r.boxes || []).length;
  return n === 1 ? '1 box' : n + ' boxes';
}

const PAY = { pending: 'waiting for review', approved: 'paid', rejected: 'not paid' };

export default function ResultItem({ result: r }) {
  return (
    <li className={'result state-' + r.state} data-testid="result-item" data-result-id={r.id} data-state={r.state}>
      <ResultThumb url={r.imageUrl} width={r.imageWidth} height={r.imageHeight} boxes={r.boxes} />
      <div className="result-body">
        <div className="result-head">
          <strong className="result-title" data-testid="result-job">{r.jobTitle}</strong>
          <StateBadge state={r.state} />
        </div>
        <div className="small">
          <strong className="result-bounty" data-testid="result-bounty">{r.bounty}</strong>{' '}
          <span className="muted">{PAY[r.state] || ''} · {whatWasMarked(r)}</span>
        </div>
        {r.state === 'rejected' && r.rejectReason && (
          <p className="reject-reason" data-testid="reject-reason">
            <span className="reject-reason-label">Reason: </span>{r.rejectReason}
          </p>
        )}
        <div className="small muted">
          Submitted <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
          {r.settledAt && r.state !== 'pending' ? (
            <> · {r.state === 'approved' ? 'approved' : 'rejected'} <time dateTime={r.settledAt}>{formatTime(r.settledAt)}</time></>
          ) : null}
        </div>
      </div>
    </li>
  );
}
