// The notification inbox (online only): the unread count behind the home screen's bell, and the
// list the inbox screen shows, kept in memory so that going offline keeps the last one loaded.
// The count is fetched on start and login, when the page shows again, back online, after
// marking read, and on every live "notification" (js/sync/live.js calls notificationArrived).
import { api } from '../api.js';
import { onLocaleChange } from '../i18n/index.js';
import { createState } from './state.js';

export const PAGE_SIZE = 20;
const EMPTY = { items: [], cursor: null, loaded: false, loading: false, error: null };

export const unreadCount = createState(0);
export const inbox = createState(EMPTY);

let active = false;
let countSeq = 0; // only the latest count request may write the count
let unsubscribeLocale = null;

/** Ask the server for the unread count; offline or failing, the last one stays. */
export async function refreshUnread() {
  if (!active) return;
  const seq = ++countSeq;
  try {
    const { count } = await api('/notifications/unread-count');
    if (active && seq === countSeq) unreadCount.set(Number(count) || 0);
  } catch {
    // no network or a server hiccup: the next trigger asks again
  }
}

/** Fresh items first, then the ones already loaded that the fresh page does not cover. */
function merge(fresh, known) {
  const ids = new Set(fresh.map((item) => item.id));
  return [...fresh, ...known.filter((item) => !ids.has(item.id))];
}

async function fetchPage(cursor) {
  return api('/notifications', { query: { limit: PAGE_SIZE, cursor } });
}

/** The newest page, merged into what is shown (the inbox screen opens, or something came). */
export async function loadInbox() {
  inbox.set((s) => ({ ...s, loading: true, error: null }));
  try {
    const page = await fetchPage(null);
    inbox.set((s) => ({ items: merge(page.items, s.items), loaded: true, loading: false, error: null,
      cursor: s.loaded && s.items.length > page.items.length ? s.cursor : page.next_cursor }));
  } catch (error) {
    inbox.set((s) => ({ ...s, loading: false, error }));
  }
}

/** The next, older page ("Charger plus"). */
export async function loadMore() {
  const { cursor } = inbox.get();
  if (!cursor) return;
  inbox.set((s) => ({ ...s, loading: true, error: null }));
  try {
    const page = await fetchPage(cursor);
    inbox.set((s) => ({ ...s, items: merge(s.items, page.items), cursor: page.next_cursor, loading: false }));
  } catch (error) {
    inbox.set((s) => ({ ...s, loading: false, error }));
  }
}

function setRead(ids, readAt) {
  inbox.set((s) => ({ ...s,
    items: s.items.map((item) => (ids(item) && !item.read_at ? { ...item, read_at: readAt } : item)) }));
}

/** Mark one read: shown at once, then told to the server and the count asked again. */
export async function markRead(item) {
  if (item.read_at) return;
  setRead((other) => other.id === item.id, new Date().toISOString());
  unreadCount.set((n) => Math.max(0, n - 1));
  try {
    await api(`/notifications/${encodeURIComponent(item.id)}/read`, { method: 'POST' });
  } catch {
    // not told (offline, server down): unread again on screen, the server's count decides
    inbox.set((s) => ({ ...s, items: s.items.map((other) => (other.id === item.id ? item : other)) }));
  }
  refreshUnread();
}

/** "Tout marquer comme lu"; rejects (nothing changed on screen) when the server cannot be told. */
export async function markAllRead() {
  await api('/notifications/read-all', { method: 'POST' });
  setRead(() => true, new Date().toISOString());
  unreadCount.set(0);
  refreshUnread();
}

/** A live {"type": "notification"} arrived: a new count, and the list if it was loaded. */
export function notificationArrived() {
  refreshUnread();
  if (inbox.get().loaded) loadInbox();
}

function onVisible() {
  if (document.visibilityState === 'visible') refreshUnread();
}

/** The server wrote the texts in the old language: load them again in the new one. */
function onLanguage() {
  const { loaded } = inbox.get();
  inbox.set(EMPTY);
  if (loaded) loadInbox();
}

/** On login (or a start with a session): count now and keep it fresh. */
export function startInbox() {
  if (active) return;
  active = true;
  window.addEventListener('online', refreshUnread);
  document.addEventListener('visibilitychange', onVisible);
  unsubscribeLocale = onLocaleChange(onLanguage);
  refreshUnread();
}

/** On logout: forget this user's count and list. */
export function stopInbox() {
  active = false;
  countSeq += 1;
  window.removeEventListener('online', refreshUnread);
  document.removeEventListener('visibilitychange', onVisible);
  if (unsubscribeLocale) unsubscribeLocale();
  unsubscribeLocale = null;
  unreadCount.set(0);
  inbox.set(EMPTY);
}
