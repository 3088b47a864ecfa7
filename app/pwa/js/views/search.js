// Search as you type (debounced, stale requests aborted); the query lives in the URL.
import { html, useEffect, useRef, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useSearch } from '../hooks.js';
import { navigate } from '../router.js';
import { Icon } from '../components/icons.js';
import { Page } from '../components/page.js';
import { SearchResults } from '../components/search-results.js';
import { ErrorMessage } from '../components/status.js';

export function SearchView({ query }) {
  const [q, setQ] = useState(query.q || '');
  const input = useRef(null);
  const results = useSearch(q);
  useEffect(() => input.current && input.current.focus(), []);

  const onInput = (event) => {
    const value = event.currentTarget.value;
    setQ(value);
    navigate('/search', { query: value ? { q: value } : undefined, replace: true });
  };
  const trimmed = q.trim();
  const settled = !results.loading && results.q === trimmed;
  return html`<${Page} title=${t('search.title')} back="/" focusTitle=${false}>
    <form role="search" class="search-form" onSubmit=${(e) => e.preventDefault()}>
      <label for="search-q" class="visually-hidden">${t('search.label')}</label>
      <span class="search-icon"><${Icon} name="search" /></span>
      <input id="search-q" ref=${input} type="search" value=${q} onInput=${onInput}
        placeholder=${t('search.placeholder')} autocomplete="off" enterkeyhint="search"
        data-testid="search-input" />
    </form>
    <div aria-live="polite" class="muted small search-status">
      ${trimmed && settled && !results.error && (results.items.length
        ? t('search.count', { count: results.items.length }) : t('search.no_results'))}
    </div>
    ${results.error && html`<${ErrorMessage} error=${results.error} />`}
    ${!trimmed && html`<p class="muted state">${t('search.hint')}</p>`}
    <${SearchResults} items=${trimmed ? results.items : []} />
  <//>`;
}
