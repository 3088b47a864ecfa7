// A system line in a record's timeline ("Étape : Proposition → Négociation"): an icon, the
// text and the time, no card, so it never reads as an exchange someone logged.
import { html } from '../lib.js';
import { formatDateTime } from '../format.js';
import { eventTexts } from '../store/record-events.js';
import { Icon } from './icons.js';

const ICONS = {
  record_created: 'plus', deal_stage_changed: 'flag', deal_won: 'star', deal_lost: 'cross',
  owner_changed: 'swap', task_assigned: 'check', task_done: 'check',
};

export function TimelineEvent({ event }) {
  const { title, body } = eventTexts(event);
  return html`<div class=${`timeline-event event-${event.kind}`} data-testid="timeline-event"
    data-kind=${event.kind} data-id=${event.id}>
    <span class="event-icon"><${Icon} name=${ICONS[event.kind] || 'flag'} size="16" /></span>
    <p class="event-text"><span class="event-title">${title}</span>
      <span class="event-meta">${body && html`<span class="event-body">${body}</span>`}<time
        class="event-time" datetime=${event.at}>${formatDateTime(event.at)}</time></span></p>
  </div>`;
}
