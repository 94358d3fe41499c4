// The tasker's money in three figures (GET /api/me/earnings): pending (results waiting
// for the requester's review), available (approved, what payouts draw on) and rejected.
// Loaded whenever refresh() is called (the app does on each screen) and when the app
// comes back into view: a requester may have reviewed in the meantime.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api.js';

export default function useEarnings(userId, onAuthLost) {
  const [earnings, setEarnings] = useState(null);
  const [error, setError] = useState(null);
  const latest = useRef(0); // answers that arrive out of order must not win

  const refresh = useCallback(() => {
    if (userId == null) return;
    const asked = ++latest.current;
    api.earnings().then((e) => {
      if (asked !== latest.current) return;
      setEarnings(e);
      setError(null);
    }, (e) => {
      if (asked !== latest.current) return;
      if (e.status === 401) onAuthLost();
      else setError(e.message);
    });
  }, [userId, onAuthLost]);

  useEffect(() => {
    setEarnings(null); // another tasker signed in
    setError(null);
  }, [userId]);

  useEffect(() => {
    const onVisible = () => { if (document.visibilityState === 'visible') refresh(); };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refresh]);

  return { earnings, error, refresh };
}
