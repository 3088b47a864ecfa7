// When to sync, on the page: app start, `online`, the page becoming visible, after each write,
// the service worker's word that it drained or that a push arrived, a live hint (sync/live.js),
// and a timer with jittered backoff after failures (network, 5xx, 429 with Retry-After).
// A 401 stops everything until the next login.
import { getDB, getMeta } from '../store/db.js';
import { drain, mine, pendingCount } from './outbox.js';
import { hasSynced } from './pull.js';
import { pullOffThread } from './pull-off-thread.js';
import { dataChanged, syncState } from './state.js';

export const BACKOFF_CAP_MS = 60_000;
const BACKOFF_BASE_MS = 1_000;

let started = false;
let running = false;
let again = false;
let failures = 0;
let timer = null;

/** Exponential, capped, with "equal jitter"; the server's Retry-After wins when given. */
export function backoffDelay(attempt, retryAfterSeconds) {
  if (retryAfterSeconds != null) return Math.min(BACKOFF_CAP_MS * 5, retryAfterSeconds * 1000);
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Counts for the header, then "read again" for the screens (unless told not to). */
export async function refreshCounts({ announce = true } = {}) {
  const db = await getDB();
  const [pending, attention, lastSyncAt, ready] = await Promise.all([
    pendingCount(), db.getAll('attention').then((rows) => mine(rows, (e) => e.mutation))
      .then((rows) => rows.length), getMeta('last_sync_at'), hasSynced(),
  ]);
  syncState.set((s) => ({ ...s, pending, attention, lastSyncAt: lastSyncAt || null, ready }));
  if (announce) dataChanged.emit();
}

function retryLater(retryAfter) {
  clearTimeout(timer);
  const delay = backoffDelay(failures, retryAfter);
  failures += 1;
  timer = setTimeout(requestSync, delay);
}

function unauthorized() {
  // The outbox is left as it is; api.js has already sent the app to the login screen.
  syncState.set((s) => ({ ...s, needsLogin: true, syncing: false }));
  stopSync();
}

async function cycle() {
  if (!navigator.onLine) return;
  const pushed = await drain({ onChange: refreshCounts });
  // Counts only: each drained step has announced its change already. Screens re-read IndexedDB
  // on every announcement, so one with nothing new cost a first visit ~300 reads for nothing.
  await refreshCounts({ announce: false });
  if (pushed.status === 'unauthorized') return unauthorized();
  if (pushed.status === 'retry') return retryLater(pushed.retryAfter);
  let seen = 0;
  try {
    await pullOffThread({ onProgress: ({ first, received, has_more: more }) => {
      syncState.set((s) => ({ ...s, progress: first ? { received, has_more: more } : null }));
      // During a first pull the screens keep what they show (the server's answers) until
      // the working set is complete: read again page by page, lists emptied and refilled
      // and pushed each other around the screen. Later pulls announce pages that changed
      // something.
      const changed = received > seen;
      seen = received;
      refreshCounts({ announce: first ? !more : changed });
    } });
    failures = 0;
  } catch (error) {
    if (error.status === 401) return unauthorized();
    retryLater(error.retryAfter);
  } finally {
    syncState.set((s) => ({ ...s, progress: null }));
  }
  return refreshCounts({ announce: false });
}

/** Drain then pull; calls made meanwhile are folded into one more round. */
export async function requestSync() {
  if (!started) return;
  if (running) {
    again = true;
    return;
  }
  running = true;
  syncState.set((s) => ({ ...s, syncing: true }));
  try {
    do {
      again = false;
      await cycle(); // eslint-disable-line no-await-in-loop
    } while (again && started);
  } catch (error) {
    console.warn('sync failed', error);
    retryLater();
  } finally {
    running = false;
    syncState.set((s) => ({ ...s, syncing: false }));
  }
}

/** After a local write: count it, ask the browser for a background sync, try now. */
export function afterWrite() {
  refreshCounts();
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register('outbox'))
      .catch(() => {}); // no Background Sync here: the page triggers are enough
  }
  requestSync();
}

function onOnline() {
  syncState.set((s) => ({ ...s, online: navigator.onLine }));
  if (navigator.onLine) {
    failures = 0;
    requestSync();
  }
}

function onVisible() {
  if (document.visibilityState === 'visible') requestSync();
}

function onWorkerMessage(event) {
  const type = event.data && event.data.type;
  if (type === 'outbox-changed') refreshCounts();
  if (type === 'pull') requestSync(); // a push arrived: something changed on the server
}

export function startSync() {
  if (started) return;
  started = true;
  // Nothing is known yet for this user: never show the previous session's "Synchronisé"
  // while this user's own outbox may still hold work (refreshCounts fills it in).
  syncState.set((s) => ({ ...s, needsLogin: false, online: navigator.onLine, pending: 0,
    attention: 0, lastSyncAt: null }));
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOnline);
  document.addEventListener('visibilitychange', onVisible);
  if ('serviceWorker' in navigator) navigator.serviceWorker.addEventListener('message', onWorkerMessage);
  refreshCounts();
  requestSync();
}

export function stopSync() {
  started = false;
  clearTimeout(timer);
  window.removeEventListener('online', onOnline);
  window.removeEventListener('offline', onOnline);
  document.removeEventListener('visibilitychange', onVisible);
  if ('serviceWorker' in navigator) navigator.serviceWorker.removeEventListener('message', onWorkerMessage);
}
