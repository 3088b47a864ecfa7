// Unknown route.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { Page } from '../components/page.js';

export function NotFoundView() {
  return html`<${Page} title=${t('notfound.title')} back="/">
    <p>${t('notfound.text')}</p>
    <p><a class="button" href="#/">${t('nav.home')}</a></p>
  <//>`;
}
