// Tournée's service worker: listeners only; the strategies are named functions in js/sw/.
//
// A module worker (registered with {type: 'module'}), not a classic one: the `sync` event drains
// the outbox with the very ES modules the page uses (js/sync/outbox.js and the vendored idb),
// which a classic worker could only load through a build step or a second copy. Background
// Sync only exists in Chromium, which has run module service workers since version 91; where
// a browser refuses a module worker the app still works online and drains from the page.
//
// Flask serves this file with a first line `const PRECACHE = {"version", "files"}` (the hash
// of every PWA file, and each shell URL with a short hash of its bytes), so any change to the
// app makes a new worker.
import { activate, install } from './js/sw/caches.js';
import { drainInWorker } from './js/sw/background-sync.js';
import { openFromNotification, showPush } from './js/sw/push.js';
import { route } from './js/sw/strategies.js';

/* global PRECACHE */
const SHELL = typeof PRECACHE === 'undefined' ? { version: 'dev', files: [], hashes: {} }
  : { version: PRECACHE.version, files: Object.keys(PRECACHE.files), hashes: PRECACHE.files };

self.addEventListener('install', (event) => {
  event.waitUntil(install(SHELL));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(activate(SHELL).then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const respond = route(event.request, SHELL);
  if (respond) event.respondWith(respond);
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('sync', (event) => {
  if (event.tag === 'outbox') event.waitUntil(drainInWorker());
});

self.addEventListener('push', (event) => {
  event.waitUntil(showPush(event.data));
});

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(openFromNotification(event.notification, event.action));
});
