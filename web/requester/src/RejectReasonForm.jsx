import { useState } from 'react';
import Field from '../../shared/Field.jsx';
import { REASON_MAX, reasonError } from './reviewText.js';

// The reason a rejection needs (the tasker reads it). onContinue(reason) once it is valid.
export default function RejectReasonForm({ reason, onChange, onContinue, onCancel }) {
  const [tried, setTried] = useState(false);
  const error = reasonError(reason);
  const submit = (e) => {
    e.preventDefault();
    setTried(true);
    if (!error) onContinue();
  };
  const length = [...reason.trim()].length;
  return (
    <form onSubmit={submit} noValidate className="reject-reason-form">
      <Field id="reject-reason" label="Reason for the rejection"
        hint={`Plain text the tasker sees with the result; ${length} of ${REASON_MAX} characters.`}
        error={tried ? error : undefined}>
        <textarea rows={3} value={reason} autoFocus required maxLength={REASON_MAX + 50}
          onChange={(e) => onChange(e.target.value)} />
      </Field>
      <div className="actions">
        <button type="submit" className="primary">Continue</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
