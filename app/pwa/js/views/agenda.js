// #/agenda: my appointments today and the next six days, grouped by day; a tap opens the
// record. Offline, the planned exchanges held on the device.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatLongDate } from '../format.js';
import { useAsync, useLive, useStore } from '../hooks.js';
import { groupByDay, loadAgenda, localDay } from '../store/agenda.js';
import { loadPicklists } from '../store/picklists.js';
import { syncState } from '../sync/state.js';
import { ExchangeCard } from '../components/exchange-card.js';
import { Icon } from '../components/icons.js';
import { Page } from '../components/page.js';
import { recordHref } from '../components/search-results.js';
import { Empty, ErrorMessage, Loading } from '../components/status.js';

/** Where a tap on an appointment goes: its contact, else its company, else its first deal. */
export function appointmentHref(exchange) {
  if (exchange.contact_id) return recordHref('contact', exchange.contact_id);
  if (exchange.company_id) return recordHref('company', exchange.company_id);
  if ((exchange.deal_ids || []).length) return recordHref('deal', exchange.deal_ids[0]);
  return undefined;
}

function dayTitle(day) {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(y, m - 1, d);
  const today = new Date();
  const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  if (day === localDay(today.toISOString())) return `${t('agenda.today')} · ${formatLongDate(date)}`;
  if (day === localDay(tomorrow.toISOString())) return `${t('agenda.tomorrow')} · ${formatLongDate(date)}`;
  return formatLongDate(date);
}

function Day({ day, items, picklists }) {
  const id = `agenda-${day}`;
  return html`<section class="section agenda-day" aria-labelledby=${id} data-testid="agenda-day" data-day=${day}>
    <h2 id=${id} class="agenda-day-title">${dayTitle(day)}</h2>
    ${items.length === 0 && html`<${Empty}>${t('agenda.day_empty')}<//>`}
    ${items.length > 0 && html`<ul class="cards">
      ${items.map((exchange) => html`<li key=${exchange.id}>
        <${ExchangeCard} exchange=${exchange} picklists=${picklists} timeOnly=${true}
          href=${appointmentHref(exchange)} showAuthor=${false} /></li>`)}
    </ul>`}
  </section>`;
}

export function AgendaView() {
  const { online } = useStore(syncState);
  const agenda = useLive((signal) => loadAgenda(signal), [online]);
  const picklists = useAsync(() => loadPicklists(), []).data;
  const data = agenda.data;
  const actions = html`<a class="icon-button" href="#/settings/notifications" aria-label=${t('agenda.subscribe')}
    data-testid="agenda-calendar"><${Icon} name="calendar" /></a>`;
  return html`<${Page} title=${t('agenda.title')} subtitle=${t('agenda.subtitle')} back="/" actions=${actions}>
    ${data && data.offline && html`<p class="note offline-note" role="status" data-testid="agenda-offline">
      ${t('agenda.offline')}</p>`}
    ${agenda.loading && !data && html`<${Loading} />`}
    ${agenda.error && html`<${ErrorMessage} error=${agenda.error} onRetry=${agenda.reload} />`}
    ${data && html`<div data-testid="agenda">
      ${groupByDay(data.items).map(({ day, items }) => html`<${Day} key=${day} day=${day} items=${items}
        picklists=${picklists} />`)}
      ${data.items.length === 0 && html`<p class="muted state">${t('agenda.week_empty')}</p>`}
    </div>`}
  <//>`;
}
