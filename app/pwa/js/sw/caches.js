// Versioned caches: the shell goes into `tournee-shell-<version>`; activate deletes the others.
export const CACHE_PREFIX = 'tournee-';

export function shellCacheName(shell) {
  return `${CACHE_PREFIX}shell-${shell.version}`;
}

/** Precache every shell file as the server has it now: each is revalidated (its ETag), so
 * a file the page has just loaded, or an update left unchanged, comes back as a bodiless 304
 * instead of a second download ('reload' fetched the whole shell again on first install). */
export async function install(shell) {
  const cache = await caches.open(shellCacheName(shell));
  await cache.addAll(shell.files.map((url) => new Request(url, { cache: 'no-cache' })));
}

/** Delete the caches of older versions (only ours: other `tournee-*` names). */
export async function activate(shell) {
  const keep = shellCacheName(shell);
  const names = await caches.keys();
  await Promise.all(names
    .filter((name) => name.startsWith(CACHE_PREFIX) && name !== keep)
    .map((name) => caches.delete(name)));
}
