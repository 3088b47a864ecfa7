// Exchanges: the home lists and quick logging (through the outbox, with photos queued right
// after their exchange). Creations are announced on a channel so every timeline showing the
// record can put the new item on top.
import { api } from '../api.js';
import { todayRange } from '../format.js';
import { afterWrite } from '../sync/engine.js';
import { enqueue } from '../sync/outbox.js';
import { hasSynced } from '../sync/pull.js';
import { uuid } from '../uuid.js';
import { uploadMutation } from './attachments.js';
import { getOne } from './db.js';
import { localMine } from './local.js';
import { session } from './session.js';
import { createChannel } from './state.js';

export const exchangeCreated = createChannel();

const me = () => (session.get().user || {}).id;

/** Today's planned exchanges, earliest first (an agenda reads top-down). */
export async function listPlannedToday(signal) {
  const { from, to } = todayRange();
  if (await hasSynced()) return localMine(me(), { from, to, state: 'planned' });
  const page = await api('/exchanges', { query: { mine: 1, state: 'planned', from, to }, signal });
  const items = [...page.items].sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  return { ...page, items };
}

export async function listRecentDone(signal) {
  if (await hasSynced()) return localMine(me(), { state: 'done', limit: 20, newest: true });
  return api('/exchanges', { query: { mine: 1, state: 'done', limit: 20 }, signal });
}

/** "2026-11-24T09:30:00Z": whole seconds, the server's format, so local and synced sort alike. */
function isoSeconds(value) {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function shownNames(exchange) {
  const [company, contact] = await Promise.all([
    exchange.company_id ? getOne('company', exchange.company_id) : null,
    exchange.contact_id ? getOne('contact', exchange.contact_id) : null,
  ]);
  const user = session.get().user || {};
  return {
    company_name: company ? company.name : null,
    contact_name: contact ? contact.full_name : null,
    created_by: user.id || null,
    created_by_name: user.name || null,
    version: null,
  };
}

/** Log a done exchange on the device (and its photos: [{blob, filename}]); resolves to it. */
export async function logExchange(fields, photos = []) {
  const data = {
    id: uuid(), state: 'done', outcome: null, subject: null, details: null, ends_at: null,
    company_id: null, contact_id: null, deal_ids: [], participant_ids: [], private: false,
    location: null, ...fields,
  };
  data.starts_at = isoSeconds(data.starts_at);
  if (data.ends_at) data.ends_at = isoSeconds(data.ends_at);
  const local = { ...data, ...(await shownNames(data)) };
  const attachments = photos.map((photo) => uploadMutation('exchange', data.id, photo));
  await enqueue([
    { entity: 'exchange', op: 'create', id: data.id, data, local },
    ...attachments,
  ]);
  afterWrite();
  const shown = { ...local, _pending: true, _attachments: attachments.map((a) => ({ ...a.local, _pending: true })) };
  exchangeCreated.emit(shown);
  return shown;
}

/** Whether an exchange belongs on the timeline of record (type, id). */
export function concerns(exchange, type, recordId) {
  if (type === 'company') return exchange.company_id === recordId;
  if (type === 'contact') return exchange.contact_id === recordId;
  return (exchange.deal_ids || []).includes(recordId);
}
