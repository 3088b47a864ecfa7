// What to be notified of and where (in the app, push, e-mail: one switch per kind and channel),
// automatic follows, appointment reminders and quiet hours, saved together with the browser's
// time zone.
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useAsync } from '../hooks.js';
import { getPreferences, savePreferences } from '../push.js';
import { AutoFollow, ReminderChoice } from './channel-options.js';
import { ChannelTable } from './channel-table.js';
import { FormErrors } from './field.js';
import { ErrorMessage, Loading } from './status.js';

const DEFAULT_QUIET = { start: '22:00', end: '07:00' };
const OPTIONAL = ['inapp', 'email', 'auto_follow', 'reminder_minutes'];

function Switch({ label, hint, checked, onChange, testid }) {
  return html`<label class="switch">
    <input type="checkbox" role="switch" checked=${checked} data-testid=${testid}
      onChange=${(e) => onChange(e.currentTarget.checked)} />
    <span class="switch-text"><span>${label}</span>${hint && html`<span class="muted small">${hint}</span>`}</span>
  </label>`;
}

function QuietHours({ quiet, setQuiet }) {
  const on = quiet.enabled;
  const time = (name, label) => html`<div class="field">
    <label for=${`quiet-${name}`}>${label}</label>
    <input id=${`quiet-${name}`} type="time" required value=${quiet[name]} disabled=${!on}
      data-testid=${`quiet-${name}`} onInput=${(e) => setQuiet({ ...quiet, [name]: e.currentTarget.value })} />
  </div>`;
  return html`<fieldset class="fieldset section stack-tight">
    <legend>${t('notify.quiet_title')}</legend>
    <${Switch} label=${t('notify.quiet_switch')} hint=${t('notify.quiet_hint')} checked=${on}
      testid="quiet-enabled" onChange=${(enabled) => setQuiet({ ...quiet, enabled })} />
    <div class="field-row">${time('start', t('notify.quiet_start'))}${time('end', t('notify.quiet_end'))}</div>
  </fieldset>`;
}

/** The optional fields this server sent (an older one sends none: they are left alone). */
function optionalFields(initial) {
  return Object.fromEntries(OPTIONAL.filter((name) => name in initial).map((name) => [name, initial[name]]));
}

function Form({ initial, online }) {
  const [channels, setChannels] = useState({ kinds: initial.kinds || {}, inapp: initial.inapp, email: initial.email });
  const [extra, setExtra] = useState(optionalFields(initial));
  const [quiet, setQuiet] = useState({ ...DEFAULT_QUIET, ...(initial.quiet_hours || {}),
    enabled: Boolean(initial.quiet_hours) });
  const [state, setState] = useState({ saving: false, saved: false, error: null });
  const setChannel = (name, kind, on) => {
    setChannels((c) => ({ ...c, [name]: { ...c[name], [kind]: on } }));
    if (name !== 'kinds') setExtra((x) => ({ ...x, [name]: { ...x[name], [kind]: on } }));
  };
  const save = async (event) => {
    event.preventDefault();
    setState({ saving: true, saved: false, error: null });
    const quietHours = quiet.enabled ? { start: quiet.start, end: quiet.end } : null;
    try {
      await savePreferences({ kinds: channels.kinds, quietHours, extra });
      setState({ saving: false, saved: true, error: null });
    } catch (error) {
      setState({ saving: false, saved: false, error });
    }
  };
  const changed = () => state.saved && setState({ ...state, saved: false });
  return html`<form class="section" onSubmit=${save} onInput=${changed} onChange=${changed}>
    <fieldset class="fieldset stack-tight">
      <legend>${t('notify.kinds_title')}</legend>
      <${ChannelTable} channels=${channels} onChange=${setChannel} />
    </fieldset>
    ${'auto_follow' in extra && html`<${AutoFollow} value=${extra.auto_follow || []}
      onChange=${(value) => setExtra((x) => ({ ...x, auto_follow: value }))} />`}
    ${'reminder_minutes' in extra && html`<${ReminderChoice} value=${extra.reminder_minutes}
      onChange=${(value) => setExtra((x) => ({ ...x, reminder_minutes: value }))} />`}
    <${QuietHours} quiet=${quiet} setQuiet=${setQuiet} />
    <div class="section stack-tight">
      <${FormErrors} error=${state.error} />
      <button type="submit" class="button primary wide" disabled=${!online || state.saving}
        data-testid="prefs-save">${state.saving ? t('common.saving') : t('notify.save')}</button>
      <p role="status" class="push-message ok" data-testid="prefs-saved">${state.saved && t('notify.saved')}</p>
    </div>
  </form>`;
}

export function PushPreferences({ online }) {
  const prefs = useAsync((signal) => getPreferences(signal), [online]);
  const [shown, setShown] = useState(null);
  useEffect(() => { if (prefs.data) setShown(prefs.data); }, [prefs.data]);
  if (shown) return html`<${Form} initial=${shown} online=${online} />`;
  if (prefs.error) return html`<${ErrorMessage} error=${prefs.error} onRetry=${prefs.reload} />`;
  return html`<${Loading} />`;
}
