// Exchanges: the home lists and quick logging. Creations are announced on a channel
// so every timeline showing the record can put the new item on top.
import { api } from '../api.js';
import { todayRange } from '../format.js';
import { uuid } from '../uuid.js';
import { createChannel } from './state.js';

export const exchangeCreated = createChannel();

/** Today's planned exchanges, earliest first (an agenda reads top-down). */
export async function listPlannedToday(signal) {
  const { from, to } = todayRange();
  const page = await api('/exchanges', { query: { mine: 1, state: 'planned', from, to }, signal });
  const items = [...page.items].sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  return { ...page, items };
}

export function listRecentDone(signal) {
  return api('/exchanges', { query: { mine: 1, state: 'done', limit: 20 }, signal });
}

/** POST a done exchange with a client id; resolves to the stored exchange. */
export async function logExchange(fields) {
  const body = {
    id: uuid(),
    state: 'done',
    outcome: null,
    subject: null,
    details: null,
    ends_at: null,
    company_id: null,
    contact_id: null,
    deal_ids: [],
    participant_ids: [],
    private: false,
    location: null,
    ...fields,
  };
  const exchange = await api('/exchanges', { method: 'POST', body });
  exchangeCreated.emit(exchange);
  return exchange;
}

/** Whether an exchange belongs on the timeline of record (type, id). */
export function concerns(exchange, type, recordId) {
  if (type === 'company') return exchange.company_id === recordId;
  if (type === 'contact') return exchange.contact_id === recordId;
  return (exchange.deal_ids || []).includes(recordId);
}
