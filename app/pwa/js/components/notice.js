// A live notification inside the app ("Alice a consigné un appel chez Dupont"), with a link to
// the record and a close button; it goes by itself after a few seconds.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { useStore } from '../hooks.js';
import { dismissNotice, notice } from '../store/ui.js';
import { Icon } from './icons.js';

export function Notice() {
  const current = useStore(notice);
  return html`<div class="notice-region" role="status" aria-live="polite">
    ${current && html`<div class="notice" key=${current.at} data-testid="notice">
      <div class="notice-text">
        <p class="notice-title">${current.title}</p>
        ${current.body && html`<p class="notice-body">${current.body}</p>`}
      </div>
      ${current.href && html`<a class="button small notice-open" href=${current.href}
        onClick=${dismissNotice} data-testid="notice-open">${t('notice.open')}</a>`}
      <button type="button" class="icon-button notice-close" onClick=${dismissNotice}
        aria-label=${t('common.close')}><${Icon} name="close" size="20" /></button>
    </div>`}
  </div>`;
}
