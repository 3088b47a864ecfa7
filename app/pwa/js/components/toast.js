// Short confirmations ("Échange consigné"), in a live region that is always present.
import { html } from '../lib.js';
import { useStore } from '../hooks.js';
import { toast } from '../store/ui.js';

export function Toast() {
  const current = useStore(toast);
  return html`<div class="toast-region" role="status" aria-live="polite">
    ${current && html`<p class="toast" key=${current.at} data-testid="toast">${current.message}</p>`}
  </div>`;
}
