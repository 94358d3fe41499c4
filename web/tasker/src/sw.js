// The Tasker app's service worker: it keeps the app shell (page, script, styles,
// manifest, icons) so that the app opens without a network.
//
// It never touches the API: answers, task images and the offline queue's submissions
// (trainQueue.js) go to the network exactly as without it, and nothing but the shell is
// ever put in the cache. build.sh stamps the build's hash into BUILD, so each build has
// a cache of its own; the new worker takes over at once and deletes the older caches.

const BUILD = '__BUILD__';
const CACHE_PREFIX = 'tasker-shell-';
const CACHE = CACHE_PREFIX + BUILD;
const PAGE = 'index.html';
const SHELL = [
  PAGE,
  'app.js?v=' + BUILD,
  'styles.css?v=' + BUILD,
  'manifest.webmanifest',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'icons/icon-maskable-512.png',
];
// A page from the network that takes longer than this is served from the cache instead
// (a weak signal on a phone can hang rather than fail).
const SLOW_NETWORK_MS = 4000;
// The folder the worker serves, e.g. /tasker/ (the API lies outside it).
const SCOPE_PATH = new URL('./', self.location.href).pathname;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    // Past the HTTP cache: the shell must be this build's.
    .then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: 'reload' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names
      .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // The API (/api/...), task images, other apps: straight to the network, never cached.
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE_PATH)) return;
  event.respondWith(request.mode === 'navigate' ? openPage(request) : shellFile(request));
});

function cachedPage() {
  return caches.open(CACHE).then((cache) => cache.match(PAGE));
}

// The page: from the network while it answers (a new build shows at once), else the
// cached one.
async function openPage(request) {
  const network = fetch(request);
  network.catch(() => {}); // when the cache answered first, a late failure is no news
  const slow = new Promise((resolve) => setTimeout(resolve, SLOW_NETWORK_MS, 'slow'));
  try {
    const first = await Promise.race([network, slow]);
    if (first !== 'slow') return first;
    return (await cachedPage()) || await network;
  } catch (e) {
    const page = await cachedPage();
    if (page) return page;
    throw e;
  }
}

// Script, styles, manifest, icons: the cached copy of this build, else the network.
async function shellFile(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request)) || fetch(request);
}
