// The header's sync state: "Hors ligne", "3 en attente", "2 à vérifier", "Synchronisé il y a
// 2 min"; during a first sync, a progress bar under the top bar.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { useNow, useStore } from '../hooks.js';
import { syncState } from '../sync/state.js';

function ago(iso, now) {
  const minutes = Math.floor((now - new Date(iso)) / 60000);
  if (minutes < 1) return t('sync.just_now');
  if (minutes < 60) return t('sync.minutes_ago', { count: minutes });
  return t('sync.hours_ago', { count: Math.floor(minutes / 60) });
}

function label(state, now) {
  const parts = [];
  if (!state.online) parts.push(t('sync.offline'));
  if (state.pending) parts.push(t('sync.pending', { count: state.pending }));
  if (parts.length) return parts.join(' · ');
  if (state.progress) return t('sync.first');
  if (state.lastSyncAt) return t('sync.synced', { ago: ago(state.lastSyncAt, now) });
  return state.syncing ? t('sync.syncing') : '';
}

export function SyncIndicator() {
  const state = useStore(syncState);
  const now = useNow(30_000);
  const text = label(state, now);
  const tone = !state.online ? 'offline' : state.pending ? 'pending' : 'ok';
  return html`
    ${state.attention > 0 && html`<a class="sync-pill attention" href="#/attention"
      data-testid="sync-attention">${t('sync.attention', { count: state.attention })}</a>`}
    ${text && html`<span class=${`sync-pill ${tone}`} role="status" data-testid="sync-indicator">${text}</span>`}
  `;
}

/** A first sync brings the whole working set: show how far it got. */
export function SyncProgress() {
  const { progress } = useStore(syncState);
  if (!progress) return null;
  return html`<div class="sync-progress" data-testid="sync-progress">
    <progress aria-label=${t('sync.first')}></progress>
    <span class="muted small">${t('sync.received', { count: progress.received })}</span>
  </div>`;
}
