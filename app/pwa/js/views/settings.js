// Profile and settings: who I am, the way to the notifications screen, the app language, sign
// out (with a warning when the device still holds unsent work, which stays on the device).
import { html, useState } from '../lib.js';
import { LOCALES, getLocale, setLocale, t } from '../i18n/index.js';
import { useStore } from '../hooks.js';
import { logout } from '../store/session.js';
import { syncState } from '../sync/state.js';
import { Icon } from '../components/icons.js';
import { Page } from '../components/page.js';

const LANGUAGE_NAMES = { fr: 'Français', en: 'English' };

export function SettingsView({ user }) {
  const [busy, setBusy] = useState(false);
  const [warned, setWarned] = useState(false);
  const { pending, attention } = useStore(syncState);
  const unsent = pending + attention; // refused items are unsent work too: both are kept
  const locale = getLocale();
  const signOut = async () => {
    if (unsent > 0 && !warned) return setWarned(true);
    setBusy(true);
    try {
      await logout();
    } finally {
      setBusy(false);
      window.location.hash = '#/';
    }
    return null;
  };
  return html`<${Page} title=${t('settings.title')} back="/">
    <section class="section card profile" aria-labelledby="settings-me">
      <h2 id="settings-me">${user.name}</h2>
      <p class="muted">${user.email}</p>
      <p class="muted small">${t(`role.${user.role}`)}</p>
    </section>
    <ul class="list section">
      <li><a class="list-row" href="#/settings/notifications" data-testid="open-notifications">
        <span class="list-text"><span class="list-title">${t('settings.notifications')}</span>
          <span class="list-subtitle">${t('settings.notifications_hint')}</span></span>
        <${Icon} name="chevron" size="20" /></a></li>
      ${user.role === 'admin' && html`<li><a class="list-row" href="#/settings/alert-rules"
        data-testid="open-alert-rules">
        <span class="list-text"><span class="list-title">${t('rules.title')}</span>
          <span class="list-subtitle">${t('rules.entry_hint')}</span></span>
        <${Icon} name="chevron" size="20" /></a></li>`}
    </ul>
    <fieldset class="section fieldset">
      <legend>${t('settings.language')}</legend>
      ${LOCALES.map((code) => html`<label class="radio-row" key=${code} lang=${code}>
        <input type="radio" name="locale" value=${code} checked=${locale === code}
          data-testid=${`locale-${code}`} onChange=${() => setLocale(code)} />
        <span>${LANGUAGE_NAMES[code]}</span>
      </label>`)}
    </fieldset>
    <section class="section stack">
      ${warned && html`<div class="confirm-box" role="alert" data-testid="logout-warning">
        <p>${t('settings.logout_pending', { count: unsent })}</p>
        <button type="button" class="button" onClick=${() => setWarned(false)}>${t('common.cancel')}</button>
      </div>`}
      <button type="button" class="button danger wide" onClick=${signOut} disabled=${busy}
        data-testid="logout">${warned ? t('settings.logout_anyway') : t('settings.logout')}</button>
    </section>
  <//>`;
}
