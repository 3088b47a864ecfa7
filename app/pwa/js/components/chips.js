// Coloured labels: company status, deal stage, exchange kind badge and outcome.
import { html } from '../lib.js';
import { localName, t } from '../i18n/index.js';

export function StatusChip({ status }) {
  return html`<span class=${`chip chip-status-${status}`}>${t(`status.${status}`)}</span>`;
}

export function StageChip({ stage }) {
  return html`<span class=${`chip chip-stage-${stage}`}>${t(`stage.${stage}`)}</span>`;
}

function colours(entry) {
  return entry ? { color: entry.font_color, backgroundColor: entry.background_color } : undefined;
}

/** The kind's abbreviation in its own colours; the full name for assistive tech. */
export function KindBadge({ kind, entry }) {
  return html`<span class="badge" style=${colours(entry)} title=${localName(entry) || kind}>
    <span aria-hidden="true">${entry ? entry.abbreviation : kind.slice(0, 3).toUpperCase()}</span>
    <span class="visually-hidden">${localName(entry) || kind}</span>
  </span>`;
}

export function OutcomeChip({ outcome, entry }) {
  if (!outcome) return null;
  return html`<span class="chip chip-outcome" style=${colours(entry)}>${localName(entry) || outcome}</span>`;
}
