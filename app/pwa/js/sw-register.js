// Registers the root-scoped service worker and follows its updates (wittr): a waiting worker
// -> the "new version" toast -> `skip-waiting` -> one reload when the new worker takes control.
// Also follows the worker's "navigate" word after a notification tap.
// No rendering and no storage here: the toast reads `updateReady` from the ui store.
import { updateReady } from './store/ui.js';

function watchWaiting(registration) {
  if (registration.waiting && navigator.serviceWorker.controller) {
    updateReady.set(registration.waiting);
  }
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    if (!worker) return;
    worker.addEventListener('statechange', () => {
      // The first install has no controller: nothing to update, no toast.
      if (worker.state === 'installed' && navigator.serviceWorker.controller) updateReady.set(worker);
    });
  });
}

/** The user chose to update: the waiting worker takes over, the page reloads once. */
export function applyUpdate(worker) {
  if (worker) worker.postMessage({ type: 'skip-waiting' });
}

/** A tapped notification: the worker focused this window and names the screen to show. */
function onWorkerMessage(event) {
  const { type, url } = event.data || {};
  if (type !== 'navigate' || typeof url !== 'string') return;
  const target = new URL(url, window.location.href);
  if (target.origin !== window.location.origin) return;
  if (target.pathname === window.location.pathname) window.location.hash = target.hash || '#/';
  else window.location.assign(target.href);
}

export function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', onWorkerMessage);
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only after an update the user asked for (the first install claims clients too).
    if (reloading || !updateReady.get()) return;
    reloading = true;
    window.location.reload();
  });
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/service-worker.js', { scope: '/', type: 'module' })
      .then(watchWaiting)
      .catch((error) => console.warn('service worker registration failed', error));
  });
}
