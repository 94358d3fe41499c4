// The fetch client both apps use for the TrainTasker JSON API (docs/API.md): relative
// /api/... URLs, the session cookie, JSON in and out. Every failure becomes an ApiError
// whose message is a sentence a person can read, never a raw body. How a failure is
// worded is each app's own (createClient's `wording`); the rules are the same for both.

export class ApiError extends Error {
  // status: the HTTP status, 0 when the server could not be reached; code: the body's
  // error.code, else 'http_<status>' (or 'network'); retryAfter: whole seconds or null.
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  // True when trying again later may succeed (offline, server down, slow down).
  get transient() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

// path?name=value&... for the settings that have a value (after any query already there).
export function withQuery(path, settings) {
  const query = new URLSearchParams();
  Object.entries(settings || {}).forEach(([name, value]) => {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  });
  const q = query.toString();
  if (!q) return path;
  return path + (path.includes('?') ? '&' : '?') + q;
}

// '/me', 'me' and '/api/me' all name /api/me.
export function apiUrl(path, query) {
  const url = path.startsWith('/api/') ? path : '/api' + (path.startsWith('/') ? '' : '/') + path;
  return withQuery(url, query);
}

function retryAfterSeconds(header) {
  const seconds = parseInt(header || '', 10);
  return Number.isNaN(seconds) ? null : seconds;
}

// wording: {
//   network: the sentence when the server cannot be reached,
//   byCode: { error code: sentence } used before the server's own message (optional),
//   byStatus: { HTTP status: sentence } when the body has no message,
//   otherwise: (status) => sentence, the last resort.
// }
export function createClient(wording) {
  const byCode = wording.byCode || {};
  const byStatus = wording.byStatus || {};

  // An HTTP status and the parsed body (or null) as an ApiError.
  function errorFrom(status, body, retryAfter = null) {
    const err = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : null;
    const code = err && typeof err.code === 'string' && err.code ? err.code : 'http_' + status;
    const message = (err && byCode[code])
      || (err && typeof err.message === 'string' && err.message)
      || byStatus[status]
      || wording.otherwise(status);
    return new ApiError(status, code, message, retryAfter);
  }

  // Resolves to { status, data, unreadable }: data is the parsed JSON body (null for an
  // empty one), unreadable is true when a body came that is not JSON. Rejects with an
  // ApiError, or with the AbortError of a cancelled request. `body` is sent as JSON;
  // `raw` (a string, Blob or File) is sent as it is, as JSON unless `headers` say otherwise.
  async function request(method, path, { body, raw, query, signal, headers } = {}) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers }, signal };
    if (raw !== undefined) {
      init.headers['Content-Type'] = init.headers['Content-Type'] || 'application/json';
      init.body = raw;
    } else if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(apiUrl(path, query), init);
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', wording.network);
    }
    let text = '';
    if (res.status !== 204) {
      try {
        text = await res.text();
      } catch (e) {
        if (e && e.name === 'AbortError') throw e;
        // The connection broke in the middle of the body: an answer we cannot use.
        if (res.ok) throw new ApiError(0, 'network', wording.network);
      }
    }
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch (e) { data = null; }
    }
    if (!res.ok) throw errorFrom(res.status, data, retryAfterSeconds(res.headers.get('Retry-After')));
    return { status: res.status, data, unreadable: data === null && text !== '' };
  }

  return { request, errorFrom };
}
