// "Suivre" / "Suivi" on a record page: a tap follows or stops following; on a deal, the tune
// button opens a sheet to choose what to hear about. Online only (follows are not kept on the
// device).
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useAsync, useStore } from '../hooks.js';
import { FOLLOW_KINDS, getFollow, setFollow } from '../store/follows.js';
import { showToast } from '../store/ui.js';
import { syncState } from '../sync/state.js';
import { FollowSheet } from './follow-sheet.js';
import { Icon } from './icons.js';
import { errorText } from './status.js';

export function FollowButton({ type, id }) {
  const { online } = useStore(syncState);
  const follow = useAsync((signal) => getFollow(type, id, signal), [type, id]);
  useEffect(() => { // back online after a failed read: ask again (going offline keeps what we know)
    if (online && follow.error) follow.reload();
  }, [online]);
  const [busy, setBusy] = useState(false);
  const [sheet, setSheet] = useState(false);
  const current = follow.data || { following: false, kinds: null };
  const following = Boolean(current.following);

  const save = async (change) => {
    setBusy(true);
    try {
      const saved = await setFollow(type, id, change);
      follow.setData(() => saved);
      showToast(t(saved.following ? 'follow.now_following' : 'follow.now_not_following'));
      return saved;
    } catch (error) {
      showToast(errorText(error));
      throw error;
    } finally {
      setBusy(false);
    }
  };
  const toggle = () => save({ following: !following, kinds: following ? current.kinds : null })
    .catch(() => {});
  const disabled = !online || busy || follow.loading;
  return html`<div class="follow" data-testid="follow">
    <div class="follow-buttons">
      <button type="button" class=${following ? 'button small follow-toggle on' : 'button small follow-toggle'}
        aria-pressed=${following ? 'true' : 'false'} disabled=${disabled} onClick=${toggle}
        data-testid="follow-toggle">
        <${Icon} name=${following ? 'bell_on' : 'bell'} size="18" />
        ${following ? t('follow.following') : t('follow.follow')}</button>
      ${FOLLOW_KINDS[type].length > 1 && html`<button type="button" class="icon-button follow-tune"
        disabled=${disabled} aria-label=${t('follow.choose')} onClick=${() => setSheet(true)}
        data-testid="follow-tune"><${Icon} name="tune" /></button>`}
    </div>
    ${!online && html`<p class="muted small follow-hint" data-testid="follow-offline">${t('follow.offline')}</p>`}
    ${online && following && current.kinds && html`<p class="muted small follow-hint" data-testid="follow-some">
      ${t('follow.some', { count: current.kinds.length })}</p>`}
    ${sheet && html`<${FollowSheet} type=${type} follow=${current} busy=${busy}
      onSave=${(change) => save(change).then(() => setSheet(false), () => {})}
      onClose=${() => setSheet(false)} />`}
  </div>`;
}
