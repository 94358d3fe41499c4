// Zoom of the image in its viewport: 1 (the whole image) to MAX_ZOOM, around a point
// (a pinch's middle, the mouse under Ctrl + wheel, else the viewport's centre), with a
// pan. Each new image starts at 1. zoomTo may run many times between renders (a pinch),
// so the zoom it starts from is kept in a ref as well as in state.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { clamp } from '../../../shared/boxes/geometry.js';

export const MAX_ZOOM = 8;

export default function useZoom(viewport, img) {
  const [zoomed, setZoomed] = useState({ img, zoom: 1 });
  const zoom = zoomed.img === img ? zoomed.zoom : 1;
  const latest = useRef({ img, zoom });
  latest.current = { img, zoom };
  const pendingScroll = useRef(null);

  const zoomTo = useCallback((z, cx, cy, panX = 0, panY = 0) => {
    const vp = viewport.current;
    if (!vp) return;
    const cur = latest.current.zoom;
    z = clamp(z, 1, MAX_ZOOM);
    const r = vp.getBoundingClientRect();
    const vw = vp.clientWidth || r.width, vh = vp.clientHeight || r.height;
    const ox = (cx == null ? vw / 2 : cx - r.left);
    const oy = (cy == null ? vh / 2 : cy - r.top);
    const fx = (vp.scrollLeft + ox) / (vw * cur);
    const fy = (vp.scrollTop + oy) / (vh * cur);
    const target = { left: fx * vw * z - ox - panX, top: fy * vh * z - oy - panY };
    if (z === cur) { vp.scrollLeft = target.left; vp.scrollTop = target.top; return; }
    pendingScroll.current = target;
    latest.current = { img: latest.current.img, zoom: z };
    setZoomed(latest.current);
  }, [viewport]);

  // Scroll to the point kept in place once the stage has its new size.
  useLayoutEffect(() => {
    const vp = viewport.current, p = pendingScroll.current;
    if (vp && p) { vp.scrollLeft = p.left; vp.scrollTop = p.top; pendingScroll.current = null; }
  }, [viewport, zoom]);

  const onPinch = useCallback((scale, mid, prev) => {
    zoomTo(latest.current.zoom * scale, mid.x, mid.y, mid.x - prev.x, mid.y - prev.y);
  }, [zoomTo]);

  // Ctrl + wheel (and a touchpad's pinch) zooms; the plain wheel scrolls the zoomed image.
  useEffect(() => {
    const vp = viewport.current;
    if (!vp) return undefined;
    const onWheel = (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      zoomTo(latest.current.zoom * Math.exp(-e.deltaY * 0.01), e.clientX, e.clientY);
    };
    vp.addEventListener('wheel', onWheel, { passive: false });
    return () => vp.removeEventListener('wheel', onWheel);
  }, [viewport, zoomTo, img]);

  const zoomIn = useCallback(() => zoomTo(latest.current.zoom * 1.5), [zoomTo]);
  const zoomOut = useCallback(() => zoomTo(latest.current.zoom / 1.5), [zoomTo]);
  const fit = useCallback(() => zoomTo(1), [zoomTo]);
  return { zoom, zoomIn, zoomOut, fit, onPinch };
}
