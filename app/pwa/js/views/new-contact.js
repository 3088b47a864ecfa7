// Quick creation of a contact, linked to a company found by search (or given in the URL).
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useAsync } from '../hooks.js';
import { navigate } from '../router.js';
import { createContact, getRecord } from '../store/records.js';
import { CompanyPicker } from '../components/company-picker.js';
import {
  Field, FormErrors, fieldErrors, requiredError, useForm, useRevealErrors,
} from '../components/field.js';
import { Page } from '../components/page.js';

const FIELDS = ['first_name', 'last_name', 'job_title', 'mobile', 'phone', 'email', 'companies'];

function useGivenCompany(companyId, setCompany) {
  useAsync(async (signal) => {
    if (!companyId) return null;
    const company = await getRecord('company', companyId, signal);
    setCompany((current) => current || { id: company.id, name: company.name });
    return company;
  }, [companyId]);
}

export function NewContactView({ query }) {
  const { values, bind } = useForm({ first_name: '', last_name: '', job_title: '', mobile: '', phone: '', email: '', role: '' });
  const [company, setCompany] = useState(null);
  const [state, setState] = useState({ busy: false, error: null });
  useGivenCompany(query.company, setCompany);
  const errors = fieldErrors(state.error);
  const formRef = useRevealErrors(state.error);

  const submit = async (event) => {
    event.preventDefault();
    const missing = requiredError(values, ['last_name']);
    if (missing) return setState({ busy: false, error: missing });
    setState({ busy: true, error: null });
    const { role, ...fields } = values;
    const companies = company ? [{ company_id: company.id, role: role.trim() || null }] : [];
    try {
      const contact = await createContact({ ...fields, companies });
      navigate(`/contacts/${contact.id}`, { replace: true });
    } catch (error) {
      setState({ busy: false, error });
    }
  };

  const field = (name, props = {}) => html`<${Field} prefix="nk" label=${t(`contact.${name}`)}
    error=${errors[name]} ...${bind(name)} ...${props} />`;
  return html`<${Page} title=${t('contact.new')} back="/">
    <form class="stack form" ref=${formRef} onSubmit=${submit} novalidate
      data-testid="new-contact-form">
      <${FormErrors} error=${state.error} shown=${FIELDS} />
      <div class="field-row">
        ${field('first_name', { autocomplete: 'given-name' })}
        ${field('last_name', { required: true, autocomplete: 'family-name' })}
      </div>
      ${field('job_title', { autocomplete: 'organization-title' })}
      ${field('mobile', { type: 'tel', autocomplete: 'tel' })}
      ${field('phone', { type: 'tel' })}
      ${field('email', { type: 'email', autocomplete: 'email', autocapitalize: 'none' })}
      <${CompanyPicker} value=${company} onChange=${setCompany} error=${errors.companies} />
      ${company && field('role', { placeholder: t('contact.role_hint') })}
      <button type="submit" class="button primary wide" disabled=${state.busy}
        data-testid="new-contact-save">${state.busy ? t('common.saving') : t('common.create')}</button>
    </form>
  <//>`;
}
