// Zoom out, the zoom, zoom in, fit.
import { MAX_ZOOM } from './useZoom.js';

export default function ZoomBar({ zoom, onZoomIn, onZoomOut, onFit }) {
  return (
    <div className="zoom-bar" aria-label="Zoom">
      <button type="button" className="btn-ghost icon" onClick={onZoomOut}
        disabled={zoom <= 1} aria-label="Zoom out">−</button>
      <span className="zoom-val" aria-live="polite">{Math.round(zoom * 100)}%</span>
      <button type="button" className="btn-ghost icon" onClick={onZoomIn}
        disabled={zoom >= MAX_ZOOM} aria-label="Zoom in">+</button>
      <button type="button" className="btn-ghost" onClick={onFit} disabled={zoom === 1}>Fit</button>
    </div>
  );
}
