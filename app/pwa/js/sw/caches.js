// Versioned caches: the shell goes into `tournee-shell-<version>`; activate deletes the others.
export const CACHE_PREFIX = 'tournee-';

export function shellCacheName(shell) {
  return `${CACHE_PREFIX}shell-${shell.version}`;
}

/** Precache every shell file as the server has it now. A file the page has just loaded (or
 * an update left unchanged) is taken from the browser's HTTP cache when its bytes hash to the
 * value the worker was served with: no request at all, where revalidating sent a hundred
 * bodiless 304s, each with its headers, on every first visit. A file missing from the HTTP
 * cache, or older there, is fetched again; a file that still does not match (the server
 * changed in between) fails the install, which the browser tries again later. */
export async function install(shell) {
  const name = shellCacheName(shell);
  const cache = await caches.open(name);
  const hashes = shell.hashes || {};
  try {
    await Promise.all(shell.files.map(async (url) => {
      await cache.put(url, await fetchShellFile(url, hashes[url]));
    }));
  } catch (error) {
    await caches.delete(name); // no half shell left behind
    throw error;
  }
}

async function fetchShellFile(url, expected) {
  let response = null;
  try {
    response = await matching(await fetch(url, { cache: 'force-cache' }), expected);
  } catch {
    response = null; // the network failed: asked again below, where a failure is final
  }
  if (response) return response;
  const fresh = await fetch(url, { cache: 'no-cache' });
  if (!fresh.ok) throw new Error(`precache ${url}: HTTP ${fresh.status}`);
  response = await matching(fresh, expected);
  if (!response) throw new Error(`precache ${url}: not the bytes this version expects`);
  return response;
}

/** The response, rebuilt from its bytes, when they hash to `expected` (or none is given). */
async function matching(response, expected) {
  if (!response.ok) return null;
  const body = await response.arrayBuffer();
  if (expected && (await shortHash(body)) !== expected) return null;
  const { status, statusText, headers } = response;
  return new Response(body, { status, statusText, headers });
}

/** The first 8 bytes of the SHA-256 of `bytes`, base64url without padding: app/pwa's
 * short_hash(). */
export async function shortHash(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)).slice(0, 8);
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Delete the caches of older versions (only ours: other `tournee-*` names). */
export async function activate(shell) {
  const keep = shellCacheName(shell);
  const names = await caches.keys();
  await Promise.all(names
    .filter((name) => name.startsWith(CACHE_PREFIX) && name !== keep)
    .map((name) => caches.delete(name)));
}
