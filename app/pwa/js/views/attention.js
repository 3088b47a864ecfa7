// "À vérifier": what the server refused or found in conflict. Fix and resend (a new
// mutation), settle a conflict field by field, or discard after an explicit confirmation.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatDateTime } from '../format.js';
import { useLive } from '../hooks.js';
import { discardAttention, listAttention, resendAttention } from '../store/attention.js';
import { Field } from '../components/field.js';
import { Page } from '../components/page.js';
import { Empty, Loading } from '../components/status.js';

export const FIELD_LABELS = {
  subject: 'quicklog.subject', details: 'quicklog.details', name: 'company.name', city: 'company.city',
  street: 'company.street', postal_code: 'company.postal_code', status: 'company.status',
  first_name: 'contact.first_name', last_name: 'contact.last_name', job_title: 'contact.job_title',
  phone: 'contact.phone', mobile: 'contact.mobile', email: 'contact.email',
};
const EDITABLE = Object.keys(FIELD_LABELS);
export const fieldLabel = (name) => (FIELD_LABELS[name] ? t(FIELD_LABELS[name]) : name);

const UPLOAD_ERRORS = { 409: 'conflict', 413: 'too_large', 415: 'type', 422: 'invalid' };

function summary({ mutation: m, current }) {
  const d = { ...(current || {}), ...(m.data || {}) };
  const name = [d.first_name, d.last_name].filter(Boolean).join(' ');
  const what = d.subject || d.name || d.title || name || d.filename || d.kind || m.id;
  return what.length > 80 ? `${what.slice(0, 79)}…` : what;
}

function reason(entry) {
  if (entry.kind === 'conflict') return t('attention.conflict');
  const error = entry.error || {};
  const upload = UPLOAD_ERRORS[error.status];
  if (entry.mutation.entity === 'attachment' && upload) return t(`attention.upload_${upload}`);
  const fields = Object.entries(error.fields || {})
    .map(([name, msgs]) => `${fieldLabel(name)} : ${[].concat(msgs).join(' ')}`);
  return [t('attention.rejected'), ...(fields.length ? fields : [error.message].filter(Boolean))].join(' ');
}

function Fix({ entry, onDone }) {
  const data = entry.mutation.data || {};
  const names = [...new Set([...Object.keys(entry.error.fields || {}), ...EDITABLE])]
    .filter((n) => n in data && (data[n] === null || typeof data[n] === 'string'));
  const [values, setValues] = useState(data);
  const send = async (event) => {
    event.preventDefault();
    await resendAttention(entry, values);
    onDone();
  };
  return html`<form class="stack" onSubmit=${send}>
    ${names.map((name) => html`<${Field} key=${name} prefix=${`fix-${entry.seq}`} name=${name} label=${fieldLabel(name)}
      value=${values[name] ?? ''} onInput=${(e) => setValues({ ...values, [name]: e.currentTarget.value || null })} />`)}
    <button type="submit" class="button primary wide" data-testid="attention-resend">${t('attention.resend')}</button>
  </form>`;
}

function Item({ entry }) {
  const [mode, setMode] = useState(null); // null | 'fix' | 'confirm'
  const isConflict = entry.kind === 'conflict';
  return html`<li class="card attention-item" data-testid="attention-item">
    <p class="muted small">${t(`attention.entity.${entry.mutation.entity}`)}
      ${entry.mutation.data && entry.mutation.data.starts_at && ` · ${formatDateTime(entry.mutation.data.starts_at)}`}</p>
    <h2>${summary(entry)}</h2>
    <p class="field-error" data-testid="attention-error">${reason(entry)}</p>
    ${mode === 'fix' && html`<${Fix} entry=${entry} onDone=${() => setMode(null)} />`}
    ${mode === 'confirm' && html`<div class="confirm-box" role="alert">
      <p>${t('attention.discard_confirm')}</p>
      <div class="attention-actions">
        <button type="button" class="button" onClick=${() => setMode(null)}>${t('common.cancel')}</button>
        <button type="button" class="button danger" data-testid="attention-discard-confirm"
          onClick=${() => discardAttention(entry)}>${t('attention.discard')}</button>
      </div></div>`}
    ${!mode && html`<div class="attention-actions">
      ${isConflict
        ? html`<a class="button primary" href=${`#/conflict/${entry.seq}`} data-testid="attention-resolve">${t('attention.resolve')}</a>`
        : html`<button type="button" class="button primary" onClick=${() => setMode('fix')}
            data-testid="attention-fix">${t(entry.mutation.entity === 'attachment' ? 'attention.retry' : 'attention.fix')}</button>`}
      <button type="button" class="button danger" onClick=${() => setMode('confirm')}
        data-testid="attention-discard">${t('attention.discard')}</button>
    </div>`}
  </li>`;
}

export function AttentionView() {
  const entries = useLive(() => listAttention(), []);
  return html`<${Page} title=${t('attention.title')} back="/">
    <p class="muted">${t('attention.intro')}</p>
    ${entries.loading && html`<${Loading} />`}
    ${entries.data && entries.data.length === 0 && html`<${Empty}>${t('attention.empty')}<//>`}
    <ul class="cards section" data-testid="attention-list">
      ${(entries.data || []).map((entry) => html`<${Item} key=${entry.seq} entry=${entry} />`)}
    </ul>
  <//>`;
}
