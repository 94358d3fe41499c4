// Unit tests for web/tasker/src/sw.js (run: node --test tests/web_tasker/js/). The worker
// runs in a node:vm context with a fake `self`, Cache Storage and network.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const SOURCE = readFileSync(new URL('../../../web/tasker/src/sw.js', import.meta.url), 'utf8');
const ORIGIN = 'https://tasks.example';
const SCRIPT = ORIGIN + '/tasker/sw.js';

class FakeCache {
  constructor(network) { this.entries = new Map(); this.network = network; }
  async addAll(requests) {
    for (const r of requests) {
      const res = await this.network(r);
      if (!res.ok) throw new TypeError('addAll: ' + r.url + ' answered ' + res.status);
      this.entries.set(r.url, res);
    }
  }
  async match(request) {
    const url = typeof request === 'string' ? new URL(request, SCRIPT).href : request.url;
    const hit = this.entries.get(url);
    return hit ? hit.clone() : undefined;
  }
}

// A service worker global scope around sw.js; build: the hash build.sh would stamp in.
// network(request) answers fetches; `slow` makes the page-timeout fire at once.
function worker({ build = 'b1', network, slow = false } = {}) {
  const calls = { fetched: [], skipWaiting: 0, claimed: 0 };
  const net = async (req) => {
    calls.fetched.push(req);
    return network ? network(req) : new Response('from network ' + req.url, { status: 200 });
  };
  const stores = new Map();
  const caches = {
    async open(name) {
      if (!stores.has(name)) stores.set(name, new FakeCache(net));
      return stores.get(name);
    },
    async keys() { return [...stores.keys()]; },
    async delete(name) { return stores.delete(name); },
  };
  const listeners = {};
  const self = {
    location: new URL(SCRIPT),
    addEventListener: (type, fn) => { listeners[type] = fn; },
    skipWaiting: async () => { calls.skipWaiting += 1; },
    clients: { claim: async () => { calls.claimed += 1; } },
  };
  class RelativeRequest extends Request {
    constructor(input, init) { super(typeof input === 'string' ? new URL(input, SCRIPT).href : input, init); }
  }
  const context = vm.createContext({
    self, caches, fetch: net, Request: RelativeRequest, Response, URL, console,
    // The page's time limit: at once when `slow`, else real but not keeping node alive.
    setTimeout: (fn, ms, ...args) => setTimeout(fn, slow ? 0 : ms, ...args).unref(),
  });
  vm.runInContext(SOURCE.replaceAll('__BUILD__', build), context);

  const lifecycle = async (type) => {
    let done;
    listeners[type]({ waitUntil: (p) => { done = p; } });
    await done;
  };
  // Dispatches a fetch event: null when the worker let the request go to the network.
  const fetchEvent = async (request) => {
    let answer = null;
    listeners.fetch({ request, respondWith: (p) => { answer = p; } });
    return answer === null ? null : answer;
  };
  return { calls, stores, caches, lifecycle, fetchEvent };
}

const SHELL = ['index.html', 'app.js?v=b1', 'styles.css?v=b1', 'manifest.webmanifest',
  'icons/icon-192.png', 'icons/icon-512.png', 'icons/icon-maskable-512.png'].map((p) => ORIGIN + '/tasker/' + p);

const get = (path, mode = 'cors') => ({ method: 'GET', url: ORIGIN + path, mode });

test('install caches the whole shell of this build, past the HTTP cache, and takes over at once', async () => {
  const w = worker();
  await w.lifecycle('install');
  assert.deepEqual([...w.stores.keys()], ['tasker-shell-b1']);
  assert.deepEqual([...w.stores.get('tasker-shell-b1').entries.keys()].sort(), [...SHELL].sort());
  assert.ok(w.calls.fetched.every((r) => r.cache === 'reload'));
  assert.equal(w.calls.skipWaiting, 1);
});

test('a shell file that fails to download fails the install (no half shell)', async () => {
  const w = worker({ network: (req) => new Response('', { status: req.url.includes('icon-512') ? 404 : 200 }) });
  await assert.rejects(w.lifecycle('install'));
  assert.equal(w.calls.skipWaiting, 0);
});

test('activate deletes the caches of earlier builds, keeps others, claims the open pages', async () => {
  const w = worker({ build: 'b2' });
  await w.caches.open('tasker-shell-b1');
  await w.caches.open('tasker-shell-b0');
  await w.caches.open('requester-files');
  await w.lifecycle('install');
  await w.lifecycle('activate');
  assert.deepEqual([...w.stores.keys()].sort(), ['requester-files', 'tasker-shell-b2']);
  assert.equal(w.calls.claimed, 1);
});

test('the API, other folders, other sites and every non-GET go to the network untouched', async () => {
  const w = worker();
  await w.lifecycle('install');
  for (const request of [
    get('/api/me'), get('/api/tasks/5/image'), get('/api/me/earnings'), get('/requester/'),
    { method: 'GET', url: 'https://elsewhere.example/tasker/app.js', mode: 'cors' },
    { method: 'POST', url: ORIGIN + '/api/leases/9/train?next=true', mode: 'cors' },
    { method: 'POST', url: ORIGIN + '/tasker/index.html', mode: 'cors' },
  ]) {
    assert.equal(await w.fetchEvent(request), null, request.method + ' ' + request.url);
  }
});

test('nothing but the shell ever lands in the cache', async () => {
  const w = worker();
  await w.lifecycle('install');
  await w.lifecycle('activate');
  await (await w.fetchEvent(get('/tasker/', 'navigate')));
  await (await w.fetchEvent(get('/tasker/icons/unknown.png')));
  const cached = [...w.stores.get('tasker-shell-b1').entries.keys()];
  assert.deepEqual(cached.sort(), [...SHELL].sort());
});

test('shell files come from the cache without the network', async () => {
  const w = worker();
  await w.lifecycle('install');
  const before = w.calls.fetched.length;
  const res = await w.fetchEvent(get('/tasker/app.js?v=b1'));
  assert.match(await res.text(), /app\.js\?v=b1/);
  assert.equal(w.calls.fetched.length, before);
  // Another build's script is not in this cache: the network.
  const other = await w.fetchEvent(get('/tasker/app.js?v=b0'));
  assert.equal(await other.text(), 'from network ' + ORIGIN + '/tasker/app.js?v=b0');
});

test('the page comes from the network when it answers', async () => {
  const w = worker({ network: (req) => new Response('fresh page', { status: 200, headers: { 'X-Url': req.url } }) });
  await w.lifecycle('install');
  const res = await w.fetchEvent(get('/tasker/', 'navigate'));
  assert.equal(await res.text(), 'fresh page');
});

test('without a network the page is the cached index.html', async () => {
  let online = true;
  const w = worker({ network: (req) => {
    if (!online) throw new TypeError('Failed to fetch');
    return new Response('cached ' + new URL(req.url).pathname, { status: 200 });
  } });
  await w.lifecycle('install');
  online = false;
  for (const path of ['/tasker/', '/tasker/index.html', '/tasker/?x=1']) {
    const res = await w.fetchEvent(get(path, 'navigate'));
    assert.equal(await res.text(), 'cached /tasker/index.html', path);
  }
});

test('a network that hangs gives way to the cached page', async () => {
  let hang = false;
  const w = worker({ slow: true, network: (req) => (hang ? new Promise(() => {}) : new Response('shell ' + req.url)) });
  await w.lifecycle('install');
  hang = true;
  const res = await w.fetchEvent(get('/tasker/', 'navigate'));
  assert.equal(await res.text(), 'shell ' + ORIGIN + '/tasker/index.html');
});

test('with neither network nor cache the page fails as without a worker', async () => {
  const w = worker({ network: () => { throw new TypeError('Failed to fetch'); } });
  await assert.rejects(w.fetchEvent(get('/tasker/', 'navigate')).then((p) => p), /Failed to fetch/);
});
