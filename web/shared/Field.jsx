import { Children, cloneElement } from 'react';

// A labelled form control with an optional hint and an error announced to screen readers.
export default function Field({ id, label, hint, error, children, className = '' }) {
  const hintId = hint ? `${id}-hint` : null;
  const errId = error ? `${id}-error` : null;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  const child = Children.only(children);
  return (
    <div className={`field ${error ? 'invalid' : ''} ${className}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(child, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && <p className="hint" id={hintId}>{hint}</p>}
      {error && <p className="field-error" id={errId}>{error}</p>}
    </div>
  );
}
