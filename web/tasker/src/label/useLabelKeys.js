// Calls onKey for every keydown on the page while the screen is up; onKey may change
// with every render (the newest one is called).
import { useEffect, useRef } from 'react';

export default function useLabelKeys(onKey) {
  const latest = useRef(onKey);
  latest.current = onKey;
  useEffect(() => {
    const listener = (e) => latest.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
