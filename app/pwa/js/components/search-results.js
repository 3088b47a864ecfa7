// Search results grouped by type (companies, contacts, deals); a tap opens the record.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { href } from '../router.js';
import { Icon } from './icons.js';

export const RECORD_PATHS = { company: '/companies', contact: '/contacts', deal: '/deals' };
const ORDER = ['company', 'contact', 'deal'];

export function recordHref(type, id) {
  return href(`${RECORD_PATHS[type]}/${encodeURIComponent(id)}`);
}

export function SearchResults({ items }) {
  const groups = ORDER.map((type) => [type, items.filter((item) => item.type === type)])
    .filter(([, group]) => group.length > 0);
  return groups.map(([type, group]) => html`<section class="section" key=${type}
      aria-labelledby=${`results-${type}`}>
    <h2 id=${`results-${type}`}>${t(`type.${type}.plural`)}</h2>
    <ul class="list" data-testid=${`results-${type}`}>
      ${group.map((item) => html`<li key=${item.id}>
        <a class="list-row" href=${recordHref(type, item.id)} data-testid="search-result">
          <span class=${`type-icon type-${type}`}><${Icon} name=${type} /></span>
          <span class="list-text">
            <span class="list-title">${item.title}</span>
            ${item.subtitle && html`<span class="list-subtitle">${item.subtitle}</span>`}
          </span>
          <span class="visually-hidden">(${t(`type.${type}`)})</span>
          <${Icon} name="chevron" size="20" />
        </a></li>`)}
    </ul>
  </section>`);
}
