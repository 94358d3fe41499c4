// Submit -> next image painted, for bench/tasker_next_image.py: start() marks
// 'tt-submit'; once the next image is on screen, 'tt-next-image' is marked and
// 'tt-submit-to-next-image' measured. cancel() when the answer goes nowhere.
import { useEffect, useMemo, useRef } from 'react';

function mark(name) {
  try { performance.mark(name); } catch (e) { /* old browser */ }
}

export default function useNextImageTiming(img) {
  const measuring = useRef(false);
  useEffect(() => {
    if (!img || !measuring.current) return;
    measuring.current = false;
    requestAnimationFrame(() => setTimeout(() => {
      mark('tt-next-image');
      try { performance.measure('tt-submit-to-next-image', 'tt-submit', 'tt-next-image'); } catch (e) { /* no start mark */ }
    }, 0));
  }, [img]);
  return useMemo(() => ({
    start() { mark('tt-submit'); measuring.current = true; },
    cancel() { measuring.current = false; },
  }), []);
}
