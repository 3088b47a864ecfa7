// A deal: stage, company, amount and dates, its contacts, then the timeline.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatDay, formatMoney, formatPercent } from '../format.js';
import { StageChip } from '../components/chips.js';
import { Documents } from '../components/documents.js';
import { Icon } from '../components/icons.js';
import { Page } from '../components/page.js';
import { RecordHeader, RelatedList } from '../components/record-header.js';
import { recordHref } from '../components/search-results.js';
import { Timeline } from '../components/timeline.js';
import { EditButton, LogButton, RecordPending, useRecord } from './record-page.js';

function recurring(deal) {
  if (!deal.recurring_amount) return null;
  return t('deal.recurring_value', {
    amount: formatMoney(deal.recurring_amount, deal.currency), months: deal.recurring_months || '?',
  });
}

export function DealView({ id }) {
  const { record, picklists } = useRecord('deal', id);
  const pending = RecordPending({ record });
  if (pending) return pending;

  const deal = record.data;
  const contacts = deal.contacts || [];
  const context = { company_id: deal.company_id, deal_id: deal.id, title: deal.name };
  const company = html`<a href=${recordHref('company', deal.company_id)} data-testid="deal-company">
    ${deal.company_name}</a>`;
  return html`<${Page} title=${deal.name} subtitle=${deal.company_name} back="/"
      actions=${html`<${EditButton} path=${`/deals/${deal.id}`} />`}
      footer=${html`<${LogButton} context=${context} />`}>
    <${RecordHeader} record=${deal} follow="deal" chips=${html`<${StageChip} stage=${deal.stage} />`} owner=${deal.owner_name}
      facts=${[
        [t('deal.company'), company],
        [t('deal.amount'), formatMoney(deal.amount, deal.currency)],
        [t('deal.recurring'), recurring(deal)],
        [t('deal.probability'), formatPercent(deal.probability)],
        [t('deal.expected_close'), formatDay(deal.expected_close_date)],
      ]} />
    <${RelatedList} id="deal-contacts" title=${t('deal.contacts')} items=${contacts}
      empty=${t('deal.no_contacts')}>
      ${contacts.map((link) => html`<li key=${link.contact_id}>
        <a class="list-row" href=${recordHref('contact', link.contact_id)}>
          <span class="type-icon type-contact"><${Icon} name="contact" /></span>
          <span class="list-text"><span class="list-title">${link.name}</span>
            ${link.role && html`<span class="list-subtitle">${link.role}</span>`}</span>
          <${Icon} name="chevron" size="20" />
        </a></li>`)}
    <//>
    <${Documents} entity="deal" id=${deal.id} />
    <${Timeline} type="deal" id=${deal.id} picklists=${picklists} />
  <//>`;
}
