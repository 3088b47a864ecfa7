// Header block of a record page: chips, owner and extra facts, then the action row.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';

export function RecordHeader({ chips, owner, facts = [], children }) {
  return html`<section class="record-header" data-testid="record-header">
    ${chips && html`<p class="chip-row">${chips}</p>`}
    <dl class="facts">
      ${facts.filter(([, value]) => value).map(([label, value]) => html`<div key=${label}>
        <dt>${label}</dt><dd>${value}</dd></div>`)}
      ${owner && html`<div><dt>${t('record.owner')}</dt><dd>${owner}</dd></div>`}
    </dl>
    ${children}
  </section>`;
}

export function RelatedList({ title, id, items, empty, action, children }) {
  return html`<section class="section" aria-labelledby=${id}>
    <div class="section-head"><h2 id=${id}>${title}</h2>${action}</div>
    ${items.length === 0
      ? html`<p class="muted">${empty}</p>`
      : html`<ul class="list">${children}</ul>`}
  </section>`;
}
