// One-tap actions on a record: call (remembered for the post-call prompt), e-mail, map, website.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { rememberCall } from '../store/pending-call.js';
import { Icon } from './icons.js';

export function telHref(phone) {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

export function mapsHref(parts) {
  const address = parts.filter(Boolean).join(', ');
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(address)}`;
}

/** call: {name, company_id, contact_id}; label defaults to "Appeler". */
export function CallAction({ phone, call, label, testid = 'action-call' }) {
  if (!phone) return null;
  const onClick = () => rememberCall({ ...call, phone });
  return html`<a class="action" href=${telHref(phone)} onClick=${onClick} data-testid=${testid}
    aria-label=${`${label || t('action.call')} ${phone}`}>
    <${Icon} name="phone" /><span>${label || t('action.call')}</span></a>`;
}

export function MailAction({ email }) {
  if (!email) return null;
  return html`<a class="action" href=${`mailto:${email}`} data-testid="action-mail"
    aria-label=${`${t('action.mail')} ${email}`}>
    <${Icon} name="mail" /><span>${t('action.mail')}</span></a>`;
}

export function MapAction({ address }) {
  if (!address.some(Boolean)) return null;
  return html`<a class="action" href=${mapsHref(address)} target="_blank" rel="noopener"
    data-testid="action-map" aria-label=${`${t('action.map')} (${t('common.new_window')})`}>
    <${Icon} name="map" /><span>${t('action.map')}</span></a>`;
}

export function WebAction({ website }) {
  if (!website) return null;
  const url = /^https?:\/\//i.test(website) ? website : `https://${website}`;
  return html`<a class="action" href=${url} target="_blank" rel="noopener"
    aria-label=${`${t('action.website')} (${t('common.new_window')})`}>
    <${Icon} name="globe" /><span>${t('action.website')}</span></a>`;
}

export function ActionRow({ children }) {
  return html`<nav class="actions" aria-label=${t('action.group')}>${children}</nav>`;
}
