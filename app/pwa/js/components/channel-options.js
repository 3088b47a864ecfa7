// Beside the channels: automatic follow of every new company / contact / deal, and how long
// before an appointment its reminder comes.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';

export const AUTO_FOLLOW_TYPES = ['company', 'contact', 'deal'];
export const REMINDER_CHOICES = [null, 5, 10, 15, 30, 60];

function reminderLabel(minutes) {
  if (minutes === null) return t('notify.reminder_off');
  if (minutes >= 60 && minutes % 60 === 0) return t('notify.reminder_hours', { count: minutes / 60 });
  return t('notify.reminder_minutes', { count: minutes });
}

export function AutoFollow({ value, onChange }) {
  const toggle = (type, on) => onChange(on ? [...new Set([...value, type])] : value.filter((v) => v !== type));
  return html`<fieldset class="fieldset section stack-tight">
    <legend>${t('notify.auto_title')}</legend>
    <p class="muted small">${t('notify.auto_hint')}</p>
    ${AUTO_FOLLOW_TYPES.map((type) => html`<label class="switch" key=${type}>
      <input type="checkbox" role="switch" checked=${value.includes(type)}
        data-testid=${`auto-follow-${type}`} onChange=${(e) => toggle(type, e.currentTarget.checked)} />
      <span class="switch-text"><span>${t(`notify.auto.${type}`)}</span></span>
    </label>`)}
  </fieldset>`;
}

export function ReminderChoice({ value, onChange }) {
  // A value the server holds but the list does not offer (set elsewhere) stays selectable.
  const choices = REMINDER_CHOICES.includes(value) ? REMINDER_CHOICES : [...REMINDER_CHOICES, value];
  return html`<div class="field section">
    <label for="reminder-minutes">${t('notify.reminder_title')}</label>
    <select id="reminder-minutes" data-testid="reminder-minutes" value=${value === null ? '' : String(value)}
      onChange=${(e) => onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}>
      ${choices.map((m) => html`<option key=${String(m)} value=${m === null ? '' : String(m)}>${reminderLabel(m)}</option>`)}
    </select>
    <p class="muted small">${t('notify.reminder_hint')}</p>
  </div>`;
}
