// Réglages > Règles d'alerte (admins): one card per alert rule, switched on or off, with its
// thresholds (days per open stage, months, hours), each saved on its own. Online only.
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { api } from '../api.js';
import { useAsync, useStore } from '../hooks.js';
import { syncState } from '../sync/state.js';
import { FormErrors, fieldErrors } from '../components/field.js';
import { Page } from '../components/page.js';
import { ErrorMessage, Loading } from '../components/status.js';

// Pipeline order (the server's JSON comes sorted by name).
const STAGE_ORDER = ['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost'];
const rank = (stage) => (STAGE_ORDER.includes(stage) ? STAGE_ORDER.indexOf(stage) : STAGE_ORDER.length);
const UNITS = { days: 'rules.unit.days', months: 'rules.unit.months', hours: 'rules.unit.hours' };

/** The rule's thresholds as flat inputs: [{path, name, label, value}], e.g. params.days.proposal. */
function thresholds(rule) {
  const out = [];
  const params = { ...(rule.defaults || {}), ...(rule.params || {}) };
  for (const [name, value] of Object.entries(params)) {
    if (value && typeof value === 'object') {
      const stages = Object.entries(value).sort(([a], [b]) => rank(a) - rank(b));
      for (const [stage, days] of stages) {
        out.push({ path: `params.${name}.${stage}`, name, key: stage,
          label: `${t(`stage.${stage}`)} (${t(UNITS[name] || name)})`, value: days });
      }
    } else {
      out.push({ path: `params.${name}`, name, key: null, label: t(UNITS[name] || name), value });
    }
  }
  return out;
}

function toNumber(text) {
  const value = String(text).trim();
  return /^-?\d+$/.test(value) ? Number(value) : value === '' ? null : value;
}

function RuleCard({ rule, online, admin }) {
  const [enabled, setEnabled] = useState(rule.enabled);
  const [values, setValues] = useState(() => Object.fromEntries(
    thresholds(rule).map((item) => [item.path, String(item.value)])));
  const [state, setState] = useState({ saving: false, saved: false, error: null });
  const items = thresholds(rule);
  const errors = fieldErrors(state.error);
  const changed = () => state.saved && setState({ ...state, saved: false });
  const save = async (event) => {
    event.preventDefault();
    const params = {};
    for (const item of items) {
      const value = toNumber(values[item.path]);
      if (item.key) params[item.name] = { ...(params[item.name] || {}), [item.key]: value };
      else params[item.name] = value;
    }
    setState({ saving: true, saved: false, error: null });
    try {
      const saved = await api(`/alert-rules/${rule.key}`, { method: 'PUT', body: { enabled, params } });
      setEnabled(saved.enabled);
      setValues(Object.fromEntries(thresholds(saved).map((item) => [item.path, String(item.value)])));
      setState({ saving: false, saved: true, error: null });
    } catch (error) {
      setState({ saving: false, saved: false, error });
    }
  };
  const id = (path) => `rule-${rule.key}-${path.replace(/\./g, '-')}`;
  const titleId = `rule-${rule.key}-title`;
  return html`<form class="card rule-card" noValidate aria-labelledby=${titleId} data-testid=${`rule-${rule.key}`}
      onSubmit=${save} onInput=${changed} onChange=${changed}>
    <h2 id=${titleId} class="rule-title">${t(`rules.name.${rule.key}`)}</h2>
    <label class="switch">
      <input type="checkbox" role="switch" checked=${enabled} data-testid="rule-enabled"
        onChange=${(e) => setEnabled(e.currentTarget.checked)} />
      <span class="switch-text"><span>${t('rules.enabled')}</span></span>
    </label>
    ${items.length > 0 && html`<div class="field-row">
      ${items.map((item) => {
        const error = errors[item.path];
        const controlId = id(item.path);
        return html`<div class="field" key=${item.path}>
          <label for=${controlId}>${item.label}</label>
          <input id=${controlId} type="number" inputmode="numeric" min="1" step="1" required
            value=${values[item.path]} data-testid=${controlId}
            aria-invalid=${error ? 'true' : undefined}
            aria-describedby=${error ? `${controlId}-error` : undefined}
            onInput=${(e) => setValues((v) => ({ ...v, [item.path]: e.currentTarget.value }))} />
          ${error && html`<p class="field-error" id=${`${controlId}-error`}
            data-testid=${`${controlId}-error`}>${error}</p>`}
        </div>`;
      })}
    </div>`}
    ${items.length === 0 && html`<p class="muted small">${t('rules.no_threshold')}</p>`}
    <${FormErrors} error=${state.error} shown=${items.map((item) => item.path)} />
    <button type="submit" class="button primary wide" disabled=${!online || !admin || state.saving}
      data-testid="rule-save">${state.saving ? t('common.saving') : t('rules.save')}</button>
    <p role="status" class="push-message ok" data-testid="rule-saved">${state.saved && t('rules.saved')}</p>
  </form>`;
}

export function AlertRulesView({ user }) {
  const admin = Boolean(user && user.role === 'admin');
  const { online } = useStore(syncState);
  const rules = useAsync((signal) => api('/alert-rules', { signal }), [online]);
  const [shown, setShown] = useState(null);
  useEffect(() => { if (rules.data) setShown(rules.data); }, [rules.data]);
  const data = shown || rules.data;
  return html`<${Page} title=${t('rules.title')} back="/settings">
    ${!online && html`<p class="note offline-note" role="status" data-testid="rules-offline">
      ${t('rules.offline')}</p>`}
    ${!admin && html`<p class="note" role="status" data-testid="rules-admin-only">${t('rules.admin_only')}</p>`}
    <p class="muted section">${t('rules.intro')}</p>
    ${data && html`<div class="cards section rule-cards">
      ${data.items.map((rule) => html`<${RuleCard} key=${rule.key} rule=${rule} online=${online}
        admin=${admin} />`)}
    </div>`}
    ${!data && rules.error && html`<${ErrorMessage} error=${rules.error} onRetry=${rules.reload} />`}
    ${!data && !rules.error && html`<${Loading} />`}
  <//>`;
}
