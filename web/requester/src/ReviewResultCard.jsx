import BoxOverlay from './BoxOverlay.jsx';
import ReviewStateBadge from './ReviewStateBadge.jsx';
import { describeResult } from './boxSummary.js';
import { autoApproveDue } from './reviewText.js';
import ResultAgreement from './ResultAgreement.jsx';

function when(train, autoApproveAfterHours) {
  const submitted = new Date(train.createdAt).toLocaleString();
  if (train.state === 'pending') return `Submitted ${submitted}; ${autoApproveDue(train.createdAt, autoApproveAfterHours)}.`;
  return train.settledAt ? `${train.state === 'approved' ? 'Approved' : 'Rejected'} ${new Date(train.settledAt).toLocaleString()}.` : `Submitted ${submitted}.`;
}

// One result: its image with the tasker's boxes, who and what, and (while pending) a checkbox
// and the approve / reject buttons. A click anywhere on the card puts it in focus.
export default function ReviewResultCard({
  train, labels, colours, focused, selected, autoApproveAfterHours, cardRef,
  onFocus, onSelect, onOpen, onApprove, onReject,
}) {
  const pending = train.state === 'pending';
  const name = train.taskerName || `Tasker #${train.taskerId}`;
  const task = { id: train.taskId, width: train.imageWidth, height: train.imageHeight, filename: `Image ${train.taskId}` };
  return (
    <li ref={cardRef} tabIndex={-1} onClick={onFocus}
      className={`review-card${focused ? ' focused' : ''}${selected ? ' selected' : ''}`}
      data-train-id={train.id} data-state={train.state} data-tasker={train.taskerId} aria-current={focused ? 'true' : undefined}>
      <button type="button" className="thumb-button" onClick={onOpen} aria-label={`Open the image of result #${train.id} large`}>
        <BoxOverlay task={task} trains={[train]} colours={colours} compact names={new Map([[train.taskerId, name]])} />
      </button>
      <div className="review-card-body">
        <div className="review-card-head">
          {pending ? (
            <label className="pick">
              <input type="checkbox" checked={selected} aria-label={`Select result #${train.id} by ${name}`}
                onChange={(e) => onSelect(Boolean(e.nativeEvent.shiftKey))} />
              <strong>{name}</strong>
            </label>
          ) : <strong>{name}</strong>}
          <ReviewStateBadge state={train.state} />
        </div>
        <p className="small">Result #{train.id} · {describeResult(train, labels)}</p>
        <p className="small muted">{when(train, autoApproveAfterHours)}</p>
        {train.rejectReason && <p className="small reject-reason">Reason: {train.rejectReason}</p>}
        <ResultAgreement train={train} />
        {pending && (
          <div className="card-actions">
            <button type="button" className="approve" onClick={onApprove}>Approve</button>
            <button type="button" className="danger" onClick={onReject}>Reject…</button>
          </div>
        )}
      </div>
    </li>
  );
}
