// Edit a company, a contact or a deal on the device: only the changed fields are queued, against the
// version on screen (a conflict comes back through "À vérifier").
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useAsync } from '../hooks.js';
import { goBack } from '../router.js';
import { getRecord, updateRecord } from '../store/records.js';
import { showToast } from '../store/ui.js';
import { Field, FormErrors, fieldErrors, requiredError, useForm } from '../components/field.js';
import { Page } from '../components/page.js';
import { Loading } from '../components/status.js';

export const EDITED = {
  company: { path: '/companies', required: ['name'], fields: ['name', 'phone', 'email', 'street', 'postal_code', 'city'] },
  contact: { path: '/contacts', required: ['last_name'], fields: ['first_name', 'last_name', 'job_title', 'mobile', 'phone', 'email'] },
  deal: { path: '/deals', required: ['name'], fields: ['name', 'stage', 'amount', 'expected_close_date'] },
};
const STAGES = ['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost'];
// Controls that are not plain text; an emptied optional field is sent as null.
const CONTROLS = {
  stage: { as: 'select' },
  amount: { inputmode: 'decimal' },
  expected_close_date: { type: 'date' },
};

/** What the user typed, as the API wants it ("1 234,50" -> "1234.50"; "" -> null). */
function clean(name, value, required) {
  const text = String(value).trim();
  if (!text) return required ? text : null;
  return name === 'amount' ? text.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.') : text;
}

function Form({ type, record }) {
  const { fields, required, path } = EDITED[type];
  const initial = Object.fromEntries(fields.map((name) => [name, record[name] ?? '']));
  const { values, bind } = useForm(initial);
  const [state, setState] = useState({ busy: false, error: null });
  const errors = fieldErrors(state.error);
  const back = `${path}/${record.id}`;

  const submit = async (event) => {
    event.preventDefault();
    const missing = requiredError(values, required);
    if (missing) return setState({ busy: false, error: missing });
    const changes = Object.fromEntries(fields.filter((n) => values[n] !== initial[n])
      .map((n) => [n, clean(n, values[n], required.includes(n))]));
    if (Object.keys(changes).length) {
      setState({ busy: true, error: null });
      await updateRecord(type, record, changes);
      showToast(t('edit.saved'));
    }
    return goBack(back);
  };
  return html`<form class="stack form" onSubmit=${submit} novalidate data-testid="edit-form">
    <${FormErrors} error=${state.error} shown=${fields} />
    ${fields.map((name) => html`<${Field} key=${name} prefix="ed" label=${t(`${type}.${name}`)}
      required=${required.includes(name)} error=${errors[name]} ...${CONTROLS[name]} ...${bind(name)}>
      ${name === 'stage' && STAGES.map((s) => html`<option value=${s}>${t(`stage.${s}`)}</option>`)}
    <//>`)}
    <button type="submit" class="button primary wide" disabled=${state.busy} data-testid="edit-save">
      ${state.busy ? t('common.saving') : t('edit.save')}</button>
  </form>`;
}

export function EditRecordView({ type, id }) {
  const record = useAsync((signal) => getRecord(type, id, signal), [type, id]);
  return html`<${Page} title=${t('edit.title')} subtitle=${record.data && (record.data.name || record.data.full_name)}
      back=${`${EDITED[type].path}/${id}`}>
    ${record.data ? html`<${Form} type=${type} record=${record.data} />` : html`<${Loading} />`}
  <//>`;
}
