// The labeling screen's state and everything that can happen to it. LabelScreen and its
// hooks report what happened (a lease came, a box was drawn, the answer was queued);
// this file decides what the screen shows next. Pure: no React, no DOM, no network
// (unit tested with node: tests/web_tasker/js/label_reducer.test.mjs).
//
// phase  loading  no image on screen yet (the first one, or after "Try again")
//        ready    an image to label (or the message that it did not load)
//        sending  the answer is on its way
//        next     the next image is on its way; the current one stays, dimmed
//        waiting  the answer waits in the offline queue; the next image follows it
//        ended    the session is over; `ended` says why and what the tasker can do

import { moved, toImageBoxes } from '../../../shared/boxes/geometry.js';

export const initialState = {
  phase: 'loading',
  shown: null, // { lease, img, deadline }: img is the decoded <img>, null until it loads or when it failed
  boxes: [], // in the image's own pixels: { id, x, y, w, h, label }
  selectedId: null,
  labelIndex: 0, // the label for new boxes
  notice: null, // { kind: 'info' | 'error', text }
  ended: null, // { kind: 'no_work' | 'closed' | 'blocked' | 'expired' | 'error', title, text, retry }
  imgError: null,
  count: 0, // images answered in this sitting
  waitingFor: null, // the lease whose answer waits in the queue
  help: false,
};

export const DRAW_FIRST = 'Draw at least one box, or choose "Nothing to mark".';

const isExpiry = (error) => error.code === 'lease_expired' || error.code === 'lease_not_live';

// Why no lease could be had ({ status, code, message }), as the end of the session.
export function leaseEnding(error) {
  if (error.code === 'no_work') {
    return {
      kind: 'no_work', title: 'No more work here', retry: false,
      text: 'You have done every image this job has for you right now. Thank you! Pick another job from the list.',
    };
  }
  if (error.code === 'blocked') {
    return {
      kind: 'blocked', title: 'You can no longer work on this job', retry: false,
      text: `${error.message} This can follow answers that missed what the job asks for: your accuracy screen ` +
        'shows the checks you did not pass. Other jobs are still open to you.',
    };
  }
  if (error.code === 'job_not_open' || error.status === 409 || error.status === 403) {
    return { kind: 'closed', title: 'This job is closed', text: error.message, retry: false };
  }
  return { kind: 'error', title: 'Could not get an image', text: error.message, retry: true };
}

// The size of the image in its own pixels (4 x 3 until a lease says).
export function imageSize(state) {
  const lease = state.shown && state.shown.lease;
  return lease ? { width: lease.image.width, height: lease.image.height } : { width: 4, height: 3 };
}

const NO_LABELS = [];

// The labels to choose from: the lease's, else the job's.
export function labelsFor(lease, job) {
  return (lease && lease.labels && lease.labels.length ? lease.labels : (job && job.labels)) || NO_LABELS;
}

// True while the image on screen can be edited and answered.
export function canEdit(state) {
  return state.phase === 'ready' && !!(state.shown && state.shown.img);
}

// The body of POST /api/leases/{id}/train for what is on screen.
export function answerBody(state, nothing) {
  if (nothing) return { boxes: [], nothingToMark: true };
  const { width, height } = imageSize(state);
  return { boxes: toImageBoxes(state.boxes, width, height), nothingToMark: false };
}

const end = (state, ended) => ({ ...state, ended, phase: 'ended' });
const newImage = (state, shown) => ({ ...state, shown, boxes: [], selectedId: null, phase: 'ready' });
const editBox = (state, id, change) => ({ ...state, boxes: state.boxes.map((b) => (b.id === id ? change(b) : b)) });

export function labelReducer(state, action) {
  switch (action.type) {
    // --- the lease and its image ---------------------------------------------------
    case 'leaseRequested':
      return { ...state, imgError: null, phase: state.phase === 'sending' || state.shown ? 'next' : 'loading' };
    case 'leaseRefused': // { error }: none to be had
      return end(state, leaseEnding(action.error));
    case 'leaseHeldByQueue': // { leaseId }: our answer for it has not reached the server yet
      return { ...state, waitingFor: action.leaseId, phase: 'waiting' };
    case 'leaseLoaded': // { lease, deadline }: reserve the image's space while it loads
      return state.shown ? state : { ...state, shown: { lease: action.lease, img: null, deadline: action.deadline } };
    case 'imageLoaded': // { lease, img, deadline }
      return newImage(state, { lease: action.lease, img: action.img, deadline: action.deadline });
    case 'imageFailed': // { lease, deadline, message }
      return { ...newImage(state, { lease: action.lease, img: null, deadline: action.deadline }), imgError: action.message };
    case 'leaseExpired': // the countdown reached zero
      if (state.phase !== 'ready' && state.phase !== 'loading') return state;
      return end(state, {
        kind: 'expired', title: 'Time ran out', retry: false,
        text: 'Each image is held for you for a limited time, and the time for this one is up. It went back to the pool and your boxes on it were not sent.',
      });
    case 'restarted': // "Try again" / "Get another image": start over from no image
      return { ...state, ended: null, shown: null };

    // --- answering -----------------------------------------------------------------
    case 'submitStarted': // { nothing }: boxes, or "nothing to mark"
      if (!canEdit(state)) return state;
      if (!action.nothing && state.boxes.length === 0) return { ...state, notice: { kind: 'info', text: DRAW_FIRST } };
      return { ...state, notice: null, phase: 'sending' };
    case 'submitSucceeded':
      return { ...state, count: state.count + 1 };
    case 'submitQueued': // { leaseId }: saved on this device; it is sent when the server can be reached
      return { ...state, waitingFor: action.leaseId, count: state.count + 1, phase: 'waiting' };
    case 'submitFailed': // { error }: refused for good
      if (isExpiry(action.error)) return end(state, { kind: 'expired', title: 'Time ran out', text: action.error.message, retry: false });
      return { ...state, notice: { kind: 'error', text: action.error.message }, phase: 'ready' };
    case 'queuedAnswerRefused': { // { error }: the server refused the answer the queue sent later
      const counted = { ...state, count: Math.max(0, state.count - 1) };
      if (isExpiry(action.error)) {
        return end(counted, {
          kind: 'expired', title: 'Time ran out', retry: false,
          text: 'Your answer reached the server after the time for this image was up, so it was not counted.',
        });
      }
      return end(counted, { kind: 'error', title: 'Your answer was refused', text: action.error.message, retry: false });
    }
    case 'skipStarted':
      return { ...state, notice: null, phase: 'next' };
    case 'skipFailed': // { error }: the lease could not be given back (offline, server down)
      return { ...state, notice: { kind: 'error', text: action.error.message }, phase: 'ready' };

    // --- boxes ---------------------------------------------------------------------
    case 'boxesChanged': // { boxes }: drawn, moved or resized on the image
      return { ...state, boxes: action.boxes };
    case 'boxSelected': // { id } or { id: null }
      return { ...state, selectedId: action.id };
    case 'labelChosen': { // { index, labels }: relabels the selected box, else sets the label for new boxes
      const { index, labels } = action;
      if (index < 0 || index >= labels.length) return state;
      if (state.selectedId && state.boxes.some((b) => b.id === state.selectedId)) {
        return editBox(state, state.selectedId, (b) => ({ ...b, label: labels[index] }));
      }
      return { ...state, labelIndex: index };
    }
    case 'boxRelabeled': // { id, label }
      return editBox(state, action.id, (b) => ({ ...b, label: action.label }));
    case 'boxDeleted': // { id }
      return {
        ...state,
        boxes: state.boxes.filter((b) => b.id !== action.id),
        selectedId: action.id === state.selectedId ? null : state.selectedId,
      };
    case 'boxNudged': { // { dx, dy }: the selected box, by image pixels, inside the image
      if (!state.selectedId) return state;
      const { width, height } = imageSize(state);
      return editBox(state, state.selectedId, (b) => moved(b, action.dx, action.dy, width, height));
    }

    // --- help ----------------------------------------------------------------------
    case 'helpOpened':
      return { ...state, help: true };
    case 'helpClosed':
      return { ...state, help: false };
    default:
      throw new Error('labelReducer: unknown action ' + action.type);
  }
}
