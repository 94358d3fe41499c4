// Answering: the train is written to the offline queue first, then sent with
// ?next=true so that the answer brings the next lease. An answer that cannot be sent
// now (offline, server down) waits in the queue; the screen says so and moves on by
// itself once the queue has delivered it, or ends if the server refuses it then.
import { useCallback, useEffect } from 'react';
import * as trainQueue from '../trainQueue.js';
import { answerBody } from './labelReducer.js';

export default function useSubmit({ jobId, userId, phase, dispatch, current, mounted, timing, loadNext, onAuthLost }) {
  const submit = useCallback(async (nothing) => {
    const before = current();
    if (before.phase !== 'ready') return;
    if (dispatch({ type: 'submitStarted', nothing }).phase !== 'sending') return; // nothing drawn yet
    timing.start();
    const leaseId = before.shown.lease.id;
    trainQueue.enqueue({ userId, jobId, leaseId, body: answerBody(before, nothing), takeNext: true });
    const outcomes = await trainQueue.flush(userId);
    if (!mounted()) return;
    const out = outcomes.get(leaseId) ||
      (trainQueue.pending(userId).some((i) => i.leaseId === leaseId) ? { state: 'queued', error: {} } : { state: 'sent' });
    if (out.state === 'sent') {
      dispatch({ type: 'submitSucceeded' });
      loadNext(out.next);
    } else if (out.state === 'queued') {
      if (out.error.status === 401) { onAuthLost(); return; }
      dispatch({ type: 'submitQueued', leaseId });
    } else {
      timing.cancel();
      dispatch({ type: 'submitFailed', error: out.error });
    }
  }, [jobId, userId, dispatch, current, mounted, timing, loadNext, onAuthLost]);

  // While an answer waits in the queue, move on as soon as it lands.
  useEffect(() => {
    if (phase !== 'waiting') return undefined;
    let settled = false; // queue events may still arrive before this effect is cleaned up
    const check = (ev) => {
      const s = current();
      if (settled || s.phase !== 'waiting') return;
      if (ev && ev.type === 'rejected' && ev.item.leaseId === s.waitingFor) {
        settled = true;
        timing.cancel();
        dispatch({ type: 'queuedAnswerRefused', error: ev.error });
        return;
      }
      if (!trainQueue.pending(userId).some((i) => i.leaseId === s.waitingFor)) {
        settled = true;
        loadNext();
      }
    };
    const off = trainQueue.subscribe(check);
    check(null);
    return off;
  }, [phase, userId, current, dispatch, timing, loadNext]);

  return submit;
}
