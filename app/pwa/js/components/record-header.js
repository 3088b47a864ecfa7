// Header block of a record page: chips, owner and extra facts, then the action row.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { PendingMark } from './pending-mark.js';

/** `record`: shows "En attente" / "À vérifier" while the device holds unsynced changes. */
export function RecordHeader({ chips, owner, facts = [], record, children }) {
  const marked = record && (record._pending || record._attention);
  return html`<section class="record-header" data-testid="record-header">
    ${(chips || marked) && html`<p class="chip-row">${chips}<${PendingMark} record=${record} /></p>`}
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
