// Choose a company by searching (used by quick contact creation).
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useSearch } from '../hooks.js';
import { Field } from './field.js';
import { Icon } from './icons.js';

/** value: {id, name} | null */
export function CompanyPicker({ value, onChange, error }) {
  const [q, setQ] = useState('');
  const results = useSearch(q, { types: 'company' });
  if (value) {
    return html`<div class="field">
      <span class="label" id="picked-company">${t('contact.company')}</span>
      <p class="picked" aria-labelledby="picked-company">
        <span data-testid="picked-company">${value.name}</span>
        <button type="button" class="icon-button" onClick=${() => onChange(null)}
          aria-label=${t('picker.remove', { name: value.name })}><${Icon} name="close" /></button>
      </p>
    </div>`;
  }
  const items = results.items.filter((item) => item.type === 'company');
  return html`<div class="picker">
    <${Field} prefix="cp" name="company_search" type="search" label=${t('contact.company')}
      placeholder=${t('picker.placeholder')} value=${q} error=${error} autocomplete="off"
      onInput=${(e) => setQ(e.currentTarget.value)} data-testid="company-picker-input" />
    ${q.trim() && results.q && items.length === 0 && !results.loading
      && html`<p class="muted small" role="status">${t('search.no_results')}</p>`}
    <ul class="list picker-results" aria-label=${t('picker.results')}>
      ${items.map((item) => html`<li key=${item.id}>
        <button type="button" class="list-row" data-testid="company-picker-option"
          onClick=${() => { onChange({ id: item.id, name: item.title }); setQ(''); }}>
          <span class="list-text"><span class="list-title">${item.title}</span>
          ${item.subtitle && html`<span class="list-subtitle">${item.subtitle}</span>`}</span>
        </button></li>`)}
    </ul>
  </div>`;
}
