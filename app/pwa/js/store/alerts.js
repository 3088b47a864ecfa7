// Alerts raised by the server's rules (synced, entity "alert"): read from the device, acted on
// through the outbox (an `update` of {state, snoozed_until}, so it works offline), and the
// remedies that open other screens (quick-log, the owner picker, a task).
import { api } from '../api.js';
import { afterWrite } from '../sync/engine.js';
import { enqueue } from '../sync/outbox.js';
import { hasSynced } from '../sync/pull.js';
import { navigate } from '../router.js';
import { byIndex, countByIndex, getAll, getOne } from './db.js';
import { createState } from './state.js';
import { openQuickLog } from './ui.js';

export const LIVE_STATES = ['open', 'acknowledged', 'snoozed'];
/** States of a situation still there, not put off: record pages show these. */
export const ACTIVE_STATES = ['open', 'acknowledged'];
export const SNOOZE_DAYS = 7;
/** Remedies that change the alert itself (the others open a screen). */
export const STATE_ACTIONS = ['snooze', 'acknowledge', 'dismiss'];
export const ROUTES = { company: 'companies', contact: 'contacts', deal: 'deals', task: 'tasks' };

// The owner picker's record ({type, id, title}) while it is open, else null.
export const reassigning = createState(null);

const newestFirst = (a, b) => String(b.created_at || '').localeCompare(String(a.created_at || ''));

/** The live alerts (open, acknowledged, snoozed), newest first; `recordId` keeps one record's. */
export async function listAlerts({ recordId, signal } = {}) {
  let items;
  if (await hasSynced()) {
    items = recordId ? await byIndex('alerts', 'by_record', recordId) : await getAll('alerts');
  } else {
    const page = await api('/alerts', { signal });
    items = page.items.filter((a) => !recordId || a.record_id === recordId);
  }
  return items.filter((a) => LIVE_STATES.includes(a.state)).sort(newestFirst);
}

/** How many alerts are open (not yet seen, snoozed or dismissed), for the home badge, as the
 *  server's /api/alerts/counts counts them. */
export async function countOpen() {
  if (!(await hasSynced())) return 0;
  return countByIndex('alerts', 'by_state', 'open');
}

/** The record's alerts that ask for something (the badge on its page). */
export async function activeForRecord(recordId) {
  if (!recordId || !(await hasSynced())) return [];
  return (await byIndex('alerts', 'by_record', recordId)).filter((a) => ACTIVE_STATES.includes(a.state));
}

/** One alert: the device's copy, else the server's (a push tapped before the pull brought it). */
export async function getAlert(id, signal) {
  return (await getOne('alert', id)) || api(`/alerts/${encodeURIComponent(id)}`, { signal });
}

function isoSeconds(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The fields an action sets. */
export function changesFor(action, now = new Date()) {
  if (action === 'snooze') {
    return { state: 'snoozed', snoozed_until: isoSeconds(new Date(now.getTime() + SNOOZE_DAYS * 86_400_000)) };
  }
  if (action === 'acknowledge') return { state: 'acknowledged', snoozed_until: null };
  if (action === 'dismiss') return { state: 'dismissed', snoozed_until: null };
  throw new Error(`not a state action: ${action}`);
}

/** Snooze, acknowledge or dismiss: stored on the device with its mutation, then synced. */
export async function setAlertState(alert, action, now = new Date()) {
  const local = (await getOne('alert', alert.id)) || alert;
  const data = changesFor(action, now);
  const base = local._pending ? null : local.version;
  const merged = { ...local, ...data };
  await enqueue([{ entity: 'alert', op: 'update', id: alert.id, data, base_version: base, local: merged }]);
  afterWrite();
  return { ...merged, _pending: true };
}

/** Where the alert's record opens ("#/deals/<id>"). */
export function recordHref(alert) {
  const route = ROUTES[alert.record_type];
  return route ? `#/${route}/${encodeURIComponent(alert.record_id)}` : null;
}

/** The quick-log context for the alert's record (its company too, for a deal or contact). */
async function logContext(alert) {
  const title = (alert.record && alert.record.title) || '';
  const record = await getOne(alert.record_type, alert.record_id).catch(() => null);
  if (alert.record_type === 'company') return { company_id: alert.record_id, title };
  if (alert.record_type === 'deal') {
    return { deal_id: alert.record_id, company_id: record ? record.company_id : null, title };
  }
  if (alert.record_type === 'contact') {
    const main = record && (record.companies || [])[0];
    return { contact_id: alert.record_id, company_id: main ? main.company_id : null, title };
  }
  return null;
}

/** Tomorrow at 09:00, local time. */
export function tomorrowNine(now = new Date()) {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0, 0);
}

/** Run a remedy: the state ones through the outbox (resolves to the new alert), the others
 *  open what the user needs to act (resolves to null). */
export async function runRemedy(alert, action) {
  if (STATE_ACTIONS.includes(action)) return setAlertState(alert, action);
  if (action === 'log_call' || action === 'plan_visit') {
    const context = await logContext(alert);
    if (!context) return null;
    const preset = action === 'log_call'
      ? { kind: 'call' }
      : { kind: 'visit', state: 'planned', starts_at: tomorrowNine() };
    openQuickLog({ ...context, preset });
  } else if (action === 'reassign') {
    reassigning.set({ type: alert.record_type, id: alert.record_id,
      title: (alert.record && alert.record.title) || '' });
  } else if (action === 'open_task') {
    navigate(`/tasks/${alert.record_type === 'task' ? alert.record_id : ''}`);
  }
  return null;
}
