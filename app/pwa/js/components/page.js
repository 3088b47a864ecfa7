// Screen frame: top bar (back, title, actions), main content, optional bottom bar.
import { html, useEffect, useRef } from '../lib.js';
import { t } from '../i18n/index.js';
import { goBack } from '../router.js';
import { Icon } from './icons.js';
import { SyncIndicator, SyncProgress } from './sync-indicator.js';

export function Page({ title, subtitle, back, actions, footer, children, focusTitle = true }) {
  const heading = useRef(null);
  useEffect(() => {
    // Announce the new screen to screen readers: focus its title (not the search screen).
    if (focusTitle && heading.current) heading.current.focus({ preventScroll: true });
  }, [title]);
  return html`
    <header class="topbar">
      ${back && html`<button type="button" class="icon-button" onClick=${() => goBack(back)}
        aria-label=${t('nav.back')} data-testid="back"><${Icon} name="back" /></button>`}
      <div class="topbar-title">
        <h1 ref=${heading} tabindex="-1">${title}</h1>
        ${subtitle && html`<p class="topbar-subtitle">${subtitle}</p>`}
      </div>
      ${actions}
      <div class="topbar-sync"><${SyncIndicator} /></div>
      <${SyncProgress} />
    </header>
    <main id="main" tabindex="-1" class=${footer ? 'content has-footer' : 'content'}>${children}</main>
    ${footer && html`<div class="bottombar">${footer}</div>`}
  `;
}
