import { useState } from 'react';
import { labelError } from './jobValidation.js';

// Labels as removable chips. Enter or comma adds what was typed; Backspace on an empty box removes the last.
export default function TagInput({
  id, value, onChange, onTouched, disabled, 'aria-describedby': describedBy, 'aria-invalid': invalid,
}) {
  const [text, setText] = useState('');
  const [err, setErr] = useState('');

  const add = (raw) => {
    const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
    let next = value;
    for (const p of parts) {
      const e = labelError(p, next);
      if (e) { setErr(e); onChange(next); return false; }
      next = [...next, p];
    }
    setErr('');
    if (next !== value) onChange(next);
    return true;
  };

  const onKeyDown = (e) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      if (text.trim() && add(text)) setText('');
      onTouched?.();
    } else if (e.key === 'Backspace' && !text && value.length) {
      onChange(value.slice(0, -1));
    }
  };

  const onChangeText = (e) => {
    const t = e.target.value;
    if (t.includes(',')) { // pasted "car, person"
      const last = t.slice(t.lastIndexOf(',') + 1);
      if (add(t.slice(0, t.lastIndexOf(',')))) setText(last.trimStart()); else setText(t);
    } else { setText(t); setErr(''); }
  };

  const errId = `${id}-tag-error`;
  return (
    <div className={`tag-input ${invalid ? 'invalid' : ''} ${disabled ? 'disabled' : ''}`}>
      <ul className="tags" aria-label="Labels">
        {value.map((t, i) => (
          <li key={t} className={`tag c${i % 10}`}>
            <span>{t}</span>
            {!disabled && (
              <button type="button" aria-label={`Remove label ${t}`} onClick={() => onChange(value.filter((x) => x !== t))}>×</button>
            )}
          </li>
        ))}
      </ul>
      {!disabled && (
        <input
          id={id} type="text" value={text} onChange={onChangeText} onKeyDown={onKeyDown}
          onBlur={() => { if (text.trim() && add(text)) setText(''); onTouched?.(); }}
          placeholder={value.length ? 'Add another label' : 'e.g. car, then Enter'}
          aria-invalid={invalid || err ? true : undefined}
          aria-describedby={[describedBy, err ? errId : null].filter(Boolean).join(' ') || undefined}
          autoComplete="off"
        />
      )}
      {err && <p className="field-error" id={errId} role="alert">{err}</p>}
    </div>
  );
}
