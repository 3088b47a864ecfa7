// Sign in with e-mail and password; the API's message is shown on failure.
import { html, useState } from '../lib.js';
import { getLocale, setLocale, t } from '../i18n/index.js';
import { login } from '../store/session.js';
import { Field, useForm } from '../components/field.js';
import { errorText } from '../components/status.js';

function loginError(error) {
  if (error.code === 'invalid_credentials') return t('login.invalid');
  if (error.status === 422) return t('login.missing');
  return errorText(error);
}

export function LoginView() {
  const { values, bind } = useForm({ email: '', password: '' });
  const [state, setState] = useState({ busy: false, error: null });
  const other = getLocale() === 'fr' ? 'en' : 'fr';

  const submit = async (event) => {
    event.preventDefault();
    setState({ busy: true, error: null });
    try {
      await login(values.email.trim(), values.password);
    } catch (error) {
      setState({ busy: false, error });
    }
  };

  return html`<main id="main" class="login">
    <div class="login-card">
      <img class="login-logo" src="/icons/icon-192.png" alt="" width="72" height="72" />
      <h1>Tournée</h1>
      <p class="muted">${t('login.tagline')}</p>
      <form onSubmit=${submit} class="stack" data-testid="login-form">
        ${state.error && html`<p class="error-box" role="alert" data-testid="login-error">
          ${loginError(state.error)}</p>`}
        <${Field} prefix="login" type="email" label=${t('login.email')} autocomplete="username"
          inputmode="email" autocapitalize="none" ...${bind('email')} />
        <${Field} prefix="login" type="password" label=${t('login.password')}
          autocomplete="current-password" ...${bind('password')} />
        <button type="submit" class="button primary wide" disabled=${state.busy}
          data-testid="login-submit">${state.busy ? t('login.busy') : t('login.submit')}</button>
      </form>
      <button type="button" class="link-button" lang=${other} onClick=${() => setLocale(other)}>
        ${t('settings.language_other')}</button>
    </div>
  </main>`;
}
