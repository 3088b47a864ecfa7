// One row per notification kind, one switch per channel (in the app, push, e-mail): a compact
// table that still gives every switch a 44 px target and a full name ("Push : Échanges...").
import { html } from '../lib.js';
import { t } from '../i18n/index.js';

export const CHANNELS = ['inapp', 'kinds', 'email']; // `kinds` is the push switch (the old field)

/** "Échanges sur mes fiches" for exchange_logged; the key itself for a kind we do not know. */
export function kindLabel(kind) {
  const key = `notify.kind.${kind}`;
  const text = t(key);
  return text === key ? kind : text;
}

// Related kinds side by side; a kind this version does not know comes last.
const ORDER = ['exchange_logged', 'exchange_shared', 'mentioned', 'record_created', 'deal_stage_changed',
  'deal_won', 'deal_lost', 'owner_changed', 'task_assigned', 'task_done', 'alert', 'appointment_reminder'];
const rank = (kind) => (ORDER.includes(kind) ? ORDER.indexOf(kind) : ORDER.length);

/** The kinds of any channel the server sent, in a reading order. */
export function channelKinds(channels) {
  const kinds = new Set();
  for (const name of CHANNELS) Object.keys(channels[name] || {}).forEach((kind) => kinds.add(kind));
  return [...kinds].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** `channels`: {inapp: {kind: bool}, kinds: {...}, email: {...}}; a channel the server did not
 *  send (an older server) has no column. */
export function ChannelTable({ channels, onChange }) {
  const shown = CHANNELS.filter((name) => channels[name]);
  const kinds = channelKinds(channels);
  if (kinds.length === 0) return html`<p class="muted">${t('notify.kinds_none')}</p>`;
  return html`<table class="channel-table" data-testid="channel-table">
    <thead><tr>
      <th scope="col"><span class="visually-hidden">${t('notify.kind_column')}</span></th>
      ${shown.map((name) => html`<th scope="col" key=${name}>${t(`notify.channel.${name}`)}</th>`)}
    </tr></thead>
    <tbody>
      ${kinds.map((kind) => html`<tr key=${kind}>
        <th scope="row">${kindLabel(kind)}</th>
        ${shown.map((name) => html`<td key=${name}><label class="cell-switch">
          <input type="checkbox" role="switch" checked=${Boolean((channels[name] || {})[kind])}
            aria-label=${`${t(`notify.channel.${name}`)} : ${kindLabel(kind)}`}
            data-testid=${`channel-${name}-${kind}`}
            onChange=${(e) => onChange(name, kind, e.currentTarget.checked)} /></label></td>`)}
      </tr>`)}
    </tbody>
  </table>`;
}
