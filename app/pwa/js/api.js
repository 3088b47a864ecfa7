// fetch wrapper for the JSON API: same-origin cookies, CSRF header, one error type.

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken = null;
let unauthorizedHandler = () => {};

export class ApiError extends Error {
  constructor(status, code, message, fields = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields || {};
  }
}

/** Keep the CSRF token from the login / me response (memory only, never persisted). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** Called on every 401, so the app can show the login screen. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

function url(path, query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall back to the status line.
  }
  const err = body && body.error;
  if (err) return new ApiError(response.status, err.code, err.message, err.fields);
  return new ApiError(response.status, 'http_error', response.statusText || `HTTP ${response.status}`);
}

/** Call the API; resolves to the parsed JSON (null for 204), rejects with ApiError. */
export async function api(path, { method = 'GET', body, query, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(url(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', error.message);
  }
  if (response.status === 401) unauthorizedHandler();
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return null;
  return response.json();
}
