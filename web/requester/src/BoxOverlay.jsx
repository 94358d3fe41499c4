// An image with every tasker's boxes drawn over it, all in one SVG in the image's own pixel space,
// so box coordinates (original image pixels) need no conversion at any display size.
export default function BoxOverlay({ task, trains, colours, hidden = null, compact = false, names = null }) {
  const w = task.width || 1;
  const h = task.height || 1;
  const font = Math.max(w, h) / (compact ? 18 : 40);
  const shown = (trains || []).filter((t) => !hidden || !hidden.has(t.taskerId));
  let boxCount = 0;
  shown.forEach((t) => { boxCount += t.boxes.length; });
  const who = (id) => (names && names.get(id)) || `tasker #${id}`;
  return (
    <svg className="overlay" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="xMidYMid meet"
      role="img" aria-label={`${task.filename || `Image ${task.id}`}: ${boxCount} box${boxCount === 1 ? '' : 'es'} from ${shown.length} result${shown.length === 1 ? '' : 's'}`}>
      <image href={task.imageUrl || `/api/tasks/${task.id}/image`} x="0" y="0" width={w} height={h} preserveAspectRatio="none" />
      {shown.map((t) => {
        const c = colours.get(t.taskerId) || { fill: '#000', ink: '#fff' };
        return (
          <g key={t.id} className="train" data-tasker={t.taskerId}>
            {t.boxes.map((b, i) => {
              const labelW = Math.min(w, (b.label.length + 0.6) * font * 0.62);
              const above = b.y - font * 1.25 >= 0;
              const ly = above ? b.y - font * 1.25 : b.y;
              return (
                <g key={i}>
                  <rect className="box" x={b.x} y={b.y} width={b.w} height={b.h} fill="none" stroke={c.fill}
                    strokeWidth={compact ? 2 : 2.5} vectorEffect="non-scaling-stroke" data-label={b.label}>
                    <title>{`${b.label} (${who(t.taskerId)})`}</title>
                  </rect>
                  <rect x={Math.min(b.x, w - labelW)} y={ly} width={labelW} height={font * 1.25} fill={c.fill} />
                  <text x={Math.min(b.x, w - labelW) + font * 0.3} y={ly + font * 0.98} fontSize={font} fill={c.ink}
                    fontFamily="system-ui, sans-serif">{b.label}</text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
