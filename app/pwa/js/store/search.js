// Global search (companies, contacts, deals): the server when online, the device otherwise
// (names, accent- and case-insensitive).
import { api } from '../api.js';
import { getLocale } from '../i18n/index.js';
import { localSearch } from './local.js';

/** {items: [{type, id, title, subtitle}]}; `types` e.g. "company" narrows it. Subtitles come
 *  back in the UI's language. */
export async function search(q, { types, signal } = {}) {
  if (navigator.onLine) {
    try {
      return await api('/search', { query: { q, types, locale: getLocale() }, signal });
    } catch (error) {
      if (error.status !== 0) throw error; // the network dropped: search the device instead
    }
  }
  return localSearch(q, types);
}
