// My appointments in any calendar app: the secret iCal address, "Copier", a webcal:// link
// that opens the phone's calendar, and "Révoquer" (with a confirmation) for a new address.
import { html, useEffect, useRef, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useAsync } from '../hooks.js';
import { getCalendarFeed, rotateCalendarFeed } from '../store/agenda.js';
import { Icon } from './icons.js';
import { ErrorMessage, Loading, errorText } from './status.js';

export function webcalUrl(url) {
  return url.replace(/^https?:\/\//, 'webcal://');
}

async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API here (an insecure origin, a refused permission): the old way.
    input.select();
    return document.execCommand('copy');
  }
}

function Rotate({ online, onRotated }) {
  const [state, setState] = useState({ asking: false, busy: false, error: null });
  const rotate = async () => {
    setState({ asking: true, busy: true, error: null });
    try {
      onRotated(await rotateCalendarFeed());
      setState({ asking: false, busy: false, error: null });
    } catch (error) {
      setState({ asking: true, busy: false, error });
    }
  };
  if (!state.asking) {
    return html`<button type="button" class="button danger wide" disabled=${!online}
      onClick=${() => setState({ ...state, asking: true })} data-testid="calendar-rotate">
      ${t('calendar.rotate')}</button>`;
  }
  return html`<div class="confirm-box" role="alert" data-testid="calendar-confirm">
    <p>${t('calendar.rotate_confirm')}</p>
    ${state.error && html`<p class="field-error">${errorText(state.error)}</p>`}
    <div class="attention-actions">
      <button type="button" class="button" onClick=${() => setState({ asking: false, busy: false, error: null })}>
        ${t('common.cancel')}</button>
      <button type="button" class="button danger" disabled=${!online || state.busy} onClick=${rotate}
        data-testid="calendar-rotate-confirm">${t('calendar.rotate_yes')}</button>
    </div>
  </div>`;
}

export function CalendarFeed({ online }) {
  const feed = useAsync((signal) => getCalendarFeed(signal), []);
  useEffect(() => { // back online after a failed read: ask again (going offline keeps the address)
    if (online && feed.error) feed.reload();
  }, [online]);
  const [message, setMessage] = useState('');
  const input = useRef(null);
  const url = feed.data && feed.data.url;
  const copy = async () => setMessage(t(await copyText(url, input.current) ? 'calendar.copied' : 'calendar.copy_failed'));
  const rotated = (data) => {
    feed.setData(() => data);
    setMessage(t('calendar.rotated'));
  };
  return html`<section class="section card stack-card" aria-labelledby="calendar-title" id="calendar"
    data-testid="calendar-feed">
    <h2 id="calendar-title">${t('calendar.title')}</h2>
    <p class="muted small">${t('calendar.hint')}</p>
    ${!url && feed.loading && html`<${Loading} />`}
    ${!url && feed.error && online && html`<${ErrorMessage} error=${feed.error} onRetry=${feed.reload} />`}
    ${url && html`<div class="field">
        <label for="calendar-url">${t('calendar.url')}</label>
        <input id="calendar-url" ref=${input} readonly value=${url} data-testid="calendar-url"
          onFocus=${(e) => e.currentTarget.select()} />
      </div>
      <div class="calendar-actions">
        <button type="button" class="button" onClick=${copy} data-testid="calendar-copy">
          <${Icon} name="copy" size="18" />${t('calendar.copy')}</button>
        <a class="button primary" href=${webcalUrl(url)} data-testid="calendar-subscribe">
          <${Icon} name="calendar" size="18" />${t('calendar.subscribe')}</a>
      </div>
      <p role="status" class="push-message ok" data-testid="calendar-message">${message}</p>
      <${Rotate} online=${online} onRotated=${rotated} />`}
  </section>`;
}
