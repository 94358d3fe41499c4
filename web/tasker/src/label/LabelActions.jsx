// Skip, Nothing to mark, Submit (with the number of boxes).
export default function LabelActions({ canEdit, canSkip, boxCount, onSkip, onSubmit }) {
  return (
    <div className="actions">
      <button type="button" className="btn" onClick={onSkip} disabled={!canSkip}
        aria-keyshortcuts="S" data-testid="skip">Skip</button>
      <button type="button" className="btn" onClick={() => onSubmit(true)} disabled={!canEdit}
        aria-keyshortcuts="N" data-testid="nothing">Nothing to mark</button>
      <button type="button" className="btn primary" onClick={() => onSubmit(false)}
        disabled={!canEdit || boxCount === 0} aria-keyshortcuts="Enter" data-testid="submit">
        Submit{boxCount ? ' ' + boxCount : ''}
      </button>
    </div>
  );
}
