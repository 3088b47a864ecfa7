// Companies, contacts, deals and their timelines. Views call these, never fetch().
// (The offline issue puts IndexedDB behind the same functions.)
import { api } from '../api.js';
import { uuid } from '../uuid.js';

const PATHS = { company: 'companies', contact: 'contacts', deal: 'deals' };
const id = encodeURIComponent;

export function getRecord(type, recordId, signal) {
  return api(`/${PATHS[type]}/${id(recordId)}`, { signal });
}

export function listCompanyContacts(companyId, signal) {
  return api('/contacts', { query: { company_id: companyId, limit: 200 }, signal });
}

export function listCompanyDeals(companyId, signal) {
  return api('/deals', { query: { company_id: companyId, limit: 200 }, signal });
}

/** One page of a record's timeline: {items, next_cursor}. */
export function getTimeline(type, recordId, cursor, signal) {
  return api(`/${PATHS[type]}/${id(recordId)}/timeline`, { query: { cursor }, signal });
}

function blanksToNull(data) {
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, value === '' ? null : value]),
  );
}

export function createCompany(data) {
  return api('/companies', { method: 'POST', body: { id: uuid(), ...blanksToNull(data) } });
}

export function createContact({ companies = [], ...data }) {
  return api('/contacts', {
    method: 'POST',
    body: { id: uuid(), ...blanksToNull(data), companies },
  });
}
