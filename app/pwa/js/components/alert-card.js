// One alert: what the rule saw, the record it is about, and its remedies as one-tap buttons
// (call, visit, reassign, task) then snooze / acknowledge / dismiss.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatDateTime, formatRelative } from '../format.js';
import { recordHref, runRemedy, STATE_ACTIONS } from '../store/alerts.js';
import { showToast } from '../store/ui.js';
import { Icon } from './icons.js';
import { PendingMark } from './pending-mark.js';
import { WorkIcon } from './task-icons.js';

const RECORD_ICONS = { company: 'company', contact: 'contact', deal: 'deal', task: 'task' };
const ACTION_ICONS = { log_call: 'phone', plan_visit: 'calendar', reassign: 'user', open_task: 'task' };

/** A remedy's label in the app's language (the server's label if the app does not know it). */
export function actionLabel(remedy) {
  const key = `alerts.action.${remedy.action}`;
  const text = t(key);
  return text === key ? remedy.label || remedy.action : text;
}

/** The remedies that open something, then the state buttons this state allows. */
function buttons(alert) {
  const remedies = (alert.remedies || []).filter((r) => r && !STATE_ACTIONS.includes(r.action));
  const states = [];
  if (alert.state !== 'snoozed') states.push({ action: 'snooze' });
  if (alert.state === 'open') states.push({ action: 'acknowledge' });
  states.push({ action: 'dismiss' });
  return { remedies, states };
}

function StateLine({ alert }) {
  if (alert.state === 'snoozed' && alert.snoozed_until) {
    return html`<p class="alert-state" data-testid="alert-state">
      ${t('alerts.snoozed_until', { date: formatDateTime(alert.snoozed_until) })}</p>`;
  }
  if (alert.state === 'acknowledged') {
    return html`<p class="alert-state" data-testid="alert-state">${t('alerts.acknowledged')}</p>`;
  }
  return null;
}

export function AlertCard({ alert, now, highlight = false }) {
  const [busy, setBusy] = useState(false);
  const href = recordHref(alert);
  const record = alert.record || {};
  const { remedies, states } = buttons(alert);
  const act = async (action) => {
    setBusy(true);
    try {
      await runRemedy(alert, action);
      if (STATE_ACTIONS.includes(action)) showToast(t(`alerts.done.${action}`));
    } finally {
      setBusy(false);
    }
  };
  const classes = ['card', 'alert-card', `alert-${alert.state}`, highlight ? 'highlight' : ''].join(' ');
  return html`<article class=${classes} data-testid="alert-card" data-id=${alert.id}
      data-state=${alert.state} aria-labelledby=${`alert-${alert.id}`}>
    <div class="card-body">
      <h2 class="alert-title" id=${`alert-${alert.id}`}>
        <span class="alert-mark" aria-hidden="true"><${WorkIcon} name="alert" size="20" /></span>
        <span>${alert.title}</span></h2>
      ${alert.body && html`<p class="alert-body">${alert.body}</p>`}
      <p class="card-meta">
        <time datetime=${alert.created_at} title=${formatDateTime(alert.created_at)}>
          ${formatRelative(alert.created_at, now)}</time>
        <${PendingMark} record=${alert} /></p>
      <${StateLine} alert=${alert} />
      ${href && alert.record_type !== 'task' && html`<a class="alert-record" href=${href} data-testid="alert-record">
        <${WorkIcon} name=${RECORD_ICONS[alert.record_type] || 'company'} size="18" />
        <span>${record.title || t(`alerts.record.${alert.record_type}`)}</span>
        <${Icon} name="chevron" size="18" /></a>`}
      ${remedies.length > 0 && html`<div class="alert-remedies">
        ${remedies.map((remedy) => html`<button type="button" key=${remedy.action}
          class="button small" disabled=${busy} data-testid=${`alert-${remedy.action}`}
          onClick=${() => act(remedy.action)}>
          <${WorkIcon} name=${ACTION_ICONS[remedy.action] || 'chevron'} size="18" />
          ${actionLabel(remedy)}</button>`)}
      </div>`}
      <div class="alert-states">
        ${states.map(({ action }) => html`<button type="button" key=${action}
          class="button small quiet" disabled=${busy} data-testid=${`alert-${action}`}
          onClick=${() => act(action)}>${t(`alerts.action.${action}`)}</button>`)}
      </div>
    </div>
  </article>`;
}
