import { useState } from 'react';
import { Api } from './api.js';
import Field from '../../shared/Field.jsx';
import { REASON_MAX, reasonError } from './reviewText.js';

// Blocking one tasker: the reason (the tasker reads it, and it rejects their pending
// results), and whether the block covers all the requester's jobs. onBlocked(answer).
export default function BlockForm({ job, tasker, onBlocked, onCancel }) {
  const [reason, setReason] = useState('');
  const [allJobs, setAllJobs] = useState(false);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const invalid = reasonError(reason);
  const name = tasker.taskerName || `Tasker #${tasker.taskerId}`;

  const submit = async (e) => {
    e.preventDefault();
    setTried(true);
    if (invalid) return;
    setBusy(true); setError('');
    try {
      onBlocked(await Api.block(job.id, tasker.taskerId, reason.trim(), allJobs));
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };

  return (
    <form className="card confirm block-form" onSubmit={submit} noValidate aria-labelledby="block-title">
      <h2 id="block-title">Block {name}</h2>
      <p className="small">
        {name} gets no more images {allJobs ? 'of any of your jobs' : 'of this job'}; their live leases there end and
        their pending results there are rejected with this reason.
      </p>
      <Field id="block-reason" label="Reason" error={tried ? invalid : undefined}
        hint={`The tasker sees it; ${[...reason.trim()].length} of ${REASON_MAX} characters.`}>
        <textarea rows={2} value={reason} autoFocus maxLength={REASON_MAX + 50} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <label className="check-field">
        <input type="checkbox" id="block-all-jobs" checked={allJobs} onChange={(e) => setAllJobs(e.target.checked)} />
        {' '}All my jobs
      </label>
      {error && <p className="error-box" role="alert">{error}</p>}
      <div className="actions">
        <button type="submit" className="danger" disabled={busy}>{busy ? 'Blocking…' : `Block ${name}`}</button>
        <button type="button" onClick={onCancel} disabled={busy}>Cancel</button>
      </div>
    </form>
  );
}
