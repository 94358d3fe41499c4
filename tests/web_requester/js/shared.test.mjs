// Unit tests for what the two web apps share (web/shared/api.js) and for how each app
// words failures and checks its sign-in form (web/*/src/api.js, signIn.js).
// fetch is replaced by a stub. Run: node --test tests/web_requester/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, apiUrl, createClient, withQuery } from '../../../web/shared/api.js';
import { api as taskerApi } from '../../../web/tasker/src/api.js';
import { Api as requesterApi, api as requesterCall, errorFrom, onUnauthorized } from '../../../web/requester/src/api.js';
import { checkSignIn as taskerCheck } from '../../../web/tasker/src/signIn.js';
import { checkSignIn as requesterCheck } from '../../../web/requester/src/signIn.js';

// fetch answers with these, in turn; calls records what was asked.
function stubFetch(...answers) {
  const calls = [];
  globalThis.fetch = async (url, init) => {
    calls.push({ url, init });
    const a = answers.shift();
    if (a instanceof Error) throw a;
    return new Response(a.body === undefined ? null : a.body, { status: a.status, headers: a.headers || {} });
  };
  return calls;
}
const json = (status, value, headers) => ({ status, body: JSON.stringify(value), headers });
const rejects = async (promise) => {
  try { await promise; } catch (e) { return e; }
  assert.fail('expected a rejection');
};

test('ApiError: status, code, message, retryAfter; transient for offline, 429 and 5xx', () => {
  const e = new ApiError(429, 'too_many', 'Slow down.', 3);
  assert.deepEqual([e.status, e.code, e.message, e.retryAfter, e.name], [429, 'too_many', 'Slow down.', 3, 'ApiError']);
  assert.ok(e instanceof Error);
  assert.equal(new ApiError(0, 'network', 'x').retryAfter, null);
  assert.deepEqual([0, 429, 500, 503, 400, 401, 409].map((s) => new ApiError(s, 'c', 'm').transient),
    [true, true, true, true, false, false, false]);
});

test('URLs: /api in front once, only the settings with a value', () => {
  assert.equal(apiUrl('/me'), '/api/me');
  assert.equal(apiUrl('me'), '/api/me');
  assert.equal(apiUrl('/api/jobs', { page: 2, perPage: 20, state: '' }), '/api/jobs?page=2&perPage=20');
  assert.equal(withQuery('/api/x?format=csv', { only: 'finished', no: null }), '/api/x?format=csv&only=finished');
});

test('a request: JSON in and out, the session cookie, the status', async () => {
  const client = createClient({ network: 'offline', otherwise: () => 'failed' });
  const calls = stubFetch(json(201, { id: 4 }), { status: 204 }, { status: 200, body: '<html>' });
  assert.deepEqual(await client.request('POST', '/jobs', { body: { a: 1 }, query: { x: 1 } }),
    { status: 201, data: { id: 4 }, unreadable: false });
  assert.equal(calls[0].url, '/api/jobs?x=1');
  assert.equal(calls[0].init.credentials, 'same-origin');
  assert.equal(calls[0].init.body, '{"a":1}');
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
  assert.deepEqual(await client.request('DELETE', '/leases/1'), { status: 204, data: null, unreadable: false });
  assert.deepEqual(await client.request('GET', '/x'), { status: 200, data: null, unreadable: true });
});

test('failures: the code and message of the body, else the app\'s words; Retry-After in seconds', async () => {
  const client = createClient({
    network: 'No network.', byCode: { nope: 'Friendly nope.' }, byStatus: { 503: 'Down.' }, otherwise: (s) => 'Answered ' + s + '.',
  });
  stubFetch(json(409, { error: { code: 'busy', message: 'Busy now.' } }),
    json(400, { error: { code: 'nope', message: 'raw' } }),
    { status: 503, body: '<html>oops</html>' },
    json(429, { error: { code: 'slow_down', message: 'Wait.' } }, { 'Retry-After': '7' }),
    { status: 418 },
    new TypeError('fetch failed'));
  let e = await rejects(client.request('GET', '/a'));
  assert.deepEqual([e.status, e.code, e.message, e.retryAfter], [409, 'busy', 'Busy now.', null]);
  e = await rejects(client.request('GET', '/a'));
  assert.equal(e.message, 'Friendly nope.');
  e = await rejects(client.request('GET', '/a'));
  assert.deepEqual([e.status, e.code, e.message], [503, 'http_503', 'Down.']);
  e = await rejects(client.request('GET', '/a'));
  assert.deepEqual([e.code, e.retryAfter], ['slow_down', 7]);
  e = await rejects(client.request('GET', '/a'));
  assert.equal(e.message, 'Answered 418.');
  e = await rejects(client.request('GET', '/a'));
  assert.deepEqual([e.status, e.code, e.message, e.transient], [0, 'network', 'No network.', true]);
});

test('a cancelled request rejects with its AbortError, not an ApiError', async () => {
  const client = createClient({ network: 'x', otherwise: () => 'y' });
  const abort = new DOMException('The operation was aborted.', 'AbortError');
  stubFetch(abort);
  assert.equal(await rejects(client.request('GET', '/a')), abort);
});

test('the tasker app shows the server\'s own message, its own sentence when there is none', async () => {
  stubFetch(json(401, { error: { code: 'invalid_credentials', message: 'Wrong email or password.' } }),
    { status: 502 }, new TypeError('offline'));
  assert.equal((await rejects(taskerApi.login('a@b.c', 'x'))).message, 'Wrong email or password.');
  assert.equal((await rejects(taskerApi.me())).message, 'The server is not answering. Please try again in a moment.');
  assert.match((await rejects(taskerApi.me())).message, /^Cannot reach the server/);
});

test('the tasker app registers taskers, and knows whether a lease is fresh', async () => {
  const calls = stubFetch(json(201, { user: { id: 1 } }), json(200, { id: 9 }));
  await taskerApi.register({ email: 'a@b.c', password: 'password1', screenName: 'Ann' });
  assert.deepEqual(JSON.parse(calls[0].init.body), { email: 'a@b.c', password: 'password1', screenName: 'Ann', role: 'tasker' });
  assert.deepEqual(await taskerApi.takeLease(3), { lease: { id: 9 }, fresh: false });
  assert.equal(calls[1].url, '/api/jobs/3/leases');
});

test('the requester app words known codes its own way, and a 401 ends the session', async () => {
  let ended = null;
  onUnauthorized((e) => { ended = e; });
  stubFetch(json(401, { error: { code: 'invalid_credentials', message: 'raw' } }),
    json(401, { error: { code: 'unauthenticated', message: 'Sign in.' } }),
    { status: 200, body: 'not json' });
  const wrong = await rejects(requesterApi.login('a@b.c', 'x'));
  assert.equal(wrong.message, 'That email and password do not match an account.');
  assert.equal(ended, null, 'a wrong password is not an ended session');
  await rejects(requesterApi.jobs());
  assert.equal(ended.status, 401);
  assert.equal((await rejects(requesterCall('/api/me'))).code, 'bad_response');
  assert.equal(errorFrom(404, null).message, 'Not found.');
  onUnauthorized(null);
});

test('sign-in checks: the tasker app asks for the fields, the requester app for their form', () => {
  const empty = { email: '', password: '', screenName: '' };
  assert.deepEqual(Object.keys(taskerCheck('signin', empty)), ['email', 'password']);
  assert.deepEqual(Object.keys(taskerCheck('signup', empty)), ['email', 'password', 'screenName']);
  assert.deepEqual(taskerCheck('signup', { email: 'a@b.c', password: 'x', screenName: 'A' }), {});
  const short = requesterCheck('signup', { email: 'ann', password: 'short', screenName: 'A' });
  assert.match(short.email, /email address/);
  assert.match(short.password, /8 characters/);
  assert.match(short.screenName, /2 and 32/);
  assert.deepEqual(requesterCheck('signin', { email: 'ann@example.com', password: 'x', screenName: '' }), {});
});
