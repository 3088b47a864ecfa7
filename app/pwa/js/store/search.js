// Global search (companies, contacts, deals).
import { api } from '../api.js';

/** {items: [{type, id, title, subtitle}]}; `types` e.g. "company" narrows it. */
export function search(q, { types, signal } = {}) {
  return api('/search', { query: { q, types }, signal });
}
