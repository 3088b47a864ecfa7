// A record's timeline: newest first, "load more" by cursor, new exchanges put on top.
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { concerns, exchangeCreated } from '../store/exchanges.js';
import { getTimeline } from '../store/records.js';
import { ExchangeCard } from './exchange-card.js';
import { Empty, ErrorMessage, Loading } from './status.js';

export function Timeline({ type, id, picklists }) {
  const [state, setState] = useState({ items: [], cursor: null, loading: true, error: null });

  const load = (cursor, signal) => {
    setState((s) => ({ ...s, loading: true, error: null }));
    getTimeline(type, id, cursor, signal).then(
      (page) => setState((s) => ({
        items: cursor ? [...s.items, ...page.items] : page.items,
        cursor: page.next_cursor, loading: false, error: null,
      })),
      (error) => error.name !== 'AbortError' && setState((s) => ({ ...s, loading: false, error })),
    );
  };

  useEffect(() => {
    const controller = new AbortController();
    setState({ items: [], cursor: null, loading: true, error: null });
    load(null, controller.signal);
    return () => controller.abort();
  }, [type, id]);

  useEffect(() => exchangeCreated.subscribe((exchange) => {
    if (!concerns(exchange, type, id)) return;
    setState((s) => ({ ...s, items: [exchange, ...s.items.filter((e) => e.id !== exchange.id)] }));
  }), [type, id]);

  const { items, cursor, loading, error } = state;
  return html`<section class="section" aria-labelledby="timeline-title">
    <h2 id="timeline-title">${t('timeline.title')}</h2>
    <ol class="timeline" data-testid="timeline">
      ${items.map((exchange) => html`<li key=${exchange.id}>
        <${ExchangeCard} exchange=${exchange} picklists=${picklists} hide=${type} /></li>`)}
    </ol>
    ${!loading && !error && items.length === 0 && html`<${Empty}>${t('timeline.empty')}<//>`}
    ${loading && html`<${Loading} />`}
    ${error && html`<${ErrorMessage} error=${error} onRetry=${() => load(cursor)} />`}
    ${cursor && !loading && !error && html`<button type="button" class="button wide"
      onClick=${() => load(cursor)} data-testid="timeline-more">${t('timeline.more')}</button>`}
  </section>`;
}
