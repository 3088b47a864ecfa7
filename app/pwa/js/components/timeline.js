// A record's timeline, newest first. From the device once it has synced (new and pending
// exchanges included, re-read when local data changes), then older history from the server
// on demand; from the server page by page before the first sync. The record's events (stage
// moved, owner changed...) are merged in by date as discreet system lines.
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useLive } from '../hooks.js';
import { concerns, exchangeCreated } from '../store/exchanges.js';
import { localTimeline } from '../store/local.js';
import { listRecordEvents } from '../store/record-events.js';
import { getTimeline } from '../store/records.js';
import { hasSynced } from '../sync/pull.js';
import { ExchangeCard } from './exchange-card.js';
import { Empty, ErrorMessage, Loading } from './status.js';
import { TimelineEvent } from './timeline-event.js';

const SHOWN_STEP = 50;

async function loadLocal(type, id) {
  if (!(await hasSynced())) return null; // not a complete working set yet: ask the server
  return localTimeline(type, id);
}

/** Older pages from the server, skipping what the device already shows. */
function useServerPages(type, id) {
  const [state, setState] = useState({ items: [], cursor: null, started: false, loading: false, error: null });
  const more = (known) => {
    setState((s) => ({ ...s, loading: true, error: null }));
    const fetchPage = async (cursor) => {
      const page = await getTimeline(type, id, cursor);
      const fresh = page.items.filter((e) => !known.has(e.id));
      if (fresh.length === 0 && page.next_cursor) return fetchPage(page.next_cursor);
      return { ...page, items: fresh };
    };
    fetchPage(state.cursor).then(
      (page) => setState((s) => ({ items: [...s.items, ...page.items], cursor: page.next_cursor,
        started: true, loading: false, error: null })),
      (error) => setState((s) => ({ ...s, loading: false, error })),
    );
  };
  return { ...state, more };
}

/** Exchanges and events in one list, newest first; events older than the last exchange shown
 *  wait while more exchanges are to be shown (they would sit out of place). */
function mergeEvents(exchanges, events, hideOlder) {
  const oldest = exchanges.length ? exchanges[exchanges.length - 1].starts_at : '';
  const kept = hideOlder ? events.filter((e) => e.at >= oldest) : events;
  const rows = [...exchanges.map((e) => ({ at: e.starts_at, exchange: e })), ...kept.map((e) => ({ at: e.at, event: e }))];
  return rows.sort((a, b) => b.at.localeCompare(a.at));
}

export function Timeline({ type, id, picklists }) {
  const local = useLive(() => loadLocal(type, id), [type, id]);
  const events = useLive((signal) => listRecordEvents(type, id, signal), [type, id]);
  const [shown, setShown] = useState(SHOWN_STEP);
  const [created, setCreated] = useState([]);
  const server = useServerPages(type, id);

  useEffect(() => {
    // Before the first sync the device holds no timeline: start with the server's first page.
    if (!local.loading && local.data === null && !server.started && !server.loading) server.more(new Set());
  }, [local.loading, local.data]);

  useEffect(() => exchangeCreated.subscribe((exchange) => {
    if (concerns(exchange, type, id)) setCreated((list) => [exchange, ...list]);
  }), [type, id]);

  const base = local.data || [];
  const ids = new Set(base.map((e) => e.id));
  const items = [...created.filter((e) => !ids.has(e.id)), ...base.slice(0, shown)];
  items.forEach((e) => ids.add(e.id));
  const older = server.items.filter((e) => !ids.has(e.id));
  const all = [...items, ...older];
  const serverDone = server.started && !server.cursor;
  const canMore = base.length > shown || (!serverDone && !server.loading && navigator.onLine);
  const onMore = () => (base.length > shown ? setShown(shown + SHOWN_STEP) : server.more(ids));
  const loading = local.loading || server.loading || (local.data === null && !server.started && !server.error);
  const error = local.error || server.error;
  const rows = mergeEvents(all, events.data || [], base.length > shown);

  return html`<section class="section" aria-labelledby="timeline-title">
    <h2 id="timeline-title">${t('timeline.title')}</h2>
    <ol class="timeline" data-testid="timeline">
      ${rows.map(({ exchange, event }) => (event
        ? html`<li key=${`event-${event.id}`} class="timeline-event-row"><${TimelineEvent} event=${event} /></li>`
        : html`<li key=${exchange.id}>
          <${ExchangeCard} exchange=${exchange} picklists=${picklists} hide=${type} /></li>`))}
    </ol>
    ${!loading && !error && rows.length === 0 && html`<${Empty}>${t('timeline.empty')}<//>`}
    ${loading && html`<${Loading} />`}
    ${error && html`<${ErrorMessage} error=${error} onRetry=${() => (local.error ? local.reload() : server.more(ids))} />`}
    ${canMore && !loading && !error && all.length > 0 && html`<button type="button" class="button wide"
      onClick=${onMore} data-testid="timeline-more">${t('timeline.more')}</button>`}
  </section>`;
}
