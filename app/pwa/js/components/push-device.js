// "Cet appareil": whether this browser gets notifications, the buttons to turn them on (after a
// tap only: the browser's permission prompt never shows on its own) and off, and a test send.
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { deviceStatus, disablePush, enablePush, sendTest } from '../push.js';
import { errorText } from './status.js';

const PROBLEMS = {
  denied: 'notify.problem_denied',
  dismissed: 'notify.problem_dismissed',
  no_worker: 'notify.problem_no_worker',
  subscribe_failed: 'notify.problem_subscribe',
};

function problemText(error) {
  return PROBLEMS[error.code] ? t(PROBLEMS[error.code]) : errorText(error);
}

function Explanation({ status }) {
  if (status === 'ios_install') {
    return html`<div class="note" data-testid="push-ios">
      <p>${t('notify.ios_intro')}</p>
      <ol class="steps"><li>${t('notify.ios_step_share')}</li><li>${t('notify.ios_step_add')}</li>
        <li>${t('notify.ios_step_open')}</li></ol>
      <p class="muted small">${t('notify.ios_version')}</p>
    </div>`;
  }
  if (status === 'blocked') return html`<p class="note">${t('notify.blocked_help')}</p>`;
  if (status === 'unsupported') return html`<p class="note">${t('notify.unsupported_help')}</p>`;
  return null;
}

export function ThisDevice({ online, version, onChange }) {
  const [status, setStatus] = useState(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null); // {tone: 'ok' | 'error', text}
  const refresh = () => deviceStatus().then(setStatus, () => setStatus('off'));
  useEffect(() => { refresh(); }, [version]); // also when this device was removed below

  const run = async (action, done) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await action();
      if (done) setMessage({ tone: 'ok', text: done(result) });
    } catch (error) {
      setMessage({ tone: 'error', text: problemText(error) });
    } finally {
      setBusy(false);
      await refresh();
      onChange();
    }
  };
  const enable = () => run(enablePush, () => t('notify.enabled'));
  const disable = () => run(disablePush, () => t('notify.disabled'));
  const test = () => run(sendTest, ({ devices }) => (devices
    ? t('notify.test_sent', { count: devices }) : t('notify.test_none')));
  const off = !online || busy;

  return html`<section class="section card stack-card" aria-labelledby="notify-device">
    <h2 id="notify-device">${t('notify.this_device')}</h2>
    <p data-testid="push-status" class=${`push-status push-${status}`}>
      ${status && t(`notify.status.${status}`)}</p>
    <${Explanation} status=${status} />
    ${status === 'off' && html`<button type="button" class="button primary wide" onClick=${enable}
      disabled=${off} data-testid="push-enable">${t('notify.enable')}</button>`}
    ${status === 'on' && html`<button type="button" class="button wide" onClick=${disable}
      disabled=${off} data-testid="push-disable">${t('notify.disable')}</button>`}
    <button type="button" class="button wide" onClick=${test} disabled=${off}
      data-testid="push-test">${t('notify.test')}</button>
    <p role="status" data-testid="push-message"
      class=${message ? `push-message ${message.tone}` : 'push-message'}>${message && message.text}</p>
  </section>`;
}
