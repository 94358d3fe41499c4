// Upload queue: concurrency, retry with backoff, cancel, and batched change notification.
// No DOM here apart from makeXhrSend (only called in the browser), so the logic runs under node's test runner.
//
// A transport `send(item, onProgress)` returns {promise, abort}; the promise always resolves with
// {status, body, retryAfter} (status 0 for a network failure, plus aborted: true when cancelled).

export const ACCEPTED_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const EXT_TYPES = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', jfif: 'image/jpeg', webp: 'image/webp' };
export const NOT_AN_IMAGE = 'Not a PNG, JPEG or WebP image.';
export const INCOMPLETE_IMAGE = 'The image is cut short (an incomplete file).';

export const SETTLED = new Set(['done', 'duplicate', 'refused', 'failed', 'cancelled']);

function extensionOf(name) {
  const i = name.lastIndexOf('.');
  return i < 0 ? '' : name.slice(i + 1).toLowerCase();
}

// Content-Type to send: the file's own if the API knows it, else guessed from the extension.
export function contentTypeFor(file) {
  if (ACCEPTED_TYPES.includes(file.type)) return file.type;
  return EXT_TYPES[extensionOf(file.name || '')] || 'application/octet-stream';
}

// Cheap check before sending: refuses what the server would refuse anyway (415) and junk from folders.
// Returns null when the file may be sent, or the reason it is refused.
export function localRefusal(file) {
  const name = file.name || '';
  if (name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini') return NOT_AN_IMAGE;
  if (file.size === 0) return 'The file is empty.';
  if (ACCEPTED_TYPES.includes(file.type)) return null;
  if (file.type && file.type !== 'application/octet-stream') return NOT_AN_IMAGE;
  return EXT_TYPES[extensionOf(name)] ? null : NOT_AN_IMAGE;
}

function errorMessage(body) {
  return body && body.error && body.error.message ? body.error.message : null;
}

// Maps one HTTP answer to what the queue does next.
export function classify(res) {
  const { status, body } = res;
  if (status === 200 || status === 201) {
    const item = body && Array.isArray(body.items) ? body.items[0] : null;
    if (!item) return { outcome: 'retry', reason: 'The server sent an unexpected answer.' };
    return { outcome: item.duplicate ? 'duplicate' : 'done', task: item.task || null };
  }
  if (status === 0) return { outcome: 'retry', reason: res.error === 'timeout' ? 'Timed out.' : 'Network error.' };
  if (status === 415) {
    const code = body && body.error ? body.error.code : null;
    return { outcome: 'refused', reason: code === 'incomplete_image' ? INCOMPLETE_IMAGE : NOT_AN_IMAGE };
  }
  if (status === 413) return { outcome: 'refused', reason: 'Too large for the server.' };
  if (status === 400 || status === 422) {
    return { outcome: 'refused', reason: errorMessage(body) || 'The server could not read this image.' };
  }
  if (status === 401) return { outcome: 'fatal', reason: 'You were signed out; sign in and retry.' };
  if (status === 408 || status === 429 || status >= 500) {
    return { outcome: 'retry', reason: errorMessage(body) || `Server error ${status}.` };
  }
  return { outcome: 'failed', reason: errorMessage(body) || `The server answered ${status}.` };
}

// Exponential backoff with jitter: attempt 1 -> ~base, 2 -> ~2x base, ... capped.
export function backoffDelay(attempt, { baseDelayMs = 1000, maxDelayMs = 30000, random = Math.random, retryAfter = null } = {}) {
  const ra = Number(retryAfter);
  if (retryAfter !== null && retryAfter !== undefined && Number.isFinite(ra) && ra >= 0) {
    return Math.min(ra * 1000, maxDelayMs * 4);
  }
  const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random() * exp / 2);
}

let nextId = 1;

export class UploadQueue {
  constructor({
    send, concurrency = 4, maxAttempts = 5, baseDelayMs = 1000, maxDelayMs = 30000,
    notifyMs = 120, random = Math.random, onSettled = null,
  }) {
    this.send = send;
    this.concurrency = concurrency;
    this.maxAttempts = maxAttempts;
    this.baseDelayMs = baseDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.notifyMs = notifyMs;
    this.random = random;
    this.onSettled = onSettled;
    this.items = [];
    this._pending = [];
    this._head = 0;
    this._workers = 0;
    this._active = new Map(); // id -> {abort} for in-flight requests and backoff waits
    this._listeners = new Set();
    this._timer = null;
    this._idleWaiters = [];
    this.halted = null;
    this._counts = { queued: 0, uploading: 0, waiting: 0, done: 0, duplicate: 0, refused: 0, failed: 0, cancelled: 0 };
    this._settledBytes = 0;
    this._totalBytes = 0;
    this._snapshot = this._makeSnapshot();
  }

  // --- state bookkeeping -------------------------------------------------
  _setStatus(item, status) {
    const old = item.status;
    if (old === status) return;
    if (old) this._counts[old] -= 1;
    this._counts[status] += 1;
    const w = Math.max(item.size, 1);
    if (old === 'cancelled') this._totalBytes += w;
    if (status === 'cancelled') this._totalBytes -= w;
    if (SETTLED.has(old) && old !== 'cancelled') this._settledBytes -= w;
    if (SETTLED.has(status) && status !== 'cancelled') this._settledBytes += w;
    item.status = status;
  }

  _makeSnapshot() {
    let inflight = 0;
    for (const id of this._active.keys()) {
      const it = this._byId(id);
      if (it && it.status === 'uploading') inflight += Math.min(it.loaded, Math.max(it.size, 1));
    }
    const processed = this._settledBytes + inflight;
    const total = this._totalBytes;
    const c = this._counts;
    const settled = c.done + c.duplicate + c.refused + c.failed;
    const running = c.queued + c.uploading + c.waiting > 0;
    return {
      total: this.items.length, ...c, settled,
      totalBytes: total, processedBytes: processed,
      percent: total > 0 ? Math.min(100, Math.floor((processed / total) * 100)) : 0,
      running, halted: this.halted, version: (this._snapshot ? this._snapshot.version : 0) + 1,
    };
  }

  _byId(id) {
    // items are appended in id order, so binary search keeps this cheap for thousands of files.
    let lo = 0; let hi = this.items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.items[mid].id;
      if (v === id) return this.items[mid];
      if (v < id) lo = mid + 1; else hi = mid - 1;
    }
    return null;
  }

  _changed() {
    if (this._timer !== null) return;
    this._timer = setTimeout(() => { this._timer = null; this.flush(); }, this.notifyMs);
  }

  // Publishes the current state now (the UI normally gets batched updates every notifyMs).
  flush() {
    if (this._timer !== null) { clearTimeout(this._timer); this._timer = null; }
    this._snapshot = this._makeSnapshot();
    for (const fn of this._listeners) fn(this._snapshot);
    if (!this._snapshot.running && this._workers === 0) {
      const waiters = this._idleWaiters; this._idleWaiters = [];
      waiters.forEach((w) => w(this._snapshot));
    }
  }

  subscribe = (fn) => { this._listeners.add(fn); return () => this._listeners.delete(fn); };

  getSnapshot = () => this._snapshot;

  // Resolves when nothing is queued, uploading or waiting.
  idle() {
    if (!this._snapshot.running && this._workers === 0 && this._counts.queued + this._counts.uploading + this._counts.waiting === 0) {
      return Promise.resolve(this._snapshot);
    }
    return new Promise((resolve) => this._idleWaiters.push(resolve));
  }

  // --- public actions ----------------------------------------------------
  // entries: File objects or {file, path}. Returns the new items.
  add(entries) {
    const added = [];
    for (const e of entries) {
      const file = e && e.file ? e.file : e;
      const path = (e && e.path) || file.webkitRelativePath || file.name;
      const item = {
        id: nextId++, file, name: path, size: file.size || 0, status: null,
        loaded: 0, attempts: 0, reason: null, task: null, nextTryAt: null, gen: 0, cancelled: false,
      };
      this._totalBytes += Math.max(item.size, 1);
      const refusal = localRefusal(file);
      if (refusal) {
        item.reason = refusal;
        this._setStatus(item, 'refused');
      } else {
        this._setStatus(item, 'queued');
        this._pending.push(item);
      }
      this.items.push(item);
      added.push(item);
    }
    if (added.length) {
      this.halted = null;
      this._pump();
      this._changed();
    }
    return added;
  }

  cancel(id) {
    const item = this._byId(id);
    if (!item || SETTLED.has(item.status)) return;
    this._cancelItem(item);
    this._changed();
  }

  _cancelItem(item) {
    const handle = this._active.get(item.id);
    item.cancelled = true;
    item.reason = 'Cancelled.';
    this._setStatus(item, 'cancelled');
    if (handle) handle.abort();
  }

  cancelAll() {
    for (let i = this._head; i < this._pending.length; i++) {
      const it = this._pending[i];
      if (it.status === 'queued') this._cancelItem(it);
    }
    for (const id of [...this._active.keys()]) {
      const it = this._byId(id);
      if (it && !SETTLED.has(it.status)) this._cancelItem(it);
    }
    this.flush();
  }

  // Puts failed (and, with includeCancelled, cancelled) files back in the queue.
  retry({ includeCancelled = true } = {}) {
    let n = 0;
    for (const it of this.items) {
      if (it.status === 'failed' || (includeCancelled && it.status === 'cancelled')) {
        it.gen = (it.gen || 0) + 1; it.cancelled = false; it.attempts = 0; it.loaded = 0; it.reason = null;
        this._setStatus(it, 'queued');
        this._pending.push(it);
        n += 1;
      }
    }
    if (n) { this.halted = null; this._pump(); this._changed(); }
    return n;
  }

  // Forgets settled items (keeps the queue short after big batches).
  clearSettled() {
    const keep = [];
    for (const it of this.items) {
      if (SETTLED.has(it.status)) {
        this._counts[it.status] -= 1;
        if (it.status !== 'cancelled') { this._settledBytes -= Math.max(it.size, 1); this._totalBytes -= Math.max(it.size, 1); }
      } else keep.push(it);
    }
    this.items = keep;
    this.flush();
  }

  // --- workers -----------------------------------------------------------
  _nextQueued() {
    while (this._head < this._pending.length) {
      const it = this._pending[this._head++];
      if (this._head > 1024 && this._head * 2 > this._pending.length) {
        this._pending = this._pending.slice(this._head); this._head = 0;
      }
      if (it.status === 'queued') return it;
    }
    return null;
  }

  _pump() {
    while (this._workers < this.concurrency && !this.halted && this._head < this._pending.length) {
      this._workers += 1;
      this._work().finally(() => { this._workers -= 1; this._changed(); if (!this.halted) this._pump(); });
    }
  }

  async _work() {
    for (;;) {
      if (this.halted) return;
      const item = this._nextQueued();
      if (!item) return;
      await this._run(item);
    }
  }

  async _run(item) {
    const gen = item.gen;
    while (!item.cancelled) {
      item.attempts += 1;
      item.loaded = 0;
      this._setStatus(item, 'uploading');
      this._changed();
      let res;
      try {
        const handle = this.send(item, (loaded) => { item.loaded = loaded; this._changed(); });
        this._active.set(item.id, handle);
        res = await handle.promise;
      } catch (e) {
        res = { status: 0, error: String(e && e.message || e) };
      } finally {
        if (item.gen === gen) this._active.delete(item.id);
      }
      if (item.gen !== gen) return undefined; // retried while this attempt was being cancelled
      if (item.cancelled || res.aborted) {
        if (!item.cancelled) { item.reason = 'Cancelled.'; this._setStatus(item, 'cancelled'); }
        return this._settle(item);
      }
      const c = classify(res);
      if (c.outcome === 'done' || c.outcome === 'duplicate') {
        item.task = c.task; item.loaded = item.size; item.reason = c.outcome === 'duplicate' ? 'Already in this job.' : null;
        this._setStatus(item, c.outcome);
        return this._settle(item);
      }
      if (c.outcome === 'refused' || c.outcome === 'failed') {
        item.reason = c.reason; this._setStatus(item, c.outcome);
        return this._settle(item);
      }
      if (c.outcome === 'fatal') {
        item.reason = c.reason; this._setStatus(item, 'failed');
        this._halt(c.reason);
        return this._settle(item);
      }
      // retry
      if (item.attempts >= this.maxAttempts) {
        item.reason = `${c.reason} Gave up after ${item.attempts} tries.`;
        this._setStatus(item, 'failed');
        return this._settle(item);
      }
      const delay = backoffDelay(item.attempts, {
        baseDelayMs: this.baseDelayMs, maxDelayMs: this.maxDelayMs, random: this.random, retryAfter: res.retryAfter,
      });
      item.reason = `${c.reason} Retrying…`;
      item.nextTryAt = Date.now() + delay;
      this._setStatus(item, 'waiting');
      this._changed();
      await new Promise((resolve) => {
        const t = setTimeout(resolve, delay);
        this._active.set(item.id, { abort: () => { clearTimeout(t); resolve(); } });
      });
      if (item.gen !== gen) return undefined;
      this._active.delete(item.id);
      item.nextTryAt = null;
    }
    return this._settle(item);
  }

  _settle(item) {
    this._changed();
    if (this.onSettled) {
      try { this.onSettled(item); } catch { /* a listener's bug must not stop uploads */ }
    }
  }

  // 401: stop taking new files; the queued ones fail so "Retry" can restart them after signing in.
  _halt(reason) {
    this.halted = reason;
    for (let i = this._head; i < this._pending.length; i++) {
      const it = this._pending[i];
      if (it.status === 'queued') { it.reason = reason; this._setStatus(it, 'failed'); }
    }
    this._changed();
  }
}

// Browser transport: one POST per file, raw bytes as the body, progress from xhr.upload.
export function makeXhrSend(jobId, { timeoutMs = 300000 } = {}) {
  return (item, onProgress) => {
    const xhr = new XMLHttpRequest();
    const promise = new Promise((resolve) => {
      const name = item.file.name || item.name;
      xhr.open('POST', `/api/jobs/${jobId}/images?filename=${encodeURIComponent(name)}`);
      xhr.withCredentials = true;
      xhr.timeout = timeoutMs;
      xhr.setRequestHeader('Content-Type', contentTypeFor(item.file));
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : item.size);
      xhr.onload = () => {
        let body = null;
        try { body = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { body = null; }
        resolve({ status: xhr.status, body, retryAfter: xhr.getResponseHeader('Retry-After') });
      };
      xhr.onerror = () => resolve({ status: 0, error: 'network' });
      xhr.ontimeout = () => resolve({ status: 0, error: 'timeout' });
      xhr.onabort = () => resolve({ status: 0, aborted: true });
      xhr.send(item.file);
    });
    return { promise, abort: () => xhr.abort() };
  };
}
