// Stroke icons (24x24), decorative: the control around them carries the accessible name.
import { html } from '../lib.js';

const PATHS = {
  back: html`<path d="M15 18l-6-6 6-6" />`,
  search: html`<circle cx="11" cy="11" r="7" /><path d="M16.5 16.5L21 21" />`,
  phone: html`<path d="M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 5a2 2 0 0 1 2-2z" />`,
  mail: html`<rect x="3" y="5" width="18" height="14" rx="2" /><path d="M3 7l9 6 9-6" />`,
  map: html`<path d="M12 21s-7-6.5-7-12a7 7 0 0 1 14 0c0 5.5-7 12-7 12z" /><circle cx="12" cy="9" r="2.5" />`,
  plus: html`<path d="M12 5v14M5 12h14" />`,
  lock: html`<rect x="5" y="11" width="14" height="10" rx="2" /><path d="M8 11V7a4 4 0 0 1 8 0v4" />`,
  user: html`<circle cx="12" cy="8" r="4" /><path d="M4 21a8 8 0 0 1 16 0" />`,
  close: html`<path d="M6 6l12 12M18 6L6 18" />`,
  log: html`<path d="M4 20h4L19 9l-4-4L4 16z" /><path d="M13 7l4 4" />`,
  globe: html`<circle cx="12" cy="12" r="9" /><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" />`,
  company: html`<path d="M4 21V5l8-2v18M12 8h8v13M4 21h17M7 9h2M7 13h2M7 17h2M15 12h2M15 16h2" />`,
  contact: html`<circle cx="12" cy="8" r="4" /><path d="M4 21a8 8 0 0 1 16 0" />`,
  deal: html`<rect x="3" y="7" width="18" height="13" rx="2" /><path d="M9 7V5a2 2 0 0 1 2-2h2a2 2 0 0 1 2 2v2M3 13h18" />`,
  chevron: html`<path d="M9 6l6 6-6 6" />`,
  check: html`<path d="M5 12l5 5 9-10" />`,
  file: html`<path d="M6 3h8l5 5v13H6z" /><path d="M14 3v5h5" />`,
  bell: html`<path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z" /><path d="M10 21h4" />`,
  camera: html`<path d="M4 8h3l2-3h6l2 3h3v11H4z" /><circle cx="12" cy="13" r="3.5" />`,
  calendar: html`<rect x="3" y="5" width="18" height="16" rx="2" /><path d="M3 10h18M8 3v4M16 3v4" />`,
  bell_on: html`<path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z" fill="currentColor" /><path d="M10 21h4" />`,
  tune: html`<path d="M4 7h10M18 7h2M4 17h4M12 17h8" /><circle cx="16" cy="7" r="2" /><circle cx="10" cy="17" r="2" />`,
  flag: html`<path d="M5 21V4M5 4h11l-2 4 2 4H5" />`,
  copy: html`<rect x="8" y="8" width="12" height="12" rx="2" /><path d="M16 8V5a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h3" />`,
  swap: html`<path d="M7 4L3 8l4 4M3 8h14M17 12l4 4-4 4M21 16H7" />`,
  cross: html`<circle cx="12" cy="12" r="9" /><path d="M9 9l6 6M15 9l-6 6" />`,
  star: html`<path d="M12 3l2.8 5.7 6.2.9-4.5 4.4 1 6.2L12 17.3 6.5 20.2l1-6.2L3 9.6l6.2-.9z" />`,
};

export function Icon({ name, size = 24 }) {
  return html`<svg class="icon" width=${size} height=${size} viewBox="0 0 24 24" fill="none"
    stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
    aria-hidden="true" focusable="false">${PATHS[name]}</svg>`;
}
