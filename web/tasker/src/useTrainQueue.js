// The offline train queue (trainQueue.js) as React state: the answers waiting on this
// device, the ones the server refused, whether the browser is online; and the automatic
// retries: on the `online` event, on a timer with back-off, and at start for answers
// left from an earlier visit.
import { useCallback, useEffect, useRef, useState } from 'react';
import * as trainQueue from './trainQueue.js';

export default function useTrainQueue(userId, { onLanded, onOnline } = {}) {
  const [queue, setQueue] = useState({ pending: [], flushing: false });
  const [refused, setRefused] = useState([]);
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine !== false);
  const callbacks = useRef({});
  callbacks.current = { onLanded, onOnline };

  useEffect(() => {
    const up = () => { setOnline(true); if (callbacks.current.onOnline) callbacks.current.onOnline(); };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);

  useEffect(() => {
    if (userId == null) return undefined;
    const sync = () => setQueue({ pending: trainQueue.pending(userId), flushing: trainQueue.isFlushing() });
    sync();
    const off = trainQueue.subscribe((ev) => {
      sync();
      if (ev.type === 'landed' && callbacks.current.onLanded) callbacks.current.onLanded(ev.train);
      if (ev.type === 'rejected') {
        setRefused((r) => [...r.filter((x) => x.leaseId !== ev.item.leaseId),
          { leaseId: ev.item.leaseId, message: ev.error.message }]);
      }
    });
    const flush = () => { if (trainQueue.pending(userId).length) trainQueue.flush(userId); };
    window.addEventListener('online', flush);
    flush(); // answers left from an earlier visit
    return () => {
      off();
      window.removeEventListener('online', flush);
    };
  }, [userId]);

  useEffect(() => {
    if (userId == null || queue.flushing || !queue.pending.length) return undefined;
    const t = setTimeout(() => trainQueue.flush(userId), trainQueue.retryDelay(userId) || 3000);
    return () => clearTimeout(t);
  }, [userId, queue]);

  const retry = useCallback(() => trainQueue.flush(userId), [userId]);
  const dismiss = useCallback((leaseId) => setRefused((r) => r.filter((x) => x.leaseId !== leaseId)), []);
  return { queue, refused, online, retry, dismiss };
}
