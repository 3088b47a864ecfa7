// The outbox: every local write and its mutation in ONE IndexedDB transaction, then a drain
// that sends them in seq order (JSON batches, photos one by one). No DOM, no i18n: the
// service worker's `sync` event runs drain() too.
import { api, hasCsrfToken, refreshCsrfToken } from '../api.js';
import { clientId, getDB, getMeta, setMeta, STORES, withIndexFields } from '../store/db.js';
import { applyResult, moveToAttention } from './results.js';

export const PUSH_BATCH = 50;
const LOCK = 'tournee-outbox';

const allStores = (db) => [...db.objectStoreNames];

/** Append mutations and their local effects atomically; resolves to their seqs.
 *  item: {entity, op, id, data, base_version, local?: record to store, blob?: Blob};
 *  `replacing`: the seq of an "À vérifier" entry this resends (removed in the same transaction). */
export async function enqueue(items, { replacing } = {}) {
  const db = await getDB();
  const cid = await clientId();
  const names = new Set(['outbox', 'meta', ...(replacing ? ['attention'] : [])]);
  items.forEach((item) => {
    if (item.local) names.add(STORES[item.entity]);
    if (item.blob) names.add('blobs');
  });
  const tx = db.transaction([...names], 'readwrite');
  let next = (await getMeta('next_seq', tx)) || 1;
  // Each entry remembers whose work it is: another user signing in on this device never sends
  // it under their own session; it waits for its author.
  const author = (await getMeta('user', tx))?.id ?? null;
  const seqs = [];
  for (const { local, blob, ...m } of items) {
    const seq = next;
    next += 1;
    tx.objectStore('outbox').put({
      client_id: cid, user_id: author, seq, entity: m.entity, op: m.op, id: m.id, data: m.data ?? null,
      base_version: m.base_version ?? null, queued_at: new Date().toISOString(),
    });
    if (local) tx.objectStore(STORES[m.entity]).put({ ...withIndexFields(m.entity, local), _pending: true });
    if (blob) tx.objectStore('blobs').put({ id: m.id, blob });
    seqs.push(seq);
  }
  setMeta(tx, 'next_seq', next);
  if (replacing) tx.objectStore('attention').delete(replacing);
  await tx.done;
  return seqs;
}

/** Keep the rows whose mutation (`pick(row)`) was queued by the signed-in user. */
export async function mine(rows, pick = (row) => row) {
  const me = (await getMeta('user'))?.id ?? null;
  return rows.filter((row) => !pick(row).user_id || pick(row).user_id === me);
}

/** The queued entries of the signed-in user, in seq order (others' wait for them). */
export async function listOutbox() {
  return mine(await (await getDB()).getAll('outbox'));
}

export async function pendingCount() {
  return (await listOutbox()).length;
}

/** The leading run of JSON mutations (at most PUSH_BATCH). An update whose base version
 *  depends on an earlier mutation of the same record in this run waits for the next batch. */
function takeBatch(queue) {
  const batch = [];
  const ids = new Set();
  for (const m of queue) {
    if (m.entity === 'attachment' || batch.length >= PUSH_BATCH) break;
    if (m.op === 'update' && m.base_version === null && ids.has(m.id)) break;
    batch.push(m);
    ids.add(m.id);
  }
  return batch;
}

/** An update queued before its record's create was answered takes the version we have now. */
async function wire(db, m) {
  let baseVersion = m.base_version;
  if (m.op === 'update' && baseVersion === null) {
    const local = await db.get(STORES[m.entity], m.id);
    baseVersion = local && local.version != null ? local.version : null;
  }
  return { seq: m.seq, entity: m.entity, op: m.op, id: m.id, data: m.data, base_version: baseVersion };
}

/** What the drain does with a failed call: stop and retry, stop for a login, or set aside. */
function verdict(error) {
  if (error.name === 'AbortError' || error.retryable) return { status: 'retry', retryAfter: error.retryAfter };
  if (error.status === 401) return { status: 'unauthorized' };
  return null;
}

async function pushBatch(db, batch) {
  const mutations = await Promise.all(batch.map((m) => wire(db, m)));
  const body = await api('/sync/push', { method: 'POST', body: { client_id: batch[0].client_id, mutations } });
  const bySeq = new Map((body.results || []).map((result) => [result.seq, result]));
  const tx = db.transaction(allStores(db), 'readwrite');
  for (const m of batch) {
    // A result the server left out: the mutation stays queued and is sent again (-> duplicate).
    if (bySeq.has(m.seq)) await applyResult(tx, m, bySeq.get(m.seq));
  }
  await tx.done;
}

async function uploadOne(db, m) {
  const stored = await db.get('blobs', m.id);
  const tx = () => db.transaction(allStores(db), 'readwrite');
  if (!stored) {
    const t = tx();
    await moveToAttention(t, m, 'rejected', { error: { code: 'missing_blob', message: 'The photo is no longer on this device.' } });
    return t.done;
  }
  const form = new FormData();
  form.append('id', m.id);
  form.append('entity', m.data.entity);
  form.append('entity_id', m.data.entity_id);
  form.append('file', stored.blob, m.data.filename);
  const record = await api('/attachments', { method: 'POST', form });
  const t = tx();
  await applyResult(t, m, { seq: m.seq, status: 'applied', data: record });
  t.objectStore('blobs').delete(m.id);
  return t.done;
}

async function step(db, queue, retried) {
  const head = queue[0];
  try {
    if (head.entity === 'attachment') await uploadOne(db, head);
    else await pushBatch(db, takeBatch(queue));
    return null;
  } catch (error) {
    if (error.code === 'csrf_failed' && !retried.csrf) {
      retried.csrf = true;
      try {
        await refreshCsrfToken();
      } catch (again) {
        return verdict(again) || { status: 'retry' };
      }
      return null; // the loop sends the same mutations again
    }
    const stop = verdict(error);
    if (stop) return stop;
    // A 4xx for the call itself (413 photo too big, 415, 409 other bytes, 422 ...):
    // set it aside for the user with the server's answer, then move on.
    const setAside = head.entity === 'attachment' ? [head] : takeBatch(queue);
    const t = db.transaction(allStores(db), 'readwrite');
    for (const m of setAside) {
      await moveToAttention(t, m, 'rejected', {
        error: { code: error.code, message: error.message, fields: error.fields, status: error.status },
      });
    }
    await t.done;
    return null;
  }
}

async function drainUnlocked(onChange) {
  const db = await getDB();
  const retried = { csrf: false };
  for (;;) {
    const queue = await listOutbox(); // keyPath seq: ascending
    if (queue.length === 0) return { status: 'done' };
    if (!hasCsrfToken()) {
      try {
        await refreshCsrfToken();
      } catch (error) {
        return verdict(error) || { status: 'retry' };
      }
    }
    const stop = await step(db, queue, retried);
    if (stop) return stop;
    if (onChange) onChange();
  }
}

/** Send everything queued; resolves to {status: done | retry | unauthorized, retryAfter}.
 *  One drain at a time across the page and the service worker (Web Locks when available). */
export function drain({ onChange } = {}) {
  const locks = typeof navigator !== 'undefined' && navigator.locks;
  if (!locks) return drainUnlocked(onChange);
  return locks.request(LOCK, () => drainUnlocked(onChange));
}
