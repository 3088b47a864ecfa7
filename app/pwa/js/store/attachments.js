// Where to show a photo from: the queued blob while it waits, the server once it is there.
import { getDB } from './db.js';

/** An URL for <img>; revoke(url) when done with a blob: URL. */
export async function photoUrl(attachment) {
  const stored = await (await getDB()).get('blobs', attachment.id);
  if (stored) return URL.createObjectURL(stored.blob);
  return `/api/attachments/${encodeURIComponent(attachment.id)}/content`;
}

export function revoke(url) {
  if (url && url.startsWith('blob:')) URL.revokeObjectURL(url);
}
