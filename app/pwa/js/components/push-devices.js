// "Mes appareils": every browser where I turned notifications on, this one marked, each with a
// button to remove it (removing this one also unsubscribes this browser).
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatDateTime } from '../format.js';
import { useAsync } from '../hooks.js';
import { currentSubscriptionId, disablePush, listDevices, removeDevice } from '../push.js';
import { Empty, ErrorMessage, Loading, errorText } from './status.js';

async function loadDevices(signal) {
  const [items, current] = await Promise.all([listDevices(signal), currentSubscriptionId()]);
  return { items, current };
}

function Device({ item, current, online, onRemove }) {
  const name = item.label || t('notify.device_unnamed');
  return html`<li class="device-row" data-testid="device">
    <div class="list-text">
      <span class="list-title">${name}
        ${current && html` <span class="chip chip-status-client" data-testid="device-current">${t('notify.device_current')}</span>`}</span>
      <span class="list-subtitle">${t('notify.device_added', { date: formatDateTime(item.created_at) })}</span>
      <span class="list-subtitle">${item.last_used_at
        ? t('notify.device_used', { date: formatDateTime(item.last_used_at) }) : t('notify.device_never')}</span>
    </div>
    <button type="button" class="button small danger" disabled=${!online} onClick=${onRemove}
      aria-label=${t('notify.device_remove_named', { name })} data-testid="device-remove">${t('notify.device_remove')}</button>
  </li>`;
}

export function MyDevices({ online, version, onChange }) {
  const devices = useAsync((signal) => loadDevices(signal), [online, version]);
  const [error, setError] = useState(null);
  const remove = async (item, isCurrent) => {
    setError(null);
    try {
      if (isCurrent) await disablePush();
      else await removeDevice(item.id);
      devices.setData((d) => ({ ...d, items: d.items.filter((i) => i.id !== item.id) }));
      onChange();
    } catch (failure) {
      setError(failure);
    }
  };
  const data = devices.data;
  return html`<section class="section" aria-labelledby="notify-devices">
    <h2 id="notify-devices">${t('notify.devices_title')}</h2>
    ${devices.loading && !data && html`<${Loading} />`}
    ${devices.error && html`<${ErrorMessage} error=${devices.error} onRetry=${devices.reload} />`}
    ${data && data.items.length === 0 && html`<${Empty}>${t('notify.devices_empty')}<//>`}
    ${data && data.items.length > 0 && html`<ul class="list" data-testid="devices">
      ${data.items.map((item) => html`<${Device} key=${item.id} item=${item} online=${online}
        current=${item.id === data.current} onRemove=${() => remove(item, item.id === data.current)} />`)}
    </ul>`}
    ${error && html`<p class="field-error" role="alert">${errorText(error)}</p>`}
  </section>`;
}
