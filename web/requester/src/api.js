// The Requester app's calls of the JSON API (docs/API.md), on the shared client
// (web/shared/api.js): every failure is an ApiError whose .message is a sentence a
// person can read; a 401 (expired session) returns to the sign-in screen.
import { ApiError, apiUrl, createClient } from '../../shared/api.js';

export { ApiError };

const client = createClient({
  network: 'Cannot reach the server. Check your connection and try again.',
  byCode: {
    invalid_credentials: 'That email and password do not match an account.',
    insufficient_balance: 'Your balance does not cover this budget. Add funds or lower the budget.',
    unsupported_media_type: 'Not a supported image (PNG, JPEG or WebP).',
    incomplete_image: 'The image is cut short (an incomplete file).',
    budget_below_bounty: 'The budget must cover at least one bounty.',
    too_large: 'The file is too large.',
    job_not_open: 'This job is not open.',
    already_settled: 'None of these results is pending any more: they have been settled already.',
    reason_required: 'Give a reason for the rejection.',
    image_worked_on: 'A tasker has already had this image, so it cannot become a gold image (or an ordinary one again). Choose an image nobody has worked on.',
  },
  byStatus: {
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
  },
  otherwise: (status) => `The server answered ${status}.`,
});

// Turns an HTTP status and a parsed body (or null) into an ApiError.
export const errorFrom = client.errorFrom;

// The URL of an API path with the query's settings that have a value.
export const buildUrl = apiUrl;

let unauthorizedHandler = null;
// App registers this so any 401 (expired session) returns to the sign-in screen.
export function onUnauthorized(fn) { unauthorizedHandler = fn; }

export async function api(path, { method = 'GET', body, raw, query, signal, headers, quiet401 = false } = {}) {
  let answer;
  try {
    answer = await client.request(method, path, { body, raw, query, signal, headers });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && !quiet401 && unauthorizedHandler) unauthorizedHandler(e);
    throw e;
  }
  if (answer.unreadable) throw new ApiError(answer.status, 'bad_response', 'The server sent an unreadable answer.');
  return answer.data;
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
  task: (taskId, opts) => api(`/api/tasks/${taskId}`, opts),
  taskTrains: (taskId, opts) => api(`/api/tasks/${taskId}/trains`, opts),
  topUp: (id, amount) => api(`/api/jobs/${id}/top-up`, { method: 'POST', body: amount ? { amount } : {} }),
  reviewSummary: (id, opts) => api(`/api/jobs/${id}/review`, opts),
  // filter: {state, taskerId, page, perPage}
  reviewTrains: (id, filter, opts = {}) => api(`/api/jobs/${id}/trains`, { ...opts, query: filter }),
  // body: see reviewBody() in reviewText.js
  review: (id, body) => api(`/api/jobs/${id}/review`, { method: 'POST', body }),
  // Quality control. gold: {boxes: [{x, y, w, h, label}], nothingToMark}
  markGold: (id, taskId, gold) => api(`/api/jobs/${id}/tasks/${taskId}/gold`, { method: 'PUT', body: gold }),
  unmarkGold: (id, taskId) => api(`/api/jobs/${id}/tasks/${taskId}/gold`, { method: 'DELETE' }),
  // file: a COCO annotation file (File or string), sent as it is.
  importCoco: (id, file) => api(`/api/jobs/${id}/gold/coco`, { method: 'POST', raw: file }),
  consensus: (id, taskId, opts) => api(`/api/jobs/${id}/tasks/${taskId}/consensus`, opts),
  jobTaskers: (id, opts) => api(`/api/jobs/${id}/taskers`, opts),
  block: (id, taskerId, reason, allJobs) =>
    api(`/api/jobs/${id}/taskers/${taskerId}/block`, { method: 'POST', body: { reason, allJobs } }),
  unblock: (id, taskerId, allJobs) =>
    api(`/api/jobs/${id}/taskers/${taskerId}/block`, { method: 'DELETE', query: { allJobs: allJobs ? 'true' : undefined } }),
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
