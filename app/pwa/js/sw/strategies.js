// Fetch strategies, as named functions; route() picks one or returns null (the browser then
// handles the request as if there were no worker).
import { shellCacheName } from './caches.js';

export const NAVIGATION_TIMEOUT_MS = 3000;
export const SHELL_URL = '/'; // the shell page, precached under this URL only

/** Navigations: the network first (a fresh shell), the cached shell when it fails or lags. */
export async function networkFirstNavigation(request, shell) {
  const cache = await caches.open(shellCacheName(shell));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), NAVIGATION_TIMEOUT_MS);
  try {
    const response = await fetch(request, { signal: controller.signal });
    if (response.ok || !(await cache.match(SHELL_URL))) return response;
  } catch {
    // offline, or too slow: the cached shell below
  } finally {
    clearTimeout(timer);
  }
  return (await cache.match(SHELL_URL)) || Response.error();
}

/** Shell files (versioned by the worker itself): the cache, else the network. */
export async function cacheFirst(request, shell) {
  const cache = await caches.open(shellCacheName(shell));
  return (await cache.match(request)) || fetch(request);
}

/** Which strategy serves `request`, or null to leave it alone. */
export function route(request, shell) {
  if (request.method !== 'GET') return null; // writes go through the outbox, never a cache
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  if (url.pathname.startsWith('/api/')) return null; // data lives in IndexedDB, not here
  if (request.mode === 'navigate') return networkFirstNavigation(request, shell);
  if (shell.files.includes(url.pathname)) return cacheFirst(request, shell);
  return null;
}
