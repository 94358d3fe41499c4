import { useEffect, useState } from 'react';
import { Api } from './api.js';
import useModalDialog from './useModalDialog.js';
import RejectReasonForm from './RejectReasonForm.jsx';
import { describeScope, previewText, reviewBody } from './reviewText.js';

// Confirms a review action before it is carried out. A rejection asks for the reason first.
// Then the server is asked what the action would do ("preview": true): the count and the money
// it moves are shown, and only the confirm button sends the same request for real.
// phases: reason -> checking -> confirm -> working; onSettled(answer) when done.
export default function SettleDialog({ jobId, action, scope, onCancel, onSettled }) {
  const [phase, setPhase] = useState(action === 'reject' ? 'reason' : 'checking');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState(null);
  const [error, setError] = useState('');
  const ref = useModalDialog(() => { if (phase !== 'working') onCancel(); });
  const verb = action === 'approve' ? 'Approve' : 'Reject';

  const check = async () => {
    setPhase('checking'); setError(''); setPreview(null);
    try {
      setPreview(await Api.review(jobId, reviewBody(action, scope, { reason, preview: true })));
      setPhase('confirm');
    } catch (e) {
      setError(e.message);
      setPhase(action === 'reject' && e.code === 'reason_required' ? 'reason' : 'confirm');
    }
  };

  const carryOut = async () => {
    setPhase('working'); setError('');
    try {
      onSettled(await Api.review(jobId, reviewBody(action, scope, { reason })));
    } catch (e) {
      setError(e.message);
      setPhase('confirm');
    }
  };

  useEffect(() => { if (action === 'approve') check(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const ready = preview && preview.count > 0;
  return (
    <dialog ref={ref} className={`settle settle-${action}`} data-phase={phase} aria-labelledby="settle-title">
      <h2 id="settle-title">{verb} {describeScope(scope)}</h2>
      {phase === 'reason' && (
        <RejectReasonForm reason={reason} onChange={setReason} onContinue={check} onCancel={onCancel} />
      )}
      {phase === 'checking' && <p className="muted" aria-live="polite">Checking what this moves…</p>}
      {preview && (
        <p className="settle-preview" data-count={preview.count} data-amount={preview.amount} data-skipped={preview.skipped}>
          {previewText(action, preview)}
        </p>
      )}
      {preview && action === 'reject' && (
        <div className="reason-quote">
          <p className="small muted">The tasker will read:</p>
          <blockquote>{reason.trim()}</blockquote>
          <button type="button" className="link-button" onClick={() => { setPreview(null); setPhase('reason'); }} disabled={phase === 'working'}>
            Change the reason
          </button>
        </div>
      )}
      {error && <p className="error-box" role="alert">{error}</p>}
      {(phase === 'confirm' || phase === 'working') && (
        <div className="actions">
          {ready && (
            <button type="button" className={action === 'approve' ? 'primary' : 'danger'} onClick={carryOut}
              disabled={phase === 'working'} autoFocus>
              {phase === 'working' ? 'Working…' : `${verb} ${preview.count === 1 ? '1 result' : `${preview.count} results`}`}
            </button>
          )}
          {!preview && error && <button type="button" onClick={check}>Try again</button>}
          <button type="button" onClick={onCancel} disabled={phase === 'working'}>Cancel</button>
        </div>
      )}
    </dialog>
  );
}
