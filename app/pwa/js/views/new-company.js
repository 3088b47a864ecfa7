// Quick creation of a company: the essentials only, the rest later on a desk.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { navigate } from '../router.js';
import { createCompany } from '../store/records.js';
import {
  Field, FormErrors, fieldErrors, requiredError, useForm, useRevealErrors,
} from '../components/field.js';
import { Page } from '../components/page.js';

const FIELDS = ['name', 'status', 'phone', 'email', 'street', 'postal_code', 'city'];
const STATUSES = ['prospect', 'client', 'suspect'];

export function NewCompanyView() {
  const { values, bind } = useForm({ name: '', status: 'prospect', phone: '', email: '', street: '', postal_code: '', city: '' });
  const [state, setState] = useState({ busy: false, error: null });
  const errors = fieldErrors(state.error);
  const formRef = useRevealErrors(state.error);

  const submit = async (event) => {
    event.preventDefault();
    const missing = requiredError(values, ['name']);
    if (missing) return setState({ busy: false, error: missing });
    setState({ busy: true, error: null });
    try {
      const company = await createCompany({ ...values, name: values.name.trim() });
      navigate(`/companies/${company.id}`, { replace: true });
    } catch (error) {
      setState({ busy: false, error });
    }
  };

  const field = (name, props = {}) => html`<${Field} prefix="nc" label=${t(`company.${name}`)}
    error=${errors[name]} ...${bind(name)} ...${props} />`;
  return html`<${Page} title=${t('company.new')} back="/">
    <form class="stack form" ref=${formRef} onSubmit=${submit} novalidate
      data-testid="new-company-form">
      <${FormErrors} error=${state.error} shown=${FIELDS} />
      ${field('name', { required: true, autocomplete: 'organization' })}
      <${Field} as="select" prefix="nc" label=${t('company.status')} error=${errors.status}
        ...${bind('status')}>
        ${STATUSES.map((s) => html`<option key=${s} value=${s}>${t(`status.${s}`)}</option>`)}
      <//>
      ${field('phone', { type: 'tel', autocomplete: 'tel' })}
      ${field('email', { type: 'email', autocomplete: 'email', autocapitalize: 'none' })}
      ${field('street', { autocomplete: 'street-address' })}
      <div class="field-row">
        ${field('postal_code', { inputmode: 'numeric', autocomplete: 'postal-code' })}
        ${field('city', { autocomplete: 'address-level2' })}
      </div>
      <button type="submit" class="button primary wide" disabled=${state.busy}
        data-testid="new-company-save">${state.busy ? t('common.saving') : t('common.create')}</button>
    </form>
  <//>`;
}
