// The live socket (/api/live): while signed in and online, one WebSocket whose messages are
// hints. "changes" / "alert" -> pull; "notification" -> an in-app notice, then pull, and the
// inbox's unread count refreshed (js/store/inbox.js). Lost
// sockets come back with capped exponential backoff and full jitter, at once on `online` or
// when the page shows again. Correctness never depends on it: the sync triggers stand alone.
import { getLocale, onLocaleChange } from '../i18n/index.js';
import { appHref } from '../router.js';
import { notificationArrived, refreshUnread } from '../store/inbox.js';
import { showNotice } from '../store/ui.js';
import { requestSync } from './engine.js';
import { syncState } from './state.js';

export const LIVE_BASE_MS = 1_000;
export const LIVE_CAP_MS = 30_000;
export const LIVE_STABLE_MS = 10_000; // open this long: the next loss starts from 1 s again

let active = false;
let socket = null;
let attempt = 0;
let retryTimer = null;
let stableTimer = null;
let unsubscribeLocale = null;

/** "Full jitter": anywhere between 0 and the capped exponential ceiling. */
export function liveDelay(n) {
  return Math.random() * Math.min(LIVE_CAP_MS, LIVE_BASE_MS * 2 ** n);
}

function liveUrl() {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/api/live?lang=${encodeURIComponent(getLocale())}`;
}

function setLive(live) {
  if (syncState.get().live !== live) syncState.set((s) => ({ ...s, live }));
}

function onMessage(raw) {
  let message;
  try {
    message = JSON.parse(raw);
  } catch {
    return; // not ours to understand: ignore
  }
  if (!message || typeof message !== 'object') return;
  // An alert opened for me comes as a "notification" too (kind "alert"): that one is shown,
  // and leads to the alert; the bare "alert" messages (also resolved, moved...) only refresh.
  if (message.type === 'notification') {
    const alertId = message.kind === 'alert' && typeof message.alert_id === 'string' ? message.alert_id : null;
    showNotice({ title: String(message.title || ''), body: String(message.body || ''),
      href: alertId ? `#/alerts/${encodeURIComponent(alertId)}` : appHref(message.url) });
  }
  if (message.type === 'notification') notificationArrived();
  if (['changes', 'notification', 'alert'].includes(message.type)) requestSync();
}

function scheduleReconnect() {
  clearTimeout(retryTimer);
  if (!active || !navigator.onLine) return;
  retryTimer = setTimeout(connect, liveDelay(attempt));
  attempt += 1;
}

function connect() {
  clearTimeout(retryTimer);
  retryTimer = null;
  if (!active || socket || !navigator.onLine) return;
  const ws = new WebSocket(liveUrl());
  socket = ws;
  ws.addEventListener('open', () => {
    setLive(true);
    stableTimer = setTimeout(() => { attempt = 0; }, LIVE_STABLE_MS);
    requestSync(); // whatever happened while we were not listening
    refreshUnread();
  });
  ws.addEventListener('message', (event) => onMessage(event.data));
  ws.addEventListener('close', () => {
    clearTimeout(stableTimer);
    if (socket !== ws) return; // closed on purpose (logout, offline, language switch)
    socket = null;
    setLive(false);
    scheduleReconnect();
  });
}

function drop() {
  clearTimeout(retryTimer);
  clearTimeout(stableTimer);
  const ws = socket;
  socket = null;
  setLive(false);
  if (ws) ws.close();
}

/** Now, if we should be connected and are not (instead of waiting out the backoff). */
function reconnectNow() {
  if (active && !socket && navigator.onLine) connect();
}

function onOffline() {
  drop();
}

function onVisible() {
  if (document.visibilityState === 'visible') reconnectNow();
}

function onLanguage() {
  // The server speaks the socket's language: a new one for the new locale.
  if (!active) return;
  drop();
  connect();
}

export function startLive() {
  if (active || typeof WebSocket === 'undefined') return;
  active = true;
  attempt = 0;
  window.addEventListener('online', reconnectNow);
  window.addEventListener('offline', onOffline);
  document.addEventListener('visibilitychange', onVisible);
  unsubscribeLocale = onLocaleChange(onLanguage);
  connect();
}

/** On logout (or a 401): close, and stay closed until the next startLive(). */
export function stopLive() {
  if (!active) return;
  active = false;
  window.removeEventListener('online', reconnectNow);
  window.removeEventListener('offline', onOffline);
  document.removeEventListener('visibilitychange', onVisible);
  if (unsubscribeLocale) unsubscribeLocale();
  unsubscribeLocale = null;
  drop();
}
