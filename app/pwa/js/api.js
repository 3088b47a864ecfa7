// fetch wrapper for the JSON API: same-origin cookies, CSRF header, one error type.
// No DOM here: the service worker's outbox drain uses it too.

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken = null;
let unauthorizedHandler = () => {};
// Server messages come in this language (the UI's; the worker falls back on the browser's).
let language = (typeof navigator !== 'undefined' && navigator.language) || 'fr';

export class ApiError extends Error {
  constructor(status, code, message, fields = {}, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields || {};
    this.retryAfter = retryAfter; // seconds, from a Retry-After header
  }

  /** Worth trying again later: no network, a server error, or "too many requests". */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** Keep the CSRF token from the login / me response (memory only, never persisted). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** The UI's language, for the server's error messages (Accept-Language). */
export function setLanguage(lang) {
  language = lang;
}

export function currentLanguage() {
  return language;
}

export function hasCsrfToken() {
  return csrfToken !== null;
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

function retryAfterSeconds(response) {
  const value = response.headers.get('Retry-After');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
}

async function errorFrom(response) {
  const retryAfter = retryAfterSeconds(response);
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall back to the status line.
  }
  const err = body && body.error;
  if (err) return new ApiError(response.status, err.code, err.message, err.fields, retryAfter);
  const text = response.statusText || `HTTP ${response.status}`;
  return new ApiError(response.status, 'http_error', text, {}, retryAfter);
}

/** Call the API; resolves to the parsed JSON (null for 204), rejects with ApiError.
 *  `form` (FormData) sends a multipart body instead of JSON. */
export async function api(path, { method = 'GET', body, form, query, signal } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': language };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(url(path, query), {
      method,
      headers,
      body: form || (body === undefined ? undefined : JSON.stringify(body)),
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

/** A CSRF token for unsafe calls made outside a page session (the service worker's drain),
 *  or after the server said ours is stale. */
export async function refreshCsrfToken() {
  const me = await api('/auth/me');
  setCsrfToken(me.csrf_token);
  return me;
}
