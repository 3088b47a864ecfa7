// What a push answer does to the local stores (inside the caller's transaction): applied and
// duplicate leave the outbox; conflict and rejected move to `attention`. Nothing is dropped.
import { STORES, withIndexFields } from '../store/db.js';

async function othersPending(tx, m) {
  return (await tx.objectStore('outbox').index('by_record').count([m.entity, m.id])) > 0;
}

/** The record this mutation wrote locally, or null (an attachment's record is its metadata). */
function recordStore(tx, m) {
  return STORES[m.entity] ? tx.objectStore(STORES[m.entity]) : null;
}

async function settle(tx, m, serverData) {
  const store = recordStore(tx, m);
  if (!store) return;
  const local = await store.get(m.id);
  if (await othersPending(tx, m)) {
    // Later edits still wait: keep the local values, learn the server's version.
    if (local && serverData && serverData.version != null) store.put({ ...local, version: serverData.version });
    return;
  }
  if (serverData) {
    // An attachment answer may not repeat what the index needs: keep the queued values under it.
    const base = m.entity === 'attachment' ? { entity: m.data.entity, entity_id: m.data.entity_id } : {};
    store.put(withIndexFields(m.entity, { ...base, ...serverData }));
  } else if (local) {
    const { _pending: pending, ...rest } = local;
    store.put(rest);
  }
}

/** Take `m` out of the outbox and keep it, with the server's answer, for the user. */
export async function moveToAttention(tx, m, kind, extra) {
  tx.objectStore('outbox').delete(m.seq);
  tx.objectStore('attention').put({ seq: m.seq, kind, mutation: m, at: new Date().toISOString(), ...extra });
  const store = recordStore(tx, m);
  if (!store) return;
  const local = await store.get(m.id);
  if (kind === 'conflict' && extra.current && !(await othersPending(tx, m))) {
    store.put({ ...withIndexFields(m.entity, extra.current), _attention: m.seq });
  } else if (local) {
    store.put({ ...local, _pending: await othersPending(tx, m), _attention: m.seq });
  }
}

export async function applyResult(tx, m, result) {
  if (result.status === 'applied' || result.status === 'duplicate') {
    tx.objectStore('outbox').delete(m.seq);
    await settle(tx, m, result.status === 'applied' ? result.data : null);
  } else if (result.status === 'conflict') {
    await moveToAttention(tx, m, 'conflict', { current: result.current });
  } else {
    await moveToAttention(tx, m, 'rejected', { error: result.error || { code: 'rejected', message: '' } });
  }
}
