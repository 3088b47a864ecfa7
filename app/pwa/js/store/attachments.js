// Files on a record: the ones held on the device (pulled or queued), adding one through the
// outbox (photos made smaller first, like the quick-log's), and where to show one from.
import { afterWrite } from '../sync/engine.js';
import { enqueue } from '../sync/outbox.js';
import { downscale } from '../sync/photos.js';
import { uuid } from '../uuid.js';
import { getDB } from './db.js';

/** What the server accepts (app/services/attachments.py). */
export const DOCUMENT_EXTENSIONS = ['jpg', 'jpeg', 'png', 'gif', 'webp', 'heic', 'heif', 'pdf', 'txt',
  'csv', 'docx', 'xlsx', 'pptx', 'odt', 'ods'];
export const DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;
const RESIZED = ['jpg', 'jpeg', 'png', 'gif', 'webp', 'heic', 'heif'];

/** An URL for <img>; revoke(url) when done with a blob: URL. */
export async function photoUrl(attachment) {
  const stored = await (await getDB()).get('blobs', attachment.id);
  if (stored) return URL.createObjectURL(stored.blob);
  return contentUrl(attachment);
}

export function contentUrl(attachment) {
  return `/api/attachments/${encodeURIComponent(attachment.id)}/content`;
}

export function revoke(url) {
  if (url && url.startsWith('blob:')) URL.revokeObjectURL(url);
}

export function isImage(attachment) {
  return (attachment.content_type || '').startsWith('image/');
}

/** The outbox entry uploading `file` ({blob, filename}) onto record (entity, entityId). */
export function uploadMutation(entity, entityId, file) {
  const attachment = {
    id: uuid(), entity, entity_id: entityId,
    filename: file.filename, content_type: file.blob.type || 'application/octet-stream',
  };
  const { id, ...data } = attachment;
  const local = { ...attachment, size: file.blob.size, created_at: new Date().toISOString() };
  return { entity: 'attachment', op: 'upload', id, data, local, blob: file.blob };
}

/** The record's files held on the device, newest first. */
export async function listAttachments(entity, entityId) {
  const db = await getDB();
  const items = await db.getAllFromIndex('attachments', 'by_entity', [entity, entityId]);
  return items.sort((a, b) => (b.created_at || '').localeCompare(a.created_at || ''));
}

const extension = (name) => (/\.([^.]+)$/.exec(name || '') || [])[1]?.toLowerCase() || '';

/** Why `file` cannot be sent: {key, params} for t(), or null when it can. */
export function refusal(file) {
  const ext = extension(file.name);
  if (!DOCUMENT_EXTENSIONS.includes(ext)) return { key: 'documents.refused_type', params: { name: file.name } };
  if (file.size > DOCUMENT_MAX_BYTES) return { key: 'documents.refused_size', params: { name: file.name } };
  return null;
}

/** Queue `file` (a File, already accepted by refusal()) on record (entity, entityId). */
export async function addDocument(entity, entityId, file) {
  let queued = { blob: file, filename: file.name };
  if (RESIZED.includes(extension(file.name))) {
    try {
      queued = await downscale(file);
    } catch (err) {
      console.warn('document: not resized', err); // e.g. HEIC where the browser cannot read it
    }
  }
  await enqueue([uploadMutation(entity, entityId, queued)]);
  afterWrite();
}
