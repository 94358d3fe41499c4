// One quality check the tasker did not pass: the image with the boxes they missed (green,
// dashed) and the boxes they drew where none belonged (red), so they can see what the job
// wanted. The image's size comes from the image itself once loaded (boxes are in its pixels).
import { useState } from 'react';
import { failedCheckText, percent } from './accuracyText.js';
import { formatTime } from './format.js';

function Boxes({ boxes, kind }) {
  return (boxes || []).map((b, i) => (
    <rect key={kind + i} className={'check-box ' + kind} data-kind={kind} data-label={b.label}
      x={b.x} y={b.y} width={b.w} height={b.h} vectorEffect="non-scaling-stroke">
      <title>{(kind === 'missed' ? 'Missed: ' : 'Not wanted: ') + b.label}</title>
    </rect>
  ));
}

export default function FailedCheck({ check, jobTitle }) {
  const [size, setSize] = useState(null);
  return (
    <li className="failed-check" data-testid="failed-check" data-train-id={check.trainId}>
      <div className="check-image" style={size ? { aspectRatio: size.w + ' / ' + size.h } : undefined}>
        <img src={check.imageUrl} alt="The image of the quality check" loading="lazy" decoding="async"
          onLoad={(e) => setSize({ w: e.currentTarget.naturalWidth || 1, h: e.currentTarget.naturalHeight || 1 })} />
        {size && (
          <svg viewBox={'0 0 ' + size.w + ' ' + size.h} preserveAspectRatio="none" data-testid="check-overlay"
            role="img" aria-label={failedCheckText(check)}>
            <Boxes boxes={check.missed} kind="missed" />
            <Boxes boxes={check.extra} kind="extra" />
          </svg>
        )}
      </div>
      <div className="check-body">
        {jobTitle && <strong>{jobTitle}</strong>}
        <p data-testid="check-text">{failedCheckText(check)}</p>
        <p className="small muted">
          Score {percent(check.score)} · <time dateTime={check.at}>{formatTime(check.at)}</time>
        </p>
      </div>
    </li>
  );
}
