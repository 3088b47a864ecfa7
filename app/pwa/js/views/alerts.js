// "Alertes": the live alerts on this device (works offline), newest first, or one record's
// (#/alerts?record=<id>); #/alerts/<id> shows one alert, and ?do=<action> (a push
// notification's button) runs that remedy once on arrival.
import { html, useEffect } from '../lib.js';
import { t } from '../i18n/index.js';
import { useLive, useNow } from '../hooks.js';
import { navigate } from '../router.js';
import { getAlert, listAlerts, runRemedy, STATE_ACTIONS } from '../store/alerts.js';
import { showToast } from '../store/ui.js';
import { AlertCard } from '../components/alert-card.js';
import { Page } from '../components/page.js';
import { Empty, ErrorMessage, Loading } from '../components/status.js';

export function AlertsView({ query = {} }) {
  const recordId = query.record || null;
  const result = useLive((signal) => listAlerts({ recordId, signal }), [recordId]);
  const now = useNow();
  const items = result.data || [];
  const title = recordId && items[0] && items[0].record ? items[0].record.title : null;
  return html`<${Page} title=${t('alerts.title')} subtitle=${title} back="/">
    ${recordId && html`<p class="alerts-filter"><a href="#/alerts" class="link-button"
      data-testid="alerts-all">${t('alerts.show_all')}</a></p>`}
    ${result.loading && !result.data && html`<${Loading} />`}
    ${result.error && html`<${ErrorMessage} error=${result.error} onRetry=${result.reload} />`}
    ${result.data && items.length === 0 && html`<${Empty}>${t('alerts.empty')}<//>`}
    ${items.length > 0 && html`<ul class="cards" data-testid="alerts-list">
      ${items.map((alert) => html`<li key=${alert.id}><${AlertCard} alert=${alert} now=${now} /></li>`)}
    </ul>`}
  <//>`;
}

export function AlertView({ id, query = {} }) {
  const result = useLive((signal) => getAlert(id, signal), [id]);
  const now = useNow();
  const alert = result.data;
  const action = query.do;
  useEffect(() => {
    if (!alert || !action) return;
    // Rewritten first: done once, not again on a reload or a return to this screen.
    navigate(`/alerts/${encodeURIComponent(id)}`, { replace: true });
    runRemedy(alert, action).then(() => {
      if (STATE_ACTIONS.includes(action)) showToast(t(`alerts.done.${action}`));
    }, (error) => showToast(error.message || t('common.error')));
  }, [alert && alert.id, action]);
  return html`<${Page} title=${t('alerts.one_title')} back="/alerts">
    ${!alert && !result.error && html`<${Loading} />`}
    ${result.error && html`<${ErrorMessage} error=${result.error} onRetry=${result.reload} />`}
    ${alert && html`<${AlertCard} alert=${alert} now=${now} highlight=${true} />`}
    <p class="section"><a href="#/alerts" class="button wide" data-testid="alerts-all">${t('alerts.all')}</a></p>
  <//>`;
}
