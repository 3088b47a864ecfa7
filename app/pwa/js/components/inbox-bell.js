// The home screen's bell: opens the notification inbox, with the unread count as a badge
// ("9+" beyond nine, none at zero) that screen readers hear in the link's name.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { useStore } from '../hooks.js';
import { unreadCount } from '../store/inbox.js';
import { Icon } from './icons.js';

export function bellLabel(count) {
  if (count === 0) return t('inbox.title');
  return t(count === 1 ? 'inbox.bell_one' : 'inbox.bell_many', { count });
}

export function InboxBell() {
  const count = useStore(unreadCount);
  return html`<a class="icon-button bell" href="#/notifications" aria-label=${bellLabel(count)}
    data-testid="open-inbox">
    <${Icon} name="bell" />
    ${count > 0 && html`<span class="bell-badge" aria-hidden="true" data-testid="inbox-badge">
      ${count > 9 ? '9+' : count}</span>`}
  </a>`;
}
