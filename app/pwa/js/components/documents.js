// "Documents" on a company or deal page: the record's files held on the device (pending ones
// marked, pictures as thumbnails) and "Ajouter un fichier", queued through the outbox offline.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatSize } from '../format.js';
import { useLive } from '../hooks.js';
import {
  addDocument, contentUrl, isImage, listAttachments, refusal,
} from '../store/attachments.js';
import { Icon } from './icons.js';
import { PendingMark, usePhotoUrl } from './pending-mark.js';

const ACCEPT = 'image/*,.pdf,.txt,.csv,.docx,.xlsx,.pptx,.odt,.ods';

function Preview({ file }) {
  const src = usePhotoUrl(file, isImage(file));
  if (!src) return html`<span class="type-icon doc-icon"><${Icon} name="file" /></span>`;
  return html`<img class="doc-thumb" src=${src} alt="" width="44" height="44" />`;
}

function DocumentRow({ file }) {
  const body = html`<${Preview} file=${file} />
    <span class="list-text"><span class="list-title doc-name">${file.filename}</span>
      <span class="list-subtitle">${formatSize(file.size)}</span></span>
    <${PendingMark} record=${file} link=${false} />`;
  const synced = !file._pending && !file._attention;
  return html`<li data-testid="document" data-id=${file.id}>${synced
    ? html`<a class="list-row" href=${contentUrl(file)} target="_blank" rel="noopener">${body}</a>`
    : html`<div class="list-row">${body}</div>`}</li>`;
}

export function Documents({ entity, id }) {
  const files = useLive(() => listAttachments(entity, id), [entity, id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const items = files.data || [];
  const inputId = `doc-input-${entity}`;

  const add = async (event) => {
    const chosen = [...event.currentTarget.files];
    event.currentTarget.value = ''; // the same file can be chosen again
    const refused = chosen.map(refusal).find(Boolean);
    if (refused) return setError(t(refused.key, refused.params));
    setBusy(true);
    setError(null);
    try {
      for (const file of chosen) await addDocument(entity, id, file);
    } catch (err) {
      console.warn('document', err);
      setError(t('documents.failed'));
    } finally {
      setBusy(false);
    }
    return files.reload();
  };
  return html`<section class="section documents" aria-labelledby=${`${entity}-documents`}
      data-testid="documents">
    <div class="section-head"><h2 id=${`${entity}-documents`}>${t('documents.title')}</h2></div>
    ${items.length === 0
      ? html`<p class="muted">${files.loading ? t('common.loading') : t('documents.empty')}</p>`
      : html`<ul class="list">${items.map((f) => html`<${DocumentRow} key=${f.id} file=${f} />`)}</ul>`}
    <input id=${inputId} class="photo-input" type="file" accept=${ACCEPT} multiple
      onChange=${add} data-testid="documents-input" />
    <label for=${inputId} class="button wide doc-add" aria-busy=${busy ? 'true' : 'false'}>
      <${Icon} name="plus" />${busy ? t('documents.preparing') : t('documents.add')}</label>
    ${error && html`<p class="field-error" role="alert" data-testid="documents-error">${error}</p>`}
  </section>`;
}
