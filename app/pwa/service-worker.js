// Minimal service worker: it only takes control, so the app is installable.
// No caching and no fetch handler yet; the offline issue adds versioned caches and strategies
// as named functions beside this file, keeping this one a list of listeners.

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});
