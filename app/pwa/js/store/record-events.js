// A record's timeline events (created, stage moved, won, lost, owner changed...): read-only
// system lines, from the device once it has synced, else the server's newest page.
import { api } from '../api.js';
import { getLocale } from '../i18n/index.js';
import { hasSynced } from '../sync/pull.js';
import { byIndex } from './db.js';

const PATHS = { company: 'companies', contact: 'contacts', deal: 'deals' };

const newestFirst = (a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id);

/** {title, body} in the app's language: synced events carry every language's texts. */
export function eventTexts(event) {
  if (event.texts) {
    const texts = event.texts[getLocale()] || event.texts.fr || Object.values(event.texts)[0] || {};
    return { title: texts.title || '', body: texts.body || '' };
  }
  return { title: event.title || '', body: event.body || '' };
}

/** The record's events, newest first: [] when none (or an older server without them). */
export async function listRecordEvents(type, id, signal) {
  if (await hasSynced()) {
    const items = await byIndex('record_events', 'by_record_at', IDBKeyRange.bound([id, ''], [id, '\uffff']));
    return items.filter((e) => e.record_type === type).sort(newestFirst);
  }
  try {
    const page = await api(`/${PATHS[type]}/${encodeURIComponent(id)}/events`, { query: { limit: 200 }, signal });
    return page.items;
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    return []; // the exchanges still show; events come with the next sync
  }
}
