// "Ajouter une photo" in the quick-log sheet: the camera on a phone, made smaller on the
// device (sync/photos.js) and previewed before the exchange is saved.
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { downscale } from '../sync/photos.js';
import { Icon } from './icons.js';

export function PhotoField({ photos, onChange }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => () => photos.forEach((p) => URL.revokeObjectURL(p.url)), []);

  const add = async (event) => {
    const files = [...event.currentTarget.files];
    event.currentTarget.value = ''; // the same picture can be chosen again
    setBusy(true);
    setError(null);
    try {
      const added = await Promise.all(files.map((file) => downscale(file)));
      onChange([...photos, ...added.map((p) => ({ ...p, url: URL.createObjectURL(p.blob) }))]);
    } catch (err) {
      console.warn('photo', err);
      setError(t('photo.unreadable'));
    } finally {
      setBusy(false);
    }
  };
  const remove = (photo) => {
    URL.revokeObjectURL(photo.url);
    onChange(photos.filter((p) => p !== photo));
  };
  return html`<div class="photo-field">
    ${photos.length > 0 && html`<ul class="photo-list" data-testid="quicklog-photos">
      ${photos.map((photo, i) => html`<li key=${photo.url}>
        <img src=${photo.url} alt=${t('photo.number', { n: i + 1 })} width="88" height="88" />
        <button type="button" class="icon-button" onClick=${() => remove(photo)}
          aria-label=${t('photo.remove', { n: i + 1 })}><${Icon} name="close" size="18" /></button>
      </li>`)}
    </ul>`}
    <input id="ql-photo" class="photo-input" type="file" accept="image/*" capture="environment"
      multiple onChange=${add} data-testid="quicklog-photo-input" />
    <label for="ql-photo" class="button wide" aria-busy=${busy ? 'true' : 'false'}>
      <${Icon} name="camera" />${busy ? t('photo.preparing') : t('photo.add')}</label>
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
  </div>`;
}
