// Offline-safe queue of submitted trains, kept in localStorage.
//
// A train is written here BEFORE it is sent, and removed only when the server has
// answered 200/201 (resubmitting the identical body is answered 200 with the same
// train, so a retry after a lost answer is safe) or has refused it for good
// (e.g. the lease expired). Network failures, 429 and 5xx keep it for a retry.

import { api, ApiError } from './api.js';

const KEY = 'tt.trainQueue.v1';
const listeners = new Set();
let items = load();
let flushing = null;

function load() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(v) ? v.filter((i) => i && i.leaseId && i.body) : [];
  } catch (e) {
    return [];
  }
}

function save() {
  try {
    localStorage.setItem(KEY, JSON.stringify(items));
  } catch (e) {
    // Storage full or disabled: the item still lives in memory for this page.
  }
}

function emit(event) {
  listeners.forEach((fn) => {
    try { fn(event); } catch (e) { /* a listener's bug must not stop the queue */ }
  });
}

if (typeof window !== 'undefined') {
  // Another tab changed the queue.
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) { items = load(); emit({ type: 'change' }); }
  });
}

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function pending(userId) {
  return items.filter((i) => i.userId === userId);
}

export function isFlushing() {
  return flushing !== null;
}

// takeNext: ask for the next lease with the train (the labeling screen waits for it).
export function enqueue({ userId, jobId, leaseId, body, takeNext = false }) {
  items = items.filter((i) => i.leaseId !== leaseId);
  items.push({ userId, jobId, leaseId, body, takeNext, queuedAt: Date.now(), attempts: 0, lastError: null });
  save();
  emit({ type: 'change' });
}

function remove(leaseId) {
  items = items.filter((i) => i.leaseId !== leaseId);
  save();
}

// Send this user's queued trains, oldest first. Resolves to a Map
// leaseId -> {state: 'sent', train, next} | {state: 'queued', error} | {state: 'rejected', error},
// where next, for an item queued with takeNext, is { lease, error }: the next lease or why
// there is none (the answer's nextError).
// Concurrent calls share one run; a run repeats while new items arrive.
export function flush(userId) {
  if (flushing) return flushing.then(() => flush(userId));
  flushing = run(userId).finally(() => {
    flushing = null;
    emit({ type: 'change' });
  });
  emit({ type: 'change' });
  return flushing;
}

async function run(userId) {
  const outcome = new Map();
  for (;;) {
    const next = items.find((i) => i.userId === userId && !outcome.has(i.leaseId));
    if (!next) break;
    try {
      const answer = await api.submitTrain(next.leaseId, next.body, next.takeNext);
      const train = next.takeNext ? answer.train : answer;
      remove(next.leaseId);
      outcome.set(next.leaseId, {
        state: 'sent', train,
        next: next.takeNext ? { lease: answer.next, error: answer.nextError } : undefined,
      });
      emit({ type: 'landed', item: next, train });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'network', String(e));
      if (error.transient || error.status === 401) {
        // Keep it; stop here, the rest would fail the same way.
        next.attempts += 1;
        next.lastError = error.message;
        save();
        outcome.set(next.leaseId, { state: 'queued', error });
        items.filter((i) => i.userId === userId && !outcome.has(i.leaseId))
          .forEach((i) => outcome.set(i.leaseId, { state: 'queued', error }));
        break;
      }
      remove(next.leaseId);
      outcome.set(next.leaseId, { state: 'rejected', error });
      emit({ type: 'rejected', item: next, error });
    }
  }
  return outcome;
}

// Delay before the next automatic retry: grows with failures, at most 30 s.
export function retryDelay(userId) {
  const mine = pending(userId);
  if (!mine.length) return null;
  const attempts = Math.max(...mine.map((i) => i.attempts || 0));
  return Math.min(30000, 2000 * Math.pow(1.6, Math.max(0, attempts - 1)));
}
