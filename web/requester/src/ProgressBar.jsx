// An accessible progress bar: role=progressbar with the value, and the same numbers as text.
export default function ProgressBar({ id, label, value, max, text, tone = '' }) {
  const known = Number.isFinite(value) && Number.isFinite(max) && max > 0;
  const pct = known ? Math.max(0, Math.min(100, Math.floor((value / max) * 100))) : 0;
  return (
    <div className={`progress ${tone}`}>
      {label && <div className="progress-label" id={id ? `${id}-label` : undefined}>
        <span>{label}</span><span className="progress-text">{text ?? (known ? `${pct}%` : '–')}</span>
      </div>}
      <div
        className="progress-track" id={id} role="progressbar"
        aria-labelledby={id && label ? `${id}-label` : undefined} aria-label={label ? undefined : text}
        aria-valuemin={0} aria-valuemax={100} aria-valuenow={known ? pct : undefined}
        aria-valuetext={text ?? (known ? `${pct}%` : 'unknown')}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
