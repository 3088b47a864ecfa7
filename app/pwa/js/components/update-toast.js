// "Nouvelle version disponible" with its button, while a new service worker waits.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { useStore } from '../hooks.js';
import { updateReady } from '../store/ui.js';
import { applyUpdate } from '../sw-register.js';

export function UpdateToast() {
  const worker = useStore(updateReady);
  if (!worker) return null;
  return html`<div class="update-toast" role="status" data-testid="update-toast">
    <span>${t('update.available')}</span>
    <button type="button" class="button small" onClick=${() => applyUpdate(worker)}
      data-testid="update-apply">${t('update.apply')}</button>
  </div>`;
}
