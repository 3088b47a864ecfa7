// Icons of the alerts and tasks screens (same 24x24 stroke style as icons.js); any other name
// is drawn by icons.js.
import { html } from '../lib.js';
import { Icon } from './icons.js';

const PATHS = {
  alert: html`<path d="M12 3L2 20h20z" /><path d="M12 10v4M12 17v.5" />`,
  task: html`<rect x="4" y="4" width="16" height="16" rx="3" /><path d="M8 12l3 3 5-6" />`,
  box: html`<rect x="4" y="4" width="16" height="16" rx="3" />`,
  hand: html`<path d="M21 3L3 10.5l7 3 3 7.5z" /><path d="M10 13.5L21 3" />`,
  calendar: html`<rect x="3" y="5" width="18" height="16" rx="2" /><path d="M3 10h18M8 3v4M16 3v4" />`,
};

export function WorkIcon({ name, size = 24 }) {
  if (!PATHS[name]) return html`<${Icon} name=${name} size=${size} />`;
  return html`<svg class="icon" width=${size} height=${size} viewBox="0 0 24 24" fill="none"
    stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
    aria-hidden="true" focusable="false">${PATHS[name]}</svg>`;
}
