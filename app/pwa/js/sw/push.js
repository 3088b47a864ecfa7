// Web push in the worker: show what the server sent (never nothing: browsers penalise silent
// pushes), tell open pages to pull, and open the right screen when a notification is tapped.
import en from '../i18n/en.js';
import fr from '../i18n/fr.js';

export const ICON = '/icons/icon-192.png';
export const BADGE = '/icons/badge-96.png'; // white on transparent: Android shows its alpha only

/** The worker has no app locale: the browser's language decides (French unless English). */
function dictionary() {
  return /^en(-|$)/i.test(self.navigator.language || '') ? en : fr;
}

/** The payload as sent ({title, body, url, tag, kind, record, actions}), or a generic one. */
export function readPayload(data) {
  let payload = null;
  try {
    payload = data ? data.json() : null;
  } catch {
    payload = null; // not JSON
  }
  if (!payload || typeof payload !== 'object' || typeof payload.title !== 'string' || !payload.title) {
    const words = dictionary();
    return { title: words['push.generic_title'], body: words['push.generic_body'], url: '/' };
  }
  return payload;
}

/** A button's title: a string, or {fr, en} (the device's language, French otherwise). */
function actionTitle(title) {
  if (typeof title === 'string') return title;
  if (!title || typeof title !== 'object') return null;
  const lang = dictionary() === en ? 'en' : 'fr';
  const text = title[lang] || title.fr || title.en;
  return typeof text === 'string' ? text : null;
}

/** An alert's screen: "/#/alerts/<id>", and "?do=<action>" for a button (the app runs it). */
function alertUrl(alertId, action) {
  const base = `/#/alerts/${encodeURIComponent(alertId)}`;
  return action ? `${base}?do=${encodeURIComponent(action)}` : base;
}

function cleanActions(actions, alertId) {
  if (!Array.isArray(actions)) return [];
  return actions.filter((a) => a && typeof a.action === 'string' && actionTitle(a.title))
    .map((a) => {
      const clean = { action: a.action, title: actionTitle(a.title) };
      if (typeof a.url === 'string') clean.url = a.url;
      else if (alertId) clean.url = alertUrl(alertId, a.action);
      return clean;
    });
}

/** showNotification()'s options for a payload. An alert's (`alert_id`) opens the alert, and its
 *  buttons act on it. */
export function notificationOptions(payload) {
  const alertId = typeof payload.alert_id === 'string' && payload.alert_id ? payload.alert_id : null;
  const actions = cleanActions(payload.actions, alertId);
  const tag = typeof payload.tag === 'string' && payload.tag ? payload.tag : undefined;
  const at = Date.parse(payload.at);
  let url = typeof payload.url === 'string' ? payload.url : '/';
  if (alertId) url = alertUrl(alertId);
  return {
    body: typeof payload.body === 'string' ? payload.body : '',
    icon: ICON,
    badge: BADGE,
    tag,
    renotify: Boolean(tag), // a browser refuses renotify without a tag
    timestamp: Number.isNaN(at) ? Date.now() : at,
    data: { url, actions },
    actions: actions.map(({ action, title }) => ({ action, title })),
  };
}

async function tellPagesToPull() {
  const pages = await self.clients.matchAll({ type: 'window' });
  pages.forEach((page) => page.postMessage({ type: 'pull' }));
}

/** The `push` event: one notification, then a pull in every open page. */
export async function showPush(data) {
  const payload = readPayload(data);
  try {
    await self.registration.showNotification(payload.title, notificationOptions(payload));
  } catch {
    // options this browser refuses (too many actions, a bad tag...): the generic one instead
    const generic = readPayload(null);
    await self.registration.showNotification(generic.title, notificationOptions(generic));
  }
  await tellPagesToPull();
}

/** Where a tap goes: the tapped action's url, else the notification's, else the app; always
 *  an absolute URL of this app (anything else falls back to the scope). */
export function targetUrl(data, action) {
  const scope = self.registration.scope;
  const actions = (data && Array.isArray(data.actions)) ? data.actions : [];
  const chosen = action ? actions.find((a) => a && a.action === action && a.url) : null;
  const raw = (chosen && chosen.url) || (data && data.url) || '/';
  try {
    const url = new URL(raw, scope);
    return url.origin === self.location.origin ? url.href : scope;
  } catch {
    return scope;
  }
}

/** The `notificationclick` event: close it, then focus a window of the app on the target
 *  screen (the page navigates itself: a hash route), or open one. */
export async function openFromNotification(notification, action) {
  notification.close();
  const url = targetUrl(notification.data, action);
  const windows = (await self.clients.matchAll({ type: 'window', includeUncontrolled: true }))
    .filter((client) => new URL(client.url).origin === self.location.origin);
  const client = windows.find((c) => c.focused) || windows.find((c) => c.visibilityState === 'visible')
    || windows[0];
  if (!client) return self.clients.openWindow(url);
  client.postMessage({ type: 'navigate', url }); // first: the screen changes even unfocused
  try {
    await client.focus();
  } catch {
    // not allowed to focus (no user activation left): the page went to the screen anyway
  }
  return client;
}
