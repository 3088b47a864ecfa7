// Pull: GET /api/sync/changes page by page; the cursor moves with the page's last slice.
// A record with a pending local mutation is never overwritten (the outbox wins locally).
import { api, ApiError } from '../api.js';
import {
  forgetSyncedCopy, getDB, getMeta, putMeta, setMeta, STORES, withIndexFields,
} from '../store/db.js';

export const PAGE_SIZE = 500;

async function storeChange(tx, change) {
  const name = STORES[change.entity];
  if (!name) return; // an entity this version of the app does not know yet
  const store = tx.objectStore(name);
  const local = await store.get(change.id);
  if (local && local._pending) {
    // Keep the device's version and remember the server moved on (the push will tell).
    const version = change.data ? change.data.version : null;
    if (local._server_version !== version) store.put({ ...local, _server_version: version });
    return;
  }
  if (change.op === 'delete') {
    if (local) store.delete(change.id);
    return;
  }
  const record = withIndexFields(change.entity, change.data);
  store.put(local && local._attention ? { ...record, _attention: local._attention } : record);
}

// Changes stored per transaction. A page is stored in slices, the cursor with the last one,
// each slice its own task: a first sync then never holds the page (scrolling, taps) for long.
// A slice stored before a crash is stored again with its page, which changes nothing.
export const SLICE = 100;

const nextTask = () => new Promise((resolve) => { setTimeout(resolve, 0); });

async function storePage(page) {
  const db = await getDB();
  const names = [...new Set(Object.values(STORES)), 'meta'];
  for (let start = 0; start === 0 || start < page.changes.length; start += SLICE) {
    if (start > 0) await nextTask(); // eslint-disable-line no-await-in-loop
    const tx = db.transaction(names, 'readwrite');
    const slice = page.changes.slice(start, start + SLICE);
    for (const change of slice) await storeChange(tx, change); // eslint-disable-line no-await-in-loop
    if (start + SLICE >= page.changes.length) setMeta(tx, 'cursor', page.cursor);
    await tx.done; // eslint-disable-line no-await-in-loop
  }
}

/** Bring the device up to date; onProgress({first, received, has_more}) after each page.
 * A cursor the server no longer knows (410 after a restore) starts a full pull afresh. */
export async function pull({ onProgress, signal } = {}) {
  try {
    return await pullPages({ onProgress, signal });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 410)) throw error;
    await forgetSyncedCopy();
    return pullPages({ onProgress, signal });
  }
}

async function pullPages({ onProgress, signal }) {
  let cursor = await getMeta('cursor');
  const first = cursor === undefined || cursor === null;
  let received = 0;
  for (;;) {
    const query = { limit: PAGE_SIZE, since: first && received === 0 ? undefined : cursor };
    const page = await api('/sync/changes', { query, signal }); // eslint-disable-line no-await-in-loop
    await storePage(page); // eslint-disable-line no-await-in-loop
    cursor = page.cursor;
    received += page.changes.length;
    if (onProgress) onProgress({ first, received, has_more: page.has_more });
    if (!page.has_more) break;
  }
  await putMeta('last_sync_at', new Date().toISOString());
  return { first, received };
}

/** A first full pull has finished on this device (the local working set is complete). */
export async function hasSynced() {
  const cursor = await getMeta('cursor');
  return cursor !== undefined && cursor !== null;
}
