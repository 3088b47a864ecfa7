// A company: status, owner, call / mail / map, its contacts and deals, then the timeline.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatMoney } from '../format.js';
import { useLive } from '../hooks.js';
import { listCompanyContacts, listCompanyDeals } from '../store/records.js';
import { ActionRow, CallAction, MailAction, MapAction, WebAction } from '../components/actions.js';
import { StageChip, StatusChip } from '../components/chips.js';
import { Documents } from '../components/documents.js';
import { Icon } from '../components/icons.js';
import { Page } from '../components/page.js';
import { RecordHeader, RelatedList } from '../components/record-header.js';
import { recordHref } from '../components/search-results.js';
import { Timeline } from '../components/timeline.js';
import { EditButton, LogButton, RecordPending, useRecord } from './record-page.js';

function ContactRow({ contact, company }) {
  const phone = contact.mobile || contact.phone;
  const role = (contact.companies || []).find((link) => link.company_id === company.id);
  return html`<li class="list-row-with-action">
    <a class="list-row" href=${recordHref('contact', contact.id)} data-testid="company-contact">
      <span class="list-text"><span class="list-title">${contact.full_name}</span>
        <span class="list-subtitle">${(role && role.role) || contact.job_title || ''}</span></span>
    </a>
    ${phone && html`<${CallAction} phone=${phone} label=${t('action.call_short')} testid="contact-call"
      call=${{ name: contact.full_name, contact_id: contact.id, company_id: company.id }} />`}
  </li>`;
}

function DealRow({ deal }) {
  return html`<li><a class="list-row" href=${recordHref('deal', deal.id)} data-testid="company-deal">
    <span class="list-text"><span class="list-title">${deal.name}</span>
      <span class="list-subtitle">${formatMoney(deal.amount, deal.currency)}</span></span>
    <${StageChip} stage=${deal.stage} /><${Icon} name="chevron" size="20" />
  </a></li>`;
}

export function CompanyView({ id }) {
  const { record, picklists } = useRecord('company', id);
  const contacts = useLive((signal) => listCompanyContacts(id, signal), [id]);
  const deals = useLive((signal) => listCompanyDeals(id, signal), [id]);
  const pending = RecordPending({ record });
  if (pending) return pending;

  const company = record.data;
  const address = [company.street, [company.postal_code, company.city].filter(Boolean).join(' '), company.country];
  const context = { company_id: company.id, title: company.name };
  const addContact = html`<a class="button small" href=${`#/new/contact?company=${company.id}`}
    data-testid="add-contact"><${Icon} name="plus" size="18" />${t('company.add_contact')}</a>`;
  return html`<${Page} title=${company.name} subtitle=${company.city} back="/"
      actions=${html`<${EditButton} path=${`/companies/${company.id}`} />`}
      footer=${html`<${LogButton} context=${context} />`}>
    <${RecordHeader} record=${company} follow="company" chips=${html`<${StatusChip} status=${company.status} />`} owner=${company.owner_name}
      facts=${[[t('company.address'), address.slice(0, 2).filter(Boolean).join(', ')]]}>
      <${ActionRow}>
        <${CallAction} phone=${company.phone} call=${{ name: company.name, company_id: company.id }} />
        <${MailAction} email=${company.email} />
        <${MapAction} address=${address} />
        <${WebAction} website=${company.website} />
      <//>
    <//>
    <${RelatedList} id="company-contacts" title=${t('company.contacts')} action=${addContact}
      items=${(contacts.data && contacts.data.items) || []} empty=${contacts.loading ? t('common.loading') : t('company.no_contacts')}>
      ${contacts.data && contacts.data.items.map((c) => html`<${ContactRow} key=${c.id} contact=${c} company=${company} />`)}
    <//>
    <${RelatedList} id="company-deals" title=${t('company.deals')}
      items=${(deals.data && deals.data.items) || []} empty=${deals.loading ? t('common.loading') : t('company.no_deals')}>
      ${deals.data && deals.data.items.map((d) => html`<${DealRow} key=${d.id} deal=${d} />`)}
    <//>
    <${Documents} entity="company" id=${company.id} />
    <${Timeline} type="company" id=${company.id} picklists=${picklists} />
  <//>`;
}
