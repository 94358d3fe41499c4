// Thin fetch wrapper for the TrainTasker JSON API (docs/API.md).
// Every failure becomes an ApiError whose .message is a readable sentence:
// the body's error.message when the server sent one, never a raw body.

export class ApiError extends Error {
  constructor(message, status, code, retryAfter) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // 0 when the server could not be reached
    this.code = code;
    this.retryAfter = retryAfter;
  }
  // True when trying again later may succeed (offline, server down, slow down).
  get transient() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const FALLBACK = {
  400: 'The request was not understood.',
  401: 'Please sign in.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That is not possible right now.',
  413: 'That is too large.',
  422: 'Some of the values are not valid.',
  429: 'Too many attempts. Please wait a moment and try again.',
  502: 'The server is not answering. Please try again in a moment.',
  503: 'The service is briefly unavailable. Please try again in a moment.',
  504: 'The server took too long to answer. Please try again.',
};

export function fallbackMessage(status) {
  return FALLBACK[status] || (status >= 500
    ? 'Something went wrong on the server. Please try again.'
    : 'The request failed.');
}

export async function request(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch('/api' + path, init);
  } catch (e) {
    throw new ApiError('Cannot reach the server. Check your connection.', 0, 'network');
  }
  let data = null;
  if (res.status !== 204) {
    let text = '';
    try { text = await res.text(); } catch (e) { /* body lost */ }
    if (text) {
      try { data = JSON.parse(text); } catch (e) { data = null; }
    }
  }
  if (!res.ok) {
    const err = data && typeof data === 'object' && data.error;
    const message = err && typeof err.message === 'string' && err.message
      ? err.message : fallbackMessage(res.status);
    const code = err && typeof err.code === 'string' ? err.code : 'http_' + res.status;
    const ra = parseInt(res.headers.get('Retry-After') || '', 10);
    throw new ApiError(message, res.status, code, isNaN(ra) ? undefined : ra);
  }
  return { status: res.status, data };
}

const call = (method, path, body) => request(method, path, body).then((r) => r.data);

// path?name=value&... for the settings that have a value.
export function withQuery(path, settings) {
  const query = new URLSearchParams();
  Object.entries(settings || {}).forEach(([name, value]) => {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  });
  const q = query.toString();
  return q ? path + '?' + q : path;
}

export const api = {
  me: () => call('GET', '/me'),
  login: (email, password) => call('POST', '/auth/login', { email, password }),
  register: (email, password, screenName) =>
    call('POST', '/auth/register', { email, password, screenName, role: 'tasker' }),
  logout: () => call('POST', '/auth/logout'),
  // sort: -bounty (the server's default), bounty or newest; label: only jobs with it.
  openJobs: ({ sort, label } = {}) => call('GET', withQuery('/open-jobs', { sort, label })),
  // { available, pending, pendingCount, approved, approvedCount, rejected, rejectedCount }
  earnings: () => call('GET', '/me/earnings'),
  // The tasker's own results, newest first; state: pending, approved, rejected or all.
  myResults: ({ state, page, perPage } = {}) => call('GET', withQuery('/me/results', { state, page, perPage })),
  // Resolves to { lease, fresh } where fresh is false when the server handed back
  // the live lease this tasker already holds (200 instead of 201).
  takeLease: (jobId) => request('POST', '/jobs/' + jobId + '/leases')
    .then((r) => ({ lease: r.data, fresh: r.status === 201 })),
  releaseLease: (leaseId) => call('DELETE', '/leases/' + leaseId),
  // With takeNext the answer is { train, next, nextError }: the next lease of the job
  // comes back with the stored train, one round trip instead of two.
  submitTrain: (leaseId, body, takeNext) =>
    call('POST', '/leases/' + leaseId + '/train' + (takeNext ? '?next=true' : ''), body),
  payouts: () => call('GET', '/payouts'),
  requestPayout: (amount, address) => call('POST', '/payouts', { amount, address }),
};
