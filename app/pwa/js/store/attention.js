// "À vérifier": mutations the server rejected or found in conflict. The user fixes one (a new
// mutation with the edited data), resolves a conflict field by field, or discards it.
import { afterWrite, refreshCounts } from '../sync/engine.js';
import { enqueue, mine } from '../sync/outbox.js';
import { getDB, STORES, withIndexFields } from './db.js';

/** The signed-in user's entries; a colleague's wait on the device for their author. */
export async function listAttention() {
  return mine(await (await getDB()).getAll('attention'), (entry) => entry.mutation);
}

export async function getAttention(seq) {
  const entry = await (await getDB()).get('attention', Number(seq));
  return entry && (await mine([entry], (e) => e.mutation))[0];
}

/** Forget it for good (the user confirmed): the queued photo goes, a never-synced record too. */
export async function discardAttention(entry) {
  const db = await getDB();
  const { mutation: m } = entry;
  const tx = db.transaction(['attention', 'blobs', STORES[m.entity]], 'readwrite');
  tx.objectStore('attention').delete(entry.seq);
  const store = tx.objectStore(STORES[m.entity]);
  const local = await store.get(m.id);
  if (m.op === 'create' || m.entity === 'attachment') {
    if (local && local.version == null) store.delete(m.id);
    tx.objectStore('blobs').delete(m.id);
  } else if (local && local._attention === entry.seq) {
    const { _attention: done, ...rest } = local;
    store.put(rest);
  }
  await tx.done;
  await refreshCounts();
}

async function replace(entry, mutation, local) {
  await enqueue([{ ...mutation, local: local || undefined }], { replacing: entry.seq });
  afterWrite();
}

/** Send the mutation again with the user's corrections (a photo: the same bytes again). */
export async function resendAttention(entry, data) {
  const { mutation: m } = entry;
  const record = await (await getDB()).get(STORES[m.entity], m.id);
  const merged = record ? { ...record, ...(m.entity === 'attachment' ? {} : data), _attention: undefined } : null;
  const fixed = { entity: m.entity, op: m.op, id: m.id, data: m.entity === 'attachment' ? m.data : data, base_version: m.base_version };
  await replace(entry, fixed, merged && withIndexFields(m.entity, merged));
}

/** A conflict settled field by field: an update against the server's version. */
export async function resolveConflict(entry, chosen) {
  const { mutation: m, current } = entry;
  const merged = { ...current, ...chosen };
  if (m.entity === 'contact') merged.full_name = [merged.first_name, merged.last_name].filter(Boolean).join(' ');
  const update = { entity: m.entity, op: 'update', id: m.id, data: chosen, base_version: current.version };
  await replace(entry, update, withIndexFields(m.entity, merged));
}
