// The alerts entry of the home screen (next to the bell, with the count of open alerts) and the
// badge on a company, contact or deal that has an open or acknowledged alert.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { useLive } from '../hooks.js';
import { activeForRecord, countOpen } from '../store/alerts.js';
import { WorkIcon } from './task-icons.js';

export function alertsLabel(count) {
  if (count === 0) return t('alerts.title');
  return t(count === 1 ? 'alerts.entry_one' : 'alerts.entry_many', { count });
}

export function AlertsEntry() {
  const result = useLive(() => countOpen(), []);
  const count = result.data || 0;
  return html`<a class="icon-button bell" href="#/alerts" aria-label=${alertsLabel(count)}
    data-testid="open-alerts">
    <${WorkIcon} name="alert" />
    ${count > 0 && html`<span class="bell-badge alert-count" aria-hidden="true" data-testid="alerts-badge">
      ${count > 9 ? '9+' : count}</span>`}
  </a>`;
}

/** "1 alerte" on a record page; a tap lists that record's alerts. Nothing when none. */
export function RecordAlertBadge({ recordId }) {
  const result = useLive(() => activeForRecord(recordId), [recordId]);
  const count = result.data ? result.data.length : 0;
  if (!count) return null;
  return html`<a class="chip alert-chip" href=${`#/alerts?record=${encodeURIComponent(recordId)}`}
    data-testid="record-alert-badge">
    <${WorkIcon} name="alert" size="16" />
    ${t(count === 1 ? 'alerts.badge_one' : 'alerts.badge_many', { count })}</a>`;
}
