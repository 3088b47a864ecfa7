// Pieces of the quick-log sheet: kind buttons, outcome chips, deal picker, private switch.
import { html } from '../lib.js';
import { localName, t } from '../i18n/index.js';
import { Field } from './field.js';
import { Icon } from './icons.js';

function colours(entry) {
  return { color: entry.font_color, backgroundColor: entry.background_color };
}

export function KindPicker({ kinds, value, onChange, error }) {
  return html`<fieldset class="fieldset">
    <legend>${t('quicklog.kind')}</legend>
    <div class="kind-grid">
      ${kinds.map((kind) => html`<button type="button" key=${kind.key} class="kind-button"
        aria-pressed=${value === kind.key ? 'true' : 'false'} data-testid=${`kind-${kind.key}`}
        onClick=${() => onChange(kind.key)}>
        <span class="badge" style=${colours(kind)} aria-hidden="true">${kind.abbreviation}</span>
        <span class="kind-name">${localName(kind)}</span>
      </button>`)}
    </div>
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
  </fieldset>`;
}

export function OutcomePicker({ outcomes, value, onChange, error }) {
  return html`<fieldset class="fieldset">
    <legend>${t('quicklog.outcome')} <span class="muted">${t('common.optional')}</span></legend>
    <div class="chip-row">
      ${outcomes.map((outcome) => html`<button type="button" key=${outcome.key}
        class="chip-button outcome" style=${colours(outcome)}
        aria-pressed=${value === outcome.key ? 'true' : 'false'} data-testid=${`outcome-${outcome.key}`}
        onClick=${() => onChange(value === outcome.key ? null : outcome.key)}>
        ${value === outcome.key && html`<${Icon} name="check" />`}${localName(outcome)}
      </button>`)}
    </div>
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
  </fieldset>`;
}

export function DealPicker({ deals, value, onChange, error }) {
  if (!deals || deals.length === 0) return null;
  return html`<${Field} as="select" prefix="ql" name="deal_ids" label=${t('quicklog.deal')}
    value=${value} error=${error} onChange=${(e) => onChange(e.currentTarget.value)}>
    <option value="">${t('quicklog.no_deal')}</option>
    ${deals.map((deal) => html`<option key=${deal.id} value=${deal.id}>${deal.name}</option>`)}
  <//>`;
}

export function PrivateSwitch({ checked, onChange }) {
  return html`<label class="switch">
    <input type="checkbox" role="switch" checked=${checked} data-testid="quicklog-private"
      onChange=${(e) => onChange(e.currentTarget.checked)} />
    <span class="switch-text">
      <span>${t('quicklog.private')}</span>
      <span class="muted small">${t('quicklog.private_hint')}</span>
    </span>
  </label>`;
}
