// The lease and its image: the first one when the screen opens, the next one after an
// answer (handed back with it, or POSTed for), after a skip, after "Try again". The
// image is loaded and decoded off-screen, so that it replaces the current one in one
// render. A lease whose answer still waits in the offline queue is not shown again:
// the screen waits for the queue instead (useSubmit).
import { useCallback, useEffect, useRef } from 'react';
import { api } from '../api.js';
import * as trainQueue from '../trainQueue.js';

function preload(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.alt = 'Image to label';
    img.draggable = false;
    img.className = 'stage-img';
    img.onload = () => {
      const done = () => resolve(img);
      if (img.decode) img.decode().then(done, done); else done();
    };
    img.onerror = () => reject(new Error('The image could not be loaded.'));
    img.src = url;
  });
}

export default function useLease({ jobId, userId, dispatch, current, mounted, timing, onAuthLost }) {
  const authLost = useRef(onAuthLost);
  authLost.current = onAuthLost;

  const refused = useCallback((error) => {
    if (error.status === 401) { authLost.current(); return; }
    timing.cancel();
    dispatch({ type: 'leaseRefused', error });
  }, [dispatch, timing]);

  // handed: the `next` of an answer sent with takeNext ({ lease, error }), if any.
  const loadNext = useCallback(async (handed) => {
    dispatch({ type: 'leaseRequested' });
    const refusal = handed && handed.error;
    if (refusal && (refusal.code === 'no_work' || refusal.code === 'job_not_open' || refusal.code === 'blocked')) {
      refused({ ...refusal, status: { no_work: 404, job_not_open: 409, blocked: 403 }[refusal.code] });
      return;
    }
    let lease = handed && handed.lease;
    if (!lease) {
      try {
        lease = (await api.takeLease(jobId)).lease;
      } catch (e) {
        if (mounted()) refused(e);
        return;
      }
      if (!mounted()) return;
    }
    if (trainQueue.pending(userId).some((i) => i.leaseId === lease.id)) {
      dispatch({ type: 'leaseHeldByQueue', leaseId: lease.id });
      return;
    }
    const deadline = Date.now() + Math.max(0, Number(lease.secondsLeft) || 0) * 1000;
    dispatch({ type: 'leaseLoaded', lease, deadline });
    let img;
    try {
      img = await preload(lease.image.url);
    } catch (e) {
      if (mounted()) dispatch({ type: 'imageFailed', lease, deadline, message: e.message });
      return;
    }
    if (mounted()) dispatch({ type: 'imageLoaded', lease, img, deadline });
  }, [jobId, userId, dispatch, mounted, refused]);

  // The first image, once.
  useEffect(() => { loadNext(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  // Gives the lease back and takes the next one.
  const skip = useCallback(async () => {
    const s = current();
    if (!s.shown || s.phase !== 'ready') return;
    dispatch({ type: 'skipStarted' });
    try {
      await api.releaseLease(s.shown.lease.id);
    } catch (e) {
      if (!mounted()) return;
      if (e.status === 401) { authLost.current(); return; }
      if (e.transient) { dispatch({ type: 'skipFailed', error: e }); return; }
      // 404/409: the lease is already gone; just move on.
    }
    if (mounted()) loadNext();
  }, [current, dispatch, mounted, loadNext]);

  const restart = useCallback(() => {
    dispatch({ type: 'restarted' });
    loadNext();
  }, [dispatch, loadNext]);

  // The countdown reached zero: the session ends unless an answer is already on its way.
  const expired = useCallback(() => {
    const { phase } = current();
    if (phase !== 'ready' && phase !== 'loading') return;
    timing.cancel();
    dispatch({ type: 'leaseExpired' });
  }, [current, dispatch, timing]);

  return { loadNext, skip, restart, expired };
}
