// A contact: job, companies, call (mobile / landline) and mail, then the timeline.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { ActionRow, CallAction, MailAction } from '../components/actions.js';
import { Icon } from '../components/icons.js';
import { Page } from '../components/page.js';
import { RecordHeader, RelatedList } from '../components/record-header.js';
import { recordHref } from '../components/search-results.js';
import { Timeline } from '../components/timeline.js';
import { EditButton, LogButton, RecordPending, useRecord } from './record-page.js';

export function ContactView({ id }) {
  const { record, picklists } = useRecord('contact', id);
  const pending = RecordPending({ record });
  if (pending) return pending;

  const contact = record.data;
  const companies = contact.companies || [];
  const main = companies[0];
  const call = { name: contact.full_name, contact_id: contact.id, company_id: main && main.company_id };
  const context = { contact_id: contact.id, company_id: main && main.company_id, title: contact.full_name };
  return html`<${Page} title=${contact.full_name} subtitle=${contact.job_title} back="/"
      actions=${html`<${EditButton} path=${`/contacts/${contact.id}`} />`}
      footer=${html`<${LogButton} context=${context} />`}>
    <${RecordHeader} record=${contact} follow="contact" owner=${contact.owner_name}
      facts=${[[t('contact.mobile'), contact.mobile], [t('contact.phone'), contact.phone], [t('contact.email'), contact.email]]}>
      <${ActionRow}>
        <${CallAction} phone=${contact.mobile} call=${call} label=${t('action.call_mobile')} testid="action-call-mobile" />
        <${CallAction} phone=${contact.phone} call=${call} label=${t('action.call_phone')} />
        <${MailAction} email=${contact.email} />
      <//>
    <//>
    <${RelatedList} id="contact-companies" title=${t('contact.companies')} items=${companies}
      empty=${t('contact.no_companies')}>
      ${companies.map((link) => html`<li key=${link.company_id}>
        <a class="list-row" href=${recordHref('company', link.company_id)} data-testid="contact-company">
          <span class="type-icon type-company"><${Icon} name="company" /></span>
          <span class="list-text"><span class="list-title">${link.name}</span>
            ${link.role && html`<span class="list-subtitle">${link.role}</span>`}</span>
          <${Icon} name="chevron" size="20" />
        </a></li>`)}
    <//>
    <${Timeline} type="contact" id=${contact.id} picklists=${picklists} />
  <//>`;
}
