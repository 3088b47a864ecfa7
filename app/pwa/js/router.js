// Hash routing: "#/companies/<id>?x=y" -> {path, parts, query}.
import { useEffect, useState } from './lib.js';

export function parseHash(hash = window.location.hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  return {
    path,
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: Object.fromEntries(new URLSearchParams(search)),
  };
}

export function href(path, query) {
  const search = query ? new URLSearchParams(query).toString() : '';
  return `#${path}${search ? `?${search}` : ''}`;
}

/** Go to `path`; `replace` rewrites the current history entry (e.g. while typing a query). */
export function navigate(path, { query, replace = false } = {}) {
  const target = href(path, query);
  if (replace) {
    window.history.replaceState(window.history.state, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

/** Mark the entry the app was opened on, so "back" never leaves the app. */
export function markEntryPoint() {
  window.history.replaceState({ tourneeEntry: true }, '', window.location.href);
}

export function goBack(fallback = '/') {
  if (window.history.state && window.history.state.tourneeEntry) navigate(fallback);
  else window.history.back();
}

export function useRoute() {
  const [route, setRoute] = useState(parseHash);
  useEffect(() => {
    const update = () => setRoute(parseHash());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** "#/companies/<id>" from a server-given link ("/#/companies/<id>", same origin only), or null
 *  for anything that is not one of the app's own screens. */
export function appHref(url) {
  if (typeof url !== 'string' || !url) return null;
  let parsed;
  try {
    parsed = new URL(url, window.location.origin);
  } catch {
    return null;
  }
  if (parsed.origin !== window.location.origin || parsed.pathname !== '/') return null;
  return parsed.hash.startsWith('#/') ? parsed.hash : '#/';
}
