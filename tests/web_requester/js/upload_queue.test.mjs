// Unit tests for web/requester/src/uploadQueue.js (run: node --test tests/web_requester/js/).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  UploadQueue, classify, backoffDelay, localRefusal, contentTypeFor, NOT_AN_IMAGE, INCOMPLETE_IMAGE,
} from '../../../web/requester/src/uploadQueue.js';

const png = (name, size = 100) => ({ name, size, type: 'image/png' });

// A scripted transport: `script(name, attempt)` gives the answer for each try.
function fakeSend(script, { delayMs = 2, progress = true } = {}) {
  const log = { started: [], maxInFlight: 0, inFlight: 0, aborted: [] };
  const attempts = new Map();
  const send = (item, onProgress) => {
    const n = (attempts.get(item.name) || 0) + 1;
    attempts.set(item.name, n);
    log.started.push(item.name);
    log.inFlight += 1;
    log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
    let done = false;
    let resolveFn;
    let timer;
    const promise = new Promise((resolve) => {
      resolveFn = (v) => { if (!done) { done = true; log.inFlight -= 1; resolve(v); } };
      if (progress) setTimeout(() => onProgress(Math.floor(item.size / 2), item.size), 0);
      timer = setTimeout(() => resolveFn(script(item.name, n)), delayMs);
    });
    return { promise, abort: () => { clearTimeout(timer); log.aborted.push(item.name); resolveFn({ status: 0, aborted: true }); } };
  };
  return { send, log, attempts };
}

const ok = (dup = false) => ({ status: 201, body: { items: [{ task: { id: 1 }, duplicate: dup }] } });

test('classify maps the API answers', () => {
  assert.equal(classify(ok()).outcome, 'done');
  assert.equal(classify(ok(true)).outcome, 'duplicate');
  assert.deepEqual(classify({ status: 415, body: { error: { code: 'unsupported_media_type', message: 'x' } } }),
    { outcome: 'refused', reason: NOT_AN_IMAGE });
  assert.deepEqual(classify({ status: 415, body: { error: { code: 'incomplete_image', message: 'x' } } }),
    { outcome: 'refused', reason: INCOMPLETE_IMAGE });
  assert.equal(classify({ status: 413, body: null }).outcome, 'refused');
  assert.equal(classify({ status: 0 }).outcome, 'retry');
  assert.equal(classify({ status: 502, body: null }).outcome, 'retry');
  assert.equal(classify({ status: 503, body: null }).outcome, 'retry');
  assert.equal(classify({ status: 429, body: null }).outcome, 'retry');
  assert.equal(classify({ status: 401, body: null }).outcome, 'fatal');
  assert.equal(classify({ status: 409, body: { error: { code: 'c', message: 'Job finished.' } } }).reason, 'Job finished.');
  assert.equal(classify({ status: 422, body: { error: { code: 'bad_image', message: 'Corrupt.' } } }).outcome, 'refused');
});

test('backoff grows, is capped and honours Retry-After', () => {
  const r = () => 1;
  assert.equal(backoffDelay(1, { baseDelayMs: 1000, random: r }), 1000);
  assert.equal(backoffDelay(2, { baseDelayMs: 1000, random: r }), 2000);
  assert.equal(backoffDelay(3, { baseDelayMs: 1000, random: r }), 4000);
  assert.equal(backoffDelay(20, { baseDelayMs: 1000, maxDelayMs: 30000, random: r }), 30000);
  assert.equal(backoffDelay(1, { baseDelayMs: 1000, random: () => 0 }), 500);
  assert.equal(backoffDelay(1, { retryAfter: '3' }), 3000);
});

test('local checks refuse non-images and guess content types', () => {
  assert.equal(localRefusal(png('a.png')), null);
  assert.equal(localRefusal({ name: 'b.JPG', size: 5, type: '' }), null);
  assert.equal(localRefusal({ name: 'notes.txt', size: 5, type: 'text/plain' }), NOT_AN_IMAGE);
  assert.equal(localRefusal({ name: 'anim.gif', size: 5, type: 'image/gif' }), NOT_AN_IMAGE);
  assert.equal(localRefusal({ name: '.DS_Store', size: 5, type: '' }), NOT_AN_IMAGE);
  assert.match(localRefusal({ name: 'e.png', size: 0, type: 'image/png' }), /empty/);
  assert.equal(contentTypeFor({ name: 'x.webp', type: '' }), 'image/webp');
  assert.equal(contentTypeFor({ name: 'x.bin', type: '' }), 'application/octet-stream');
});

test('uploads everything with at most `concurrency` requests at once', async () => {
  const { send, log } = fakeSend(() => ok());
  const q = new UploadQueue({ send, concurrency: 4, notifyMs: 1 });
  const files = Array.from({ length: 30 }, (_, i) => png(`f${i}.png`, 10 + i));
  q.add(files);
  const snap = await q.idle();
  assert.equal(log.maxInFlight, 4);
  assert.equal(snap.done, 30);
  assert.equal(snap.percent, 100);
  assert.equal(snap.running, false);
  assert.equal(log.started.length, 30);
  assert.deepEqual(log.started.slice(0, 4), ['f0.png', 'f1.png', 'f2.png', 'f3.png']);
});

test('retries network errors and 5xx with backoff, then succeeds', async () => {
  const { send, attempts } = fakeSend((name, n) => (n < 3 ? (n === 1 ? { status: 0 } : { status: 503 }) : ok()));
  const q = new UploadQueue({ send, baseDelayMs: 1, maxDelayMs: 5, notifyMs: 1 });
  q.add([png('a.png'), png('b.png')]);
  const snap = await q.idle();
  assert.equal(snap.done, 2);
  assert.equal(attempts.get('a.png'), 3);
});

test('gives up after maxAttempts and can retry the failed files', async () => {
  let healthy = false;
  const { send, attempts } = fakeSend(() => (healthy ? ok() : { status: 500 }));
  const q = new UploadQueue({ send, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, notifyMs: 1 });
  q.add([png('a.png')]);
  let snap = await q.idle();
  assert.equal(snap.failed, 1);
  assert.equal(attempts.get('a.png'), 3);
  assert.match(q.items[0].reason, /Gave up after 3 tries/);
  healthy = true;
  assert.equal(q.retry(), 1);
  snap = await q.idle();
  assert.equal(snap.done, 1);
  assert.equal(snap.failed, 0);
});

test('reports refused files and duplicates by name and reason', async () => {
  const { send } = fakeSend((name) => {
    if (name === 'big.png') return { status: 413, body: { error: { code: 'too_large', message: 'Too large.' } } };
    if (name === 'fake.png') return { status: 415, body: { error: { code: 'unsupported_media_type', message: 'No.' } } };
    if (name === 'again.png') return ok(true);
    return ok();
  });
  const settled = [];
  const q = new UploadQueue({ send, notifyMs: 1, onSettled: (it) => settled.push(`${it.name}:${it.status}`) });
  q.add([png('a.png'), png('big.png'), png('fake.png'), png('again.png'), { name: 'readme.txt', size: 3, type: 'text/plain' }]);
  const snap = await q.idle();
  assert.equal(snap.done, 1);
  assert.equal(snap.duplicate, 1);
  assert.equal(snap.refused, 3);
  const byName = Object.fromEntries(q.items.map((i) => [i.name, i]));
  assert.equal(byName['big.png'].reason, 'Too large for the server.');
  assert.equal(byName['fake.png'].reason, NOT_AN_IMAGE);
  assert.equal(byName['readme.txt'].reason, NOT_AN_IMAGE);
  assert.equal(byName['again.png'].status, 'duplicate');
  assert.equal(settled.length, 4); // the locally refused file never reached the transport
  assert.equal(snap.percent, 100);
});

test('cancelAll aborts in-flight uploads and drops the queued ones', async () => {
  const { send, log } = fakeSend(() => ok(), { delayMs: 50 });
  const q = new UploadQueue({ send, concurrency: 2, notifyMs: 1 });
  q.add(Array.from({ length: 10 }, (_, i) => png(`c${i}.png`)));
  await new Promise((r) => setTimeout(r, 10));
  q.cancelAll();
  const snap = await q.idle();
  assert.equal(snap.cancelled, 10);
  assert.equal(snap.done, 0);
  assert.deepEqual(log.aborted.sort(), ['c0.png', 'c1.png']);
  assert.equal(log.started.length, 2);
  assert.equal(snap.running, false);
});

test('cancelling a file waiting for its retry stops it', async () => {
  const { send, attempts } = fakeSend(() => ({ status: 503 }));
  const q = new UploadQueue({ send, baseDelayMs: 10000, maxDelayMs: 10000, notifyMs: 1 });
  const [item] = q.add([png('w.png')]);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(item.status, 'waiting');
  q.cancel(item.id);
  const snap = await q.idle();
  assert.equal(snap.cancelled, 1);
  assert.equal(attempts.get('w.png'), 1);
});

test('a 401 halts the queue; retry resumes it', async () => {
  let signedIn = false;
  const { send } = fakeSend(() => (signedIn ? ok() : { status: 401 }));
  const q = new UploadQueue({ send, concurrency: 1, notifyMs: 1 });
  q.add([png('a.png'), png('b.png'), png('c.png')]);
  let snap = await q.idle();
  assert.ok(snap.halted);
  assert.equal(snap.failed, 3);
  signedIn = true;
  q.retry();
  snap = await q.idle();
  assert.equal(snap.done, 3);
  assert.equal(snap.halted, null);
});

test('notifications are batched, not one per progress event', async () => {
  const { send } = fakeSend(() => ok(), { delayMs: 1 });
  const q = new UploadQueue({ send, concurrency: 4, notifyMs: 40 });
  let calls = 0;
  q.subscribe(() => { calls += 1; });
  q.add(Array.from({ length: 400 }, (_, i) => png(`n${i}.png`)));
  const snap = await q.idle();
  assert.equal(snap.done, 400);
  assert.ok(calls < 100, `expected batched notifications, got ${calls}`);
});

test('thousands of files are added quickly', async () => {
  const { send } = fakeSend(() => ok(), { delayMs: 1e6 });
  const q = new UploadQueue({ send, notifyMs: 1e6 });
  const t0 = Date.now();
  q.add(Array.from({ length: 20000 }, (_, i) => png(`t${i}.png`)));
  q.flush();
  assert.ok(Date.now() - t0 < 1500);
  assert.equal(q.getSnapshot().total, 20000);
  assert.equal(q.getSnapshot().uploading, 4);
  q.cancelAll();
  assert.equal(q.getSnapshot().cancelled, 20000);
  await new Promise((r) => setTimeout(r, 10));
  q.flush(); // the aborted workers scheduled one more (1e6 ms) notification; send it now
});

test('progress counts bytes of files in flight', async () => {
  const { send } = fakeSend(() => ok(), { delayMs: 30 });
  const q = new UploadQueue({ send, concurrency: 1, notifyMs: 1 });
  q.add([png('a.png', 1000), png('b.png', 1000)]);
  await new Promise((r) => setTimeout(r, 10));
  q.flush();
  const p = q.getSnapshot().percent;
  assert.ok(p >= 20 && p <= 30, `expected ~25%, got ${p}`);
  const snap = await q.idle();
  assert.equal(snap.percent, 100);
});
