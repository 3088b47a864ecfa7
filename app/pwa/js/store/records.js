// Companies, contacts and deals. Views call these, never fetch() nor IndexedDB: reads come
// from the device first (the network only for what it does not hold), writes go through the
// outbox (the record is stored locally with its mutation, then synced).
import { api } from '../api.js';
import { afterWrite } from '../sync/engine.js';
import { enqueue } from '../sync/outbox.js';
import { hasSynced } from '../sync/pull.js';
import { uuid } from '../uuid.js';
import { getOne } from './db.js';
import { localCompanyContacts, localCompanyDeals } from './local.js';

const PATHS = { company: 'companies', contact: 'contacts', deal: 'deals' };
const id = encodeURIComponent;

export async function getRecord(type, recordId, signal) {
  return (await getOne(type, recordId)) || api(`/${PATHS[type]}/${id(recordId)}`, { signal });
}

export async function listCompanyContacts(companyId, signal) {
  if (await hasSynced()) return localCompanyContacts(companyId);
  return api('/contacts', { query: { company_id: companyId, limit: 200 }, signal });
}

export async function listCompanyDeals(companyId, signal) {
  if (await hasSynced()) return localCompanyDeals(companyId);
  return api('/deals', { query: { company_id: companyId, limit: 200 }, signal });
}

/** One page of a record's timeline from the server: {items, next_cursor}. */
export function getTimeline(type, recordId, cursor, signal) {
  return api(`/${PATHS[type]}/${id(recordId)}/timeline`, { query: { cursor }, signal });
}

function blanksToNull(data) {
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, value === '' ? null : value]),
  );
}

function fullName(contact) {
  return [contact.first_name, contact.last_name].filter(Boolean).join(' ');
}

async function create(entity, data, shown = {}) {
  const record = { id: uuid(), ...data };
  await enqueue([{ entity, op: 'create', id: record.id, data: record, local: { ...record, ...shown, version: null } }]);
  afterWrite();
  return record;
}

export function createCompany(data) {
  return create('company', blanksToNull(data));
}

/** companies: [{company_id, name, role}] (the name is shown locally, never sent). */
export function createContact({ companies = [], ...data }) {
  const fields = blanksToNull(data);
  const links = companies.map(({ company_id: companyId, role }) => ({ company_id: companyId, role }));
  return create('contact', { ...fields, companies: links }, { companies, full_name: fullName(fields) });
}

/** Queue an edit of the fields in `changes` against the version shown (null while an
 *  earlier change of the record is still queued: the drain fills it in). */
export async function updateRecord(entity, current, changes, baseVersion) {
  const local = (await getOne(entity, current.id)) || current;
  const data = blanksToNull(changes);
  const merged = { ...local, ...data };
  if (entity === 'contact') merged.full_name = fullName(merged);
  const base = baseVersion !== undefined ? baseVersion : (local._pending ? null : local.version);
  await enqueue([{ entity, op: 'update', id: current.id, data, base_version: base, local: merged }]);
  afterWrite();
  return merged;
}
