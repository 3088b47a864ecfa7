// The agenda (my planned exchanges, today and the next six days) and the secret calendar feed.
// The agenda comes from the server when it answers, else from the device's exchanges.
import { api } from '../api.js';
import { hasSynced } from '../sync/pull.js';
import { localMine } from './local.js';
import { session } from './session.js';

export const AGENDA_DAYS = 7;

/** [today 00:00, today + days 00:00) in local time, as ISO UTC strings. */
export function agendaRange(now = new Date(), days = AGENDA_DAYS) {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  return { from: start.toISOString(), to: end.toISOString() };
}

async function localAgenda({ from, to }) {
  const me = (session.get().user || {}).id;
  const { items } = await localMine(me, { from, to, state: 'planned' });
  return { items, offline: true };
}

/** {items: planned exchanges by start, offline: whether they come from the device}. */
export async function loadAgenda(signal, range = agendaRange()) {
  if (navigator.onLine || !(await hasSynced())) {
    try {
      const page = await api('/agenda', { query: range, signal });
      const items = [...page.items].sort((a, b) => a.starts_at.localeCompare(b.starts_at));
      return { items, offline: false };
    } catch (error) {
      if (error.status !== 0 || !(await hasSynced())) throw error;
    }
  }
  return localAgenda(range);
}

/** "2026-11-24" in local time: the day an appointment falls on for this user. */
export function localDay(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** [{day, items}] in order, today first even when empty. */
export function groupByDay(items, now = new Date()) {
  const today = localDay(now.toISOString());
  const days = new Map([[today, []]]);
  for (const item of items) {
    const day = localDay(item.starts_at);
    if (!days.has(day)) days.set(day, []);
    days.get(day).push(item);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, list]) => ({ day, items: list }));
}

/** {url}: my secret iCalendar address (made on first ask). */
export function getCalendarFeed(signal) {
  return api('/calendar-feed', { signal });
}

/** {url}: a new address; the old one stops working. */
export function rotateCalendarFeed() {
  return api('/calendar-feed/rotate', { method: 'POST' });
}
