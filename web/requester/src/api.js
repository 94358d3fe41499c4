// Thin fetch wrapper for the TrainTasker JSON API (docs/API.md).
// Every failure becomes an ApiError whose .message is a sentence a person can read.

const FRIENDLY = {
  invalid_credentials: 'That email and password do not match an account.',
  insufficient_balance: 'Your balance does not cover this budget. Add funds or lower the budget.',
  unsupported_media_type: 'Not a supported image (PNG, JPEG or WebP).',
  incomplete_image: 'The image is cut short (an incomplete file).',
  budget_below_bounty: 'The budget must cover at least one bounty.',
  too_large: 'The file is too large.',
  job_not_open: 'This job is not open.',
  already_settled: 'None of these results is pending any more: they have been settled already.',
  reason_required: 'Give a reason for the rejection.',
};

const STATUS_TEXT = {
  400: 'The request was malformed.',
  401: 'Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  405: 'That action is not available.',
  409: 'That conflicts with the current state; reload and try again.',
  413: 'Too large.',
  415: 'Unsupported file type.',
  422: 'Some values are not valid.',
  429: 'Too many requests; wait a moment and try again.',
  502: 'The server is not answering (502).',
  503: 'The service is temporarily unavailable.',
  504: 'The server took too long to answer (504).',
};

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // 0 for network failures
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

// Turns an HTTP status and a parsed body (or null) into an ApiError.
export function errorFrom(status, body, retryAfter = null) {
  const err = body && typeof body === 'object' ? body.error : null;
  const code = (err && err.code) || `http_${status}`;
  const message = (err && FRIENDLY[err.code]) || (err && err.message) ||
    STATUS_TEXT[status] || `The server answered ${status}.`;
  return new ApiError(status, code, message, retryAfter);
}

let unauthorizedHandler = null;
// App registers this so any 401 (expired session) returns to the sign-in screen.
export function onUnauthorized(fn) { unauthorizedHandler = fn; }

export function buildUrl(path, query) {
  let url = path.startsWith('/api/') ? path : `/api${path.startsWith('/') ? '' : '/'}${path}`;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    }
    const s = qs.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  return url;
}

export async function api(path, { method = 'GET', body, query, signal, headers = {}, quiet401 = false } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers }, signal };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(buildUrl(path, query), init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const error = errorFrom(res.status, data, res.headers.get('Retry-After'));
    if (res.status === 401 && !quiet401 && unauthorizedHandler) unauthorizedHandler(error);
    throw error;
  }
  if (data === null && text) throw new ApiError(res.status, 'bad_response', 'The server sent an unreadable answer.');
  return data;
}

// Convenience wrappers, one per route the app uses.
export const Api = {
  me: (opts) => api('/api/me', opts),
  login: (email, password) => api('/api/auth/login', { method: 'POST', body: { email, password }, quiet401: true }),
  register: (fields) => api('/api/auth/register', { method: 'POST', body: { ...fields, role: 'requester' } }),
  logout: () => api('/api/auth/logout', { method: 'POST', quiet401: true }),
  jobs: (page = 1, perPage = 20) => api('/api/jobs', { query: { page, perPage } }),
  job: (id, opts) => api(`/api/jobs/${id}`, opts),
  createJob: (fields) => api('/api/jobs', { method: 'POST', body: fields }),
  updateJob: (id, fields) => api(`/api/jobs/${id}`, { method: 'PATCH', body: fields }),
  jobAction: (id, action) => api(`/api/jobs/${id}/${action}`, { method: 'POST' }),
  stats: (id, opts) => api(`/api/jobs/${id}/stats`, opts),
  tasks: (id, page = 1, perPage = 24, opts = {}) => api(`/api/jobs/${id}/tasks`, { ...opts, query: { page, perPage } }),
  taskTrains: (taskId, opts) => api(`/api/tasks/${taskId}/trains`, opts),
  topUp: (id, amount) => api(`/api/jobs/${id}/top-up`, { method: 'POST', body: amount ? { amount } : {} }),
  reviewSummary: (id, opts) => api(`/api/jobs/${id}/review`, opts),
  // filter: {state, taskerId, page, perPage}
  reviewTrains: (id, filter, opts = {}) => api(`/api/jobs/${id}/trains`, { ...opts, query: filter }),
  // body: see reviewBody() in reviewText.js
  review: (id, body) => api(`/api/jobs/${id}/review`, { method: 'POST', body }),
};

export const EXPORT_FORMATS = [
  { id: 'coco', name: 'COCO', desc: 'One JSON file with images, categories and annotations.' },
  { id: 'yolo', name: 'YOLO', desc: 'One text file per image with normalised boxes, plus classes.' },
  { id: 'voc', name: 'Pascal VOC', desc: 'One XML file per image.' },
  { id: 'csv', name: 'CSV', desc: 'One row per box.' },
  { id: 'jsonl', name: 'JSON Lines', desc: 'One result per line.' },
];

export function exportUrl(jobId, format, onlyFinished) {
  return buildUrl(`/api/jobs/${jobId}/export`, { format, only: onlyFinished ? 'finished' : undefined });
}
