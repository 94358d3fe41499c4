// The Tasker app's calls of the JSON API (docs/API.md), on the shared client
// (web/shared/api.js): every failure is an ApiError whose .message is a readable
// sentence, the body's error.message when the server sent one, never a raw body.
import { ApiError, createClient, withQuery } from '../../shared/api.js';

export { ApiError, withQuery };

const client = createClient({
  network: 'Cannot reach the server. Check your connection.',
  byStatus: {
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
  },
  otherwise: (status) => (status >= 500
    ? 'Something went wrong on the server. Please try again.'
    : 'The request failed.'),
});

const request = (method, path, body) => client.request(method, path, { body });
const call = (method, path, body) => request(method, path, body).then((r) => r.data);

export const api = {
  me: () => call('GET', '/me'),
  login: (email, password) => call('POST', '/auth/login', { email, password }),
  register: ({ email, password, screenName }) =>
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
  // { goldAnswers, accuracy, jobs: [...], failedChecks: [{ imageUrl, score, missed, extra, ... }] }
  accuracy: () => call('GET', '/me/accuracy'),
  payouts: () => call('GET', '/payouts'),
  requestPayout: (amount, address) => call('POST', '/payouts', { amount, address }),
};
