// Profile and settings: who I am, the app language, sign out.
import { html, useState } from '../lib.js';
import { LOCALES, getLocale, setLocale, t } from '../i18n/index.js';
import { logout } from '../store/session.js';
import { Page } from '../components/page.js';

const LANGUAGE_NAMES = { fr: 'Français', en: 'English' };

export function SettingsView({ user }) {
  const [busy, setBusy] = useState(false);
  const locale = getLocale();
  const signOut = async () => {
    setBusy(true);
    try {
      await logout();
    } finally {
      setBusy(false);
      window.location.hash = '#/';
    }
  };
  return html`<${Page} title=${t('settings.title')} back="/">
    <section class="section card profile" aria-labelledby="settings-me">
      <h2 id="settings-me">${user.name}</h2>
      <p class="muted">${user.email}</p>
      <p class="muted small">${t(`role.${user.role}`)}</p>
    </section>
    <fieldset class="section fieldset">
      <legend>${t('settings.language')}</legend>
      ${LOCALES.map((code) => html`<label class="radio-row" key=${code} lang=${code}>
        <input type="radio" name="locale" value=${code} checked=${locale === code}
          data-testid=${`locale-${code}`} onChange=${() => setLocale(code)} />
        <span>${LANGUAGE_NAMES[code]}</span>
      </label>`)}
    </fieldset>
    <section class="section">
      <button type="button" class="button danger wide" onClick=${signOut} disabled=${busy}
        data-testid="logout">${t('settings.logout')}</button>
    </section>
  <//>`;
}
