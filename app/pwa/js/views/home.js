// "Aujourd'hui": the inbox bell, search entry, today's planned exchanges, my recent ones,
// quick create.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatLongDate } from '../format.js';
import { useAsync, useLive } from '../hooks.js';
import { navigate } from '../router.js';
import { listPlannedToday, listRecentDone } from '../store/exchanges.js';
import { loadPicklists } from '../store/picklists.js';
import { ExchangeCard } from '../components/exchange-card.js';
import { Icon } from '../components/icons.js';
import { InboxBell } from '../components/inbox-bell.js';
import { AlertsEntry } from '../components/alert-badge.js';
import { MyTasksSection, useMyOpenTasks } from '../components/task-home.js';
import { Page } from '../components/page.js';
import { recordHref } from '../components/search-results.js';
import { Empty, ErrorMessage, Loading } from '../components/status.js';

function exchangeHref(exchange) {
  if (exchange.contact_id) return recordHref('contact', exchange.contact_id);
  if (exchange.company_id) return recordHref('company', exchange.company_id);
  return undefined;
}

function ExchangeSection({ id, title, result, picklists, empty, timeOnly }) {
  return html`<section class="section" aria-labelledby=${id}>
    <h2 id=${id}>${title}</h2>
    ${result.loading && html`<${Loading} />`}
    ${result.error && html`<${ErrorMessage} error=${result.error} onRetry=${result.reload} />`}
    ${result.data && result.data.items.length === 0 && html`<${Empty}>${empty}<//>`}
    ${result.data && html`<ul class="cards" data-testid=${id}>
      ${result.data.items.map((exchange) => html`<li key=${exchange.id}>
        <${ExchangeCard} exchange=${exchange} picklists=${picklists} timeOnly=${timeOnly}
          href=${exchangeHref(exchange)} showAuthor=${false} /></li>`)}
    </ul>`}
  </section>`;
}

/** Typing on the focused search entry (hardware keyboard) starts the search with that key. */
function typeToSearch(event) {
  if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey || event.key === ' ') return;
  event.preventDefault();
  navigate('/search', { query: { q: event.key } });
}

function CreateMenu() {
  const [open, setOpen] = useState(false);
  const onKeyDown = (event) => event.key === 'Escape' && setOpen(false);
  return html`<div class="fab-wrap" onKeyDown=${onKeyDown}>
    ${open && html`<ul class="fab-menu" id="create-menu">
      <li><a class="button" href="#/new/company" data-testid="create-company">
        <${Icon} name="company" />${t('home.new_company')}</a></li>
      <li><a class="button" href="#/new/contact" data-testid="create-contact">
        <${Icon} name="contact" />${t('home.new_contact')}</a></li>
    </ul>`}
    <button type="button" class="fab" aria-expanded=${open ? 'true' : 'false'}
      aria-controls="create-menu" aria-label=${t('home.create')} data-testid="create-open"
      onClick=${() => setOpen(!open)}><${Icon} name=${open ? 'close' : 'plus'} /></button>
  </div>`;
}

/** "Agenda" with today's count: the way to the week's appointments. */
function AgendaLink({ planned }) {
  const count = planned.data ? planned.data.items.length : null;
  const subtitle = count === null ? '' : t(count === 0 ? 'home.agenda_none' : 'home.agenda_today', { count });
  return html`<a class="list-row agenda-link" href="#/agenda" data-testid="open-agenda">
    <span class="type-icon"><${Icon} name="calendar" /></span>
    <span class="list-text"><span class="list-title">${t('agenda.title')}</span>
      <span class="list-subtitle" data-testid="agenda-count">${subtitle}</span></span>
    <${Icon} name="chevron" size="20" /></a>`;
}

export function HomeView({ user }) {
  const planned = useLive((signal) => listPlannedToday(signal), []);
  const recent = useLive((signal) => listRecentDone(signal), []);
  const tasks = useMyOpenTasks();
  // The lists appear together, once each has its first answer: one after the other, each
  // pushed the ones below it down the screen as it filled in.
  const settled = [planned, recent, tasks].every((r) => r.data || r.error);
  const picklists = useAsync(() => loadPicklists(), []).data;
  const actions = html`<${AlertsEntry} /><${InboxBell} />
    <a class="icon-button" href="#/settings" aria-label=${t('settings.title')}
      data-testid="open-settings"><${Icon} name="user" /></a>`;
  return html`<${Page} title=${t('home.title')} subtitle=${formatLongDate()} actions=${actions}>
    <a class="search-field" href="#/search" data-testid="home-search" onKeyDown=${typeToSearch}>
      <${Icon} name="search" /><span>${t('search.placeholder')}</span></a>
    ${user && html`<p class="muted greeting">${t('home.hello', { name: user.name })}</p>`}
    <${AgendaLink} planned=${planned} />
    ${!settled && html`<${Loading} />`}
    ${settled && html`
      <${ExchangeSection} id="home-planned" title=${t('home.planned')} result=${planned}
        picklists=${picklists} empty=${t('home.planned_empty')} timeOnly=${true} />
      <${MyTasksSection} result=${tasks} />
      <${ExchangeSection} id="home-recent" title=${t('home.recent')} result=${recent}
        picklists=${picklists} empty=${t('home.recent_empty')} />`}
    <${CreateMenu} />
  <//>`;
}
