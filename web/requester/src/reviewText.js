// Review and settlement in words and request bodies (no DOM): what a review action covers,
// what it moves, what it did. Used by the review screen and by the unit tests.
import { money, parseCents } from './money.js';

export const REASON_MAX = 500;

export const REVIEW_STATES = [
  { id: 'pending', name: 'Pending' },
  { id: 'approved', name: 'Approved' },
  { id: 'rejected', name: 'Rejected' },
];

// 1 -> "1 result", 3 -> "3 results"
export function plural(n, one, many = `${one}s`) {
  return `${Number(n).toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

// A rejection reason: required, plain text, at most REASON_MAX characters. An error sentence or null.
export function reasonError(text) {
  const t = String(text ?? '').trim();
  if (!t) return 'Give a reason: the tasker sees it with the rejected result.';
  if ([...t].length > REASON_MAX) return `At most ${REASON_MAX} characters (this is ${[...t].length}).`;
  return null;
}

// What an action covers. A scope is one of
//   {kind: 'results', trainIds: [ids]}                 one result, or a selection
//   {kind: 'tasker', taskerId, taskerName}             everything pending of one tasker
//   {kind: 'job'}                                      everything pending in the job
export function describeScope(scope) {
  if (scope.kind === 'results') {
    return scope.trainIds.length === 1 ? `result #${scope.trainIds[0]}` : `${plural(scope.trainIds.length, 'selected result')}`;
  }
  if (scope.kind === 'tasker') return `everything pending of ${scope.taskerName || `tasker #${scope.taskerId}`}`;
  return 'everything pending in the job';
}

// The body of POST /api/jobs/{jobId}/review.
export function reviewBody(action, scope, { reason = '', preview = false } = {}) {
  const body = { action };
  if (scope.kind === 'results') body.trainIds = [...scope.trainIds];
  else if (scope.kind === 'tasker') body.taskerId = scope.taskerId;
  else body.state = 'pending';
  if (action === 'reject') body.reason = String(reason).trim();
  if (preview) body.preview = true;
  return body;
}

const isZero = (amount) => !(parseCents(amount) > 0);

// The confirmation, from the preview answer {count, amount, skipped}.
export function previewText(action, { count, amount, skipped = 0 }) {
  if (count === 0) return 'Nothing to do: none of these results is pending any more.';
  const verb = action === 'approve' ? 'Approve' : 'Reject';
  let text = `${verb} ${plural(count, 'result')}: `;
  if (action === 'approve') text += `${money(amount)} moves from the job's escrow to the taskers.`;
  else if (isZero(amount)) text += 'no money moves now; the bounties stay in the job\'s escrow and each image is offered to another tasker.';
  else text += `${money(amount)} returns from the job's escrow to your balance.`;
  if (skipped) text += ` ${plural(skipped, 'result')} ${skipped === 1 ? 'is' : 'are'} settled already and will be skipped.`;
  return text;
}

// What was done, from the answer {action, count, amount, skipped}.
export function outcomeText({ action, count, amount, skipped = 0 }) {
  let text;
  if (action === 'approve') {
    text = `Approved ${plural(count, 'result')}: ${money(amount)} paid to the taskers.`;
  } else {
    text = `Rejected ${plural(count, 'result')}: ` +
      (isZero(amount) ? 'the images are offered to other taskers.' : `${money(amount)} returned to your balance.`);
  }
  if (skipped) text += ` ${plural(skipped, 'result')} skipped (settled already).`;
  return text;
}

export function autoApproveText(hours) {
  if (hours === null || hours === undefined) return '';
  if (hours === 0) return 'Pending results are approved automatically at once, by the next sweep (within seconds).';
  return `Pending results are approved automatically ${plural(hours, 'hour')} after submission.`;
}

// For one pending result: when it will be approved automatically, e.g. "approved automatically in 47 h".
export function autoApproveDue(createdAt, hours, now = new Date()) {
  const submitted = Date.parse(createdAt);
  if (!Number.isFinite(submitted) || hours === null || hours === undefined) return '';
  const left = submitted + hours * 3600 * 1000 - now.getTime();
  if (left <= 0) return 'approved automatically at the next sweep';
  const h = Math.ceil(left / (3600 * 1000));
  return h <= 1 ? 'approved automatically within the hour' : `approved automatically in ${h} h`;
}
