import { useEffect, useRef } from 'react';
import { shortcutFor } from './reviewKeys.js';

// The review screen's keyboard shortcuts (reviewKeys.js), while `enabled` and no dialog is open.
// handlers: {next, previous, toggle, approve, reject, help}; keys typed into a text field are left alone.
export default function useReviewShortcuts(enabled, handlers) {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (e) => {
      const command = shortcutFor(e);
      if (!command || !latest.current[command] || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      latest.current[command]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
