// Registers the root-scoped service worker; nothing else (no rendering, no storage).

export function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/service-worker.js', { scope: '/' }).catch((error) => {
      console.warn('service worker registration failed', error);
    });
  });
}
