// One exchange: kind badge and colour, title, when/who, outcome, lock when private.
import { html } from '../lib.js';
import { localName, t } from '../i18n/index.js';
import { formatDateTime, formatTime, minutesBetween } from '../format.js';
import { KindBadge, OutcomeChip } from './chips.js';
import { Icon } from './icons.js';
import { PendingMark, Thumbnails } from './pending-mark.js';
import { TaskButton } from './task-sheet.js';

function who(exchange, hide) {
  const names = [];
  if (exchange.contact_name && hide !== 'contact') names.push(exchange.contact_name);
  if (exchange.company_name && hide !== 'company') names.push(exchange.company_name);
  return names.join(' · ');
}

/** `hide`: the record type the page already shows; `timeOnly`: for today's agenda. */
export function ExchangeCard({ exchange, picklists, hide, timeOnly, href, showAuthor = true }) {
  const kind = picklists && picklists.kind[exchange.kind];
  const outcome = picklists && picklists.outcome[exchange.outcome];
  const when = timeOnly ? formatTime(exchange.starts_at) : formatDateTime(exchange.starts_at);
  const duration = exchange.ends_at
    ? t('exchange.duration', { minutes: minutesBetween(exchange.starts_at, exchange.ends_at) })
    : '';
  const title = exchange.subject || localName(kind) || exchange.kind;
  const body = html`
    <${KindBadge} kind=${exchange.kind} entry=${kind} />
    <div class="card-body">
      <p class="card-title">
        ${exchange.private && html`<span class="lock" title=${t('exchange.private')}>
          <${Icon} name="lock" size="16" /><span class="visually-hidden">${t('exchange.private')}</span></span>`}
        ${title}
      </p>
      <p class="card-meta"><time datetime=${exchange.starts_at}>${when}</time>${duration && ` · ${duration}`}</p>
      ${who(exchange, hide) && html`<p class="card-meta">${who(exchange, hide)}</p>`}
      ${exchange.details && html`<p class="card-details">${exchange.details}</p>`}
      <${Thumbnails} attachments=${exchange._attachments} />
      <p class="card-foot">
        <${PendingMark} record=${exchange} link=${!href} />
        <${OutcomeChip} outcome=${exchange.outcome} entry=${outcome} />
        ${showAuthor && exchange.created_by_name && html`<span class="muted small">${exchange.created_by_name}</span>`}
        ${!href && html`<span class="card-foot-end"><${TaskButton} compact=${true} testid="exchange-task"
          context=${{ exchange_id: exchange.id, company_id: exchange.company_id, contact_id: exchange.contact_id,
            deal_id: (exchange.deal_ids || [])[0], title }} /></span>`}
      </p>
    </div>`;
  // Stripe colour per theme in CSS: the kind's font colour on light, its background on dark.
  const style = kind ? { '--kind-fg': kind.font_color, '--kind-bg': kind.background_color } : undefined;
  return href
    ? html`<a class="card exchange" href=${href} style=${style} data-testid="exchange-card">${body}</a>`
    : html`<article class="card exchange" style=${style} data-testid="timeline-item"
        data-id=${exchange.id} data-pending=${exchange._pending ? 'true' : undefined}>${body}</article>`;
}
