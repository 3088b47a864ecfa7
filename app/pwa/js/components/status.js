// Loading, error and empty states, announced politely.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';

export function Loading({ label }) {
  return html`<p class="muted state" role="status">${label || t('common.loading')}</p>`;
}

export function errorText(error) {
  if (!error) return '';
  if (error.status === 0) return t('error.network');
  if (error.status === 404) return t('error.not_found');
  if (error.status === 403) return t('error.forbidden');
  return error.message || t('error.generic');
}

export function ErrorMessage({ error, onRetry }) {
  return html`<div class="state error-box" role="alert">
    <p>${errorText(error)}</p>
    ${onRetry && html`<button type="button" class="button" onClick=${onRetry}>${t('common.retry')}</button>`}
  </div>`;
}

export function Empty({ children }) {
  return html`<p class="muted state">${children}</p>`;
}
