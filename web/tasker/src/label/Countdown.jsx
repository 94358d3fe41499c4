// Time left on the lease. Ticks on its own so the image editor does not re-render
// every second. Calls onExpire once when the time is up.
import { useEffect, useRef, useState } from 'react';

export function formatSeconds(s) {
  s = Math.max(0, Math.ceil(s));
  const m = Math.floor(s / 60);
  return m + ':' + String(s % 60).padStart(2, '0');
}

export default function Countdown({ deadline, onExpire }) {
  const [now, setNow] = useState(Date.now());
  const fired = useRef(false);
  useEffect(() => {
    fired.current = false;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [deadline]);
  const left = (deadline - now) / 1000;
  useEffect(() => {
    if (left <= 0 && !fired.current) {
      fired.current = true;
      onExpire && onExpire();
    }
  }, [left, onExpire]);
  const cls = 'countdown' + (left <= 60 ? ' is-low' : '');
  return (
    <span className={cls} role="timer" aria-live="off" title="Time left to finish this image"
      data-testid="countdown">
      <span className="sr-only">Time left: </span>{formatSeconds(left)}
    </span>
  );
}
