// "En attente" on an item not yet on the server; "À vérifier" when the server refused it.
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { photoUrl, revoke } from '../store/attachments.js';

/** `link`: false inside something that is already a link (no nested anchors). */
export function PendingMark({ record, link = true }) {
  if (!record) return null;
  if (record._attention) {
    return link
      ? html`<a class="pending-mark attention" href="#/attention" data-testid="attention-mark">
        ${t('sync.mark_attention')}</a>`
      : html`<span class="pending-mark attention" data-testid="attention-mark">${t('sync.mark_attention')}</span>`;
  }
  if (!record._pending) return null;
  return html`<span class="pending-mark" data-testid="pending-mark">${t('sync.mark_pending')}</span>`;
}

/** The URL to show a photo from: its local blob while pending, else the server's copy.
 *  `enabled` false skips it (not an image). Object URLs are revoked when no longer shown. */
export function usePhotoUrl(attachment, enabled = true) {
  const [src, setSrc] = useState(null);
  useEffect(() => {
    if (!enabled) return undefined;
    let url = null;
    let live = true;
    photoUrl(attachment).then((u) => {
      url = u;
      if (live) setSrc(u);
      else revoke(u);
    });
    return () => {
      live = false;
      revoke(url);
    };
  }, [attachment.id, attachment._pending, enabled]);
  return src;
}

function Thumb({ attachment }) {
  const src = usePhotoUrl(attachment);
  if (!src) return null;
  return html`<img src=${src} alt=${attachment.filename || t('photo.alt')} loading="lazy"
    width="72" height="72" data-testid="exchange-photo" />`;
}

/** Photos of an exchange (content_type image/*), as small squares. */
export function Thumbnails({ attachments }) {
  const photos = (attachments || []).filter((a) => (a.content_type || 'image/').startsWith('image/'));
  if (photos.length === 0) return null;
  return html`<div class="thumbs">${photos.map((a) => html`<${Thumb} key=${a.id} attachment=${a} />`)}</div>`;
}
