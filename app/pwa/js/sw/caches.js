// Versioned caches: the shell goes into `tournee-shell-<version>`; activate deletes the others.
export const CACHE_PREFIX = 'tournee-';

export function shellCacheName(shell) {
  return `${CACHE_PREFIX}shell-${shell.version}`;
}

/** Precache every shell file as the server has it now. A file the page has just loaded (or
 * an update left unchanged) is taken from the browser's HTTP cache when its bytes match the
 * integrity value the worker was served with: no request at all, where revalidating sent a
 * hundred bodiless 304s, each with its headers, on every first visit. A file missing from
 * the HTTP cache, or older there, is fetched again; a file that still does not match (the
 * server changed in between) fails the install, which the browser tries again later. */
export async function install(shell) {
  const name = shellCacheName(shell);
  const cache = await caches.open(name);
  const integrity = shell.integrity || {};
  try {
    await Promise.all(shell.files.map(async (url) => {
      await cache.put(url, await fetchShellFile(url, integrity[url]));
    }));
  } catch (error) {
    await caches.delete(name); // no half shell left behind
    throw error;
  }
}

async function fetchShellFile(url, integrity) {
  let response = null;
  if (integrity) {
    try {
      response = await fetch(url, { cache: 'force-cache', integrity });
    } catch {
      response = null; // not in the HTTP cache as it should be: ask the server
    }
  }
  if (!response || !response.ok) response = await fetch(url, { cache: 'no-cache', integrity });
  if (!response.ok) throw new Error(`precache ${url}: HTTP ${response.status}`);
  return response;
}

/** Delete the caches of older versions (only ours: other `tournee-*` names). */
export async function activate(shell) {
  const keep = shellCacheName(shell);
  const names = await caches.keys();
  await Promise.all(names
    .filter((name) => name.startsWith(CACHE_PREFIX) && name !== keep)
    .map((name) => caches.delete(name)));
}
