// Reads from IndexedDB for the screens: timelines from the exchange indexes, a company's
// contacts and deals, and accent- and case-insensitive name search for offline use.
import { byIndex, getAll, getDB } from './db.js';

const newestFirst = (a, b) => b.starts_at.localeCompare(a.starts_at) || b.id.localeCompare(a.id);

function between(key) {
  return IDBKeyRange.bound([key, ''], [key, '\uffff']);
}

async function companyExchanges(companyId) {
  const [direct, contacts, deals] = await Promise.all([
    byIndex('exchanges', 'by_company', between(companyId)),
    byIndex('contacts', 'by_company', IDBKeyRange.only(companyId)),
    byIndex('deals', 'by_company', IDBKeyRange.only(companyId)),
  ]);
  // Same rules as the server's company timeline: a contact's exchange logged against another
  // of its companies stays over there.
  const viaContacts = (await Promise.all(contacts.map((c) => byIndex('exchanges', 'by_contact', between(c.id)))))
    .flat().filter((e) => !e.company_id || e.company_id === companyId);
  const viaDeals = (await Promise.all(deals.map((d) => byIndex('exchanges', 'by_deal', IDBKeyRange.only(d.id))))).flat();
  const unique = new Map([...direct, ...viaContacts, ...viaDeals].map((e) => [e.id, e]));
  return [...unique.values()];
}

async function withAttachments(exchanges) {
  const db = await getDB();
  const index = db.transaction('attachments').store.index('by_entity');
  return Promise.all(exchanges.map(async (e) => {
    const attachments = await index.getAll(['exchange', e.id]);
    return attachments.length ? { ...e, _attachments: attachments } : e;
  }));
}

/** Every exchange of the record held on the device, newest first, with attachment metadata. */
export async function localTimeline(type, id) {
  let items;
  if (type === 'company') items = await companyExchanges(id);
  else if (type === 'contact') items = await byIndex('exchanges', 'by_contact', between(id));
  else items = await byIndex('exchanges', 'by_deal', IDBKeyRange.only(id));
  return withAttachments(items.sort(newestFirst));
}

export async function localCompanyContacts(companyId) {
  const items = await byIndex('contacts', 'by_company', IDBKeyRange.only(companyId));
  return { items: items.sort((a, b) => (a.full_name || '').localeCompare(b.full_name || '', 'fr')) };
}

export async function localCompanyDeals(companyId) {
  const items = await byIndex('deals', 'by_company', IDBKeyRange.only(companyId));
  return { items: items.sort((a, b) => (a.name || '').localeCompare(b.name || '', 'fr')) };
}

/** My exchanges (author or participant) starting in [from, to), earliest first. */
export async function localMine(userId, { from, to, state, limit = Infinity, newest = false }) {
  const range = from || to ? IDBKeyRange.bound(from || '', to || '\uffff', false, true) : null;
  // Filtered during the walk: the home screen's 20 latest used to read every exchange first.
  const items = await byIndex('exchanges', 'by_starts', range, {
    reverse: newest,
    limit,
    filter: (e) => (e.created_by === userId || (e.participant_ids || []).includes(userId))
      && (!state || e.state === state),
  });
  return { items, next_cursor: null };
}

/** "Hélène" and "helene" are the same word for search. */
export function fold(text) {
  return (text || '').normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

function matches(words, ...texts) {
  const haystack = fold(texts.filter(Boolean).join(' ')).split(/[^\p{L}\p{N}]+/u);
  return words.every((word) => haystack.some((h) => h.startsWith(word)));
}

const SEARCHED = {
  company: ['companies', (c) => [c.name, c.city], (c) => ({ title: c.name, subtitle: c.city })],
  contact: ['contacts', (c) => [c.full_name, c.email], (c) => ({
    title: c.full_name, subtitle: c.job_title || ((c.companies || [])[0] || {}).name,
  })],
  deal: ['deals', (d) => [d.name, d.company_name], (d) => ({ title: d.name, subtitle: d.company_name })],
};

/** Prefix search over names on the device: {items: [{type, id, title, subtitle}]}. */
export async function localSearch(q, types, limit = 20) {
  const words = fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const wanted = types ? types.split(',') : Object.keys(SEARCHED);
  const groups = await Promise.all(wanted.map(async (type) => {
    const [store, texts, show] = SEARCHED[type];
    const found = (await getAll(store)).filter((r) => matches(words, ...texts(r)));
    return found.slice(0, limit).map((r) => ({ type, id: r.id, ...show(r) }));
  }));
  return { items: groups.flat() };
}
