// The notification inbox, newest first: unread ones in bold; a tap marks one read and opens its
// record. Online only: offline, the list last loaded stays on screen with a note saying so.
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatDateTime, formatRelative } from '../format.js';
import { useNow, useStore } from '../hooks.js';
import { appHref } from '../router.js';
import { inbox, loadInbox, loadMore, markAllRead, markRead, unreadCount } from '../store/inbox.js';
import { syncState } from '../sync/state.js';
import { Page } from '../components/page.js';
import { Empty, ErrorMessage, Loading } from '../components/status.js';

function Item({ item, now }) {
  const unread = !item.read_at;
  const target = appHref(item.url);
  const body = html`
    ${unread && html`<span class="inbox-dot" aria-hidden="true"></span>`}
    <span class="card-body">
      <span class="inbox-title">
        ${unread && html`<span class="visually-hidden">${t('inbox.unread')} : </span>`}${item.title}</span>
      ${item.body && html`<span class="inbox-text">${item.body}</span>`}
      <time class="card-meta" datetime=${item.created_at} title=${formatDateTime(item.created_at)}>
        ${formatRelative(item.created_at, now)}</time>
    </span>`;
  const props = { class: unread ? 'card inbox-item unread' : 'card inbox-item', 'data-testid': 'inbox-item',
    'data-unread': unread ? 'true' : 'false', onClick: () => markRead(item) };
  return target
    ? html`<a ...${props} href=${target}>${body}</a>`
    : html`<button type="button" ...${props}>${body}</button>`;
}

function ReadAll({ online }) {
  const [state, setState] = useState({ busy: false, error: null });
  const onClick = async () => {
    setState({ busy: true, error: null });
    try {
      await markAllRead();
      setState({ busy: false, error: null });
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return html`<div class="inbox-actions">
    <button type="button" class="button small" onClick=${onClick} disabled=${!online || state.busy}
      data-testid="inbox-read-all">${t('inbox.read_all')}</button>
    ${state.error && html`<${ErrorMessage} error=${state.error} />`}
  </div>`;
}

export function InboxView() {
  const { online } = useStore(syncState);
  const { items, cursor, loaded, loading, error } = useStore(inbox);
  const count = useStore(unreadCount);
  const now = useNow();
  useEffect(() => {
    if (online) loadInbox();
  }, [online]);
  const anyUnread = count > 0 || items.some((item) => !item.read_at);
  return html`<${Page} title=${t('inbox.title')} back="/">
    ${!online && html`<p class="note offline-note inbox-note" role="status" data-testid="inbox-offline">
      ${t(loaded ? 'inbox.offline_kept' : 'inbox.offline')}</p>`}
    ${anyUnread && loaded && html`<${ReadAll} online=${online} />`}
    ${loaded && items.length === 0 && html`<${Empty}>${t('inbox.empty')}<//>`}
    ${items.length > 0 && html`<ul class="cards inbox-list" data-testid="inbox-list">
      ${items.map((item) => html`<li key=${item.id}><${Item} item=${item} now=${now} /></li>`)}
    </ul>`}
    ${loading && !loaded && html`<${Loading} />`}
    ${error && online && html`<${ErrorMessage} error=${error} onRetry=${cursor && loaded ? loadMore : loadInbox} />`}
    ${cursor && !error && online && html`<button type="button" class="button wide section"
      onClick=${loadMore} disabled=${loading} data-testid="inbox-more">${t('inbox.more')}</button>`}
  <//>`;
}
