// A small picture of a result: the image, letterboxed in a square, with the tasker's
// boxes drawn over it (boxes are in image pixels, drawn as percentages).
export default function ResultThumb({ url, width, height, boxes }) {
  const W = width > 0 ? width : 4;
  const H = height > 0 ? height : 3;
  const wide = W >= H;
  return (
    <div className="thumb" aria-hidden="true">
      <div className="thumb-frame" style={{ aspectRatio: W + ' / ' + H, width: wide ? '100%' : 'auto', height: wide ? 'auto' : '100%' }}>
        <img src={url} alt="" loading="lazy" decoding="async" width={W} height={H} data-testid="result-image" />
        {(boxes || []).map((b, i) => (
          <span key={i} className="thumb-box" style={{
            left: (100 * b.x) / W + '%', top: (100 * b.y) / H + '%',
            width: (100 * b.w) / W + '%', height: (100 * b.h) / H + '%',
          }} />
        ))}
      </div>
    </div>
  );
}
