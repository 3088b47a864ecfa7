// Follows of a company, contact or deal (online only: they are not in the offline working set).
import { api } from '../api.js';

const id = encodeURIComponent;

/** The kinds a follow of this record type can choose from (null on the server = all). */
export const FOLLOW_KINDS = {
  company: ['exchange_logged', 'owner_changed'],
  contact: ['exchange_logged', 'owner_changed'],
  deal: ['exchange_logged', 'deal_stage_changed', 'deal_won', 'deal_lost', 'owner_changed'],
};

/** {record_type, record_id, following, kinds, reason} (following false when never followed). */
export function getFollow(type, recordId, signal) {
  return api(`/follows/${type}/${id(recordId)}`, { signal });
}

/** Follow (kinds: a list, or null for every kind) or stop following; resolves to the follow. */
export function setFollow(type, recordId, { following, kinds = null }) {
  return api(`/follows/${type}/${id(recordId)}`, { method: 'PUT', body: { following, kinds } });
}
