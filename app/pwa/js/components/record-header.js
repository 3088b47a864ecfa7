// Header block of a record page: chips, owner and extra facts, then the action row.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { RecordAlertBadge } from './alert-badge.js';
import { FollowButton } from './follow-button.js';
import { PendingMark } from './pending-mark.js';

/** `record`: shows "En attente" / "À vérifier" while the device holds unsynced changes;
 *  `follow`: the record's type, for the "Suivre" button (its id is the record's). */
export function RecordHeader({ chips, owner, facts = [], record, follow, children }) {
  const marked = record && (record._pending || record._attention);
  return html`<section class="record-header" data-testid="record-header">
    ${(chips || marked || follow) && html`<div class="record-header-top">
      <p class="chip-row">${chips}<${PendingMark} record=${record} />${record && html`<${RecordAlertBadge} recordId=${record.id} />`}</p>
      ${follow && record && record.version !== null && html`<${FollowButton} type=${follow} id=${record.id} />`}
    </div>`}
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
