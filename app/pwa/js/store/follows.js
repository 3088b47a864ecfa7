// Follows of a company, contact or deal (online only: they are not in the offline working set).
import { api } from '../api.js';

const id = encodeURIComponent;

/** The kinds of fact a follower of this record type hears of (docs/work-items.md), to choose
 *  from (null on the server = all). A reassignment tells only the new owner: not offered. */
export const FOLLOW_KINDS = {
  company: ['exchange_logged'],
  contact: ['exchange_logged'],
  deal: ['exchange_logged', 'deal_stage_changed', 'deal_won', 'deal_lost'],
};

/** {record_type, record_id, following, kinds, reason} (following false when never followed). */
export function getFollow(type, recordId, signal) {
  return api(`/follows/${type}/${id(recordId)}`, { signal });
}

/** Follow (kinds: a list, or null for every kind) or stop following; resolves to the follow. */
export function setFollow(type, recordId, { following, kinds = null }) {
  return api(`/follows/${type}/${id(recordId)}`, { method: 'PUT', body: { following, kinds } });
}
