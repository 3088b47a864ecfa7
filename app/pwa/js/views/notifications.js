// Réglages > Notifications: this device (on, off, blocked, iOS home screen first), what to be
// notified of, where and when not, my devices, and the calendar feed. Everything here needs
// the network.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useStore } from '../hooks.js';
import { syncState } from '../sync/state.js';
import { CalendarFeed } from '../components/calendar-feed.js';
import { Page } from '../components/page.js';
import { MyDevices } from '../components/push-devices.js';
import { ThisDevice } from '../components/push-device.js';
import { PushPreferences } from '../components/push-preferences.js';

export function NotificationsView() {
  const { online } = useStore(syncState);
  const [version, setVersion] = useState(0); // bumped when this device subscribes or leaves
  const changed = () => setVersion((n) => n + 1);
  return html`<${Page} title=${t('notify.title')} back="/settings">
    ${!online && html`<p class="note offline-note" role="status" data-testid="notify-offline">
      ${t('notify.offline')}</p>`}
    <${ThisDevice} online=${online} version=${version} onChange=${changed} />
    <${PushPreferences} online=${online} />
    <${MyDevices} online=${online} version=${version} onChange=${changed} />
    <${CalendarFeed} online=${online} />
  <//>`;
}
