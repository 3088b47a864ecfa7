// After a tel: tap, when the page is visible again: "Log this call with X? (4 min)".
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { minutesBetween } from '../format.js';
import { forgetCall, pendingCall } from '../store/pending-call.js';
import { openQuickLog } from '../store/ui.js';

export function PostCallBanner() {
  const [prompt, setPrompt] = useState(null); // {call, ended_at}
  useEffect(() => {
    const check = () => {
      if (document.visibilityState !== 'visible') return;
      const call = pendingCall();
      setPrompt(call ? { call, ended_at: new Date().toISOString() } : null);
    };
    check();
    document.addEventListener('visibilitychange', check);
    return () => document.removeEventListener('visibilitychange', check);
  }, []);
  if (!prompt) return null;

  const { call, ended_at: endedAt } = prompt;
  const dismiss = () => {
    forgetCall();
    setPrompt(null);
  };
  const log = () => {
    dismiss();
    openQuickLog({
      company_id: call.company_id, contact_id: call.contact_id, title: call.name,
      preset: { kind: 'call', starts_at: call.started_at, ends_at: endedAt },
    });
  };
  return html`<section class="banner" aria-labelledby="postcall-text" data-testid="post-call-banner">
    <p id="postcall-text">
      <strong>${t('postcall.question', { name: call.name })}</strong>
      <span class="muted nowrap"> ${t('postcall.duration', { minutes: minutesBetween(call.started_at, endedAt) })}</span>
    </p>
    <div class="banner-actions">
      <button type="button" class="button" onClick=${dismiss} data-testid="post-call-dismiss">
        ${t('postcall.dismiss')}</button>
      <button type="button" class="button primary" onClick=${log} data-testid="post-call-log">
        ${t('postcall.log')}</button>
    </div>
  </section>`;
}
