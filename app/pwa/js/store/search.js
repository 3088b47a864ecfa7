// Global search (companies, contacts, deals).
import { api } from '../api.js';
import { getLocale } from '../i18n/index.js';

/** {items: [{type, id, title, subtitle}]}; `types` e.g. "company" narrows it. Subtitles come
 *  back in the UI's language. */
export function search(q, { types, signal } = {}) {
  return api('/search', { query: { q, types, locale: getLocale() }, signal });
}
