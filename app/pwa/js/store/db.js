// The one module that opens IndexedDB (idb README style): step-wise upgrades by oldVersion,
// named indexes, and small helpers. No DOM: the service worker imports it too (outbox drain).
import { openDB } from '/vendor/idb-8.0.4/build/index.js';
import { uuid } from '../uuid.js';

export const DB_NAME = 'tournee';
export const DB_VERSION = 2;

/** Entity name (sync protocol) -> object store. */
export const STORES = {
  company: 'companies',
  contact: 'contacts',
  deal: 'deals',
  exchange: 'exchanges',
  exchange_kind: 'exchange_kinds',
  outcome: 'outcomes',
  user: 'users',
  attachment: 'attachments',
  task: 'tasks',
  alert: 'alerts',
  record_event: 'record_events',
};
export const RECORD_STORES = Object.values(STORES);

// Kept on logout: the outbox, its photos and what the server refused are the user's unsent
// work (each entry names its author, and only its author sees or sends it).
export const KEPT_ON_LOGOUT = ['outbox', 'blobs', 'attention'];
export const KEPT_META = ['client_id', 'next_seq'];

function upgradeToV1(db) {
  db.createObjectStore('companies', { keyPath: 'id' });
  const contacts = db.createObjectStore('contacts', { keyPath: 'id' });
  contacts.createIndex('by_company', '_company_ids', { multiEntry: true });
  const deals = db.createObjectStore('deals', { keyPath: 'id' });
  deals.createIndex('by_company', 'company_id');
  const exchanges = db.createObjectStore('exchanges', { keyPath: 'id' });
  exchanges.createIndex('by_company', ['company_id', 'starts_at']);
  exchanges.createIndex('by_contact', ['contact_id', 'starts_at']);
  exchanges.createIndex('by_starts', 'starts_at');
  exchanges.createIndex('by_deal', 'deal_ids', { multiEntry: true });
  db.createObjectStore('exchange_kinds', { keyPath: 'id' });
  db.createObjectStore('outcomes', { keyPath: 'id' });
  db.createObjectStore('users', { keyPath: 'id' });
  const attachments = db.createObjectStore('attachments', { keyPath: 'id' });
  attachments.createIndex('by_entity', ['entity', 'entity_id']);
  db.createObjectStore('blobs', { keyPath: 'id' }); // {id: attachment id, blob}
  // seq comes from meta.next_seq (not autoIncrement): it must survive a store wipe on logout.
  const outbox = db.createObjectStore('outbox', { keyPath: 'seq' });
  outbox.createIndex('by_record', ['entity', 'id']);
  db.createObjectStore('meta', { keyPath: 'key' }); // {key, value}
  db.createObjectStore('attention', { keyPath: 'seq' }); // rejected / conflicting mutations
}

// v2: work items. The cursor is dropped so the next pull is a full one (the server's existing
// tasks, alerts and events are older than the device's cursor).
function upgradeToV2(db, transaction) {
  const tasks = db.createObjectStore('tasks', { keyPath: 'id' });
  tasks.createIndex('by_assignee', ['assignee_id', 'state']);
  tasks.createIndex('by_creator', ['created_by', 'state']);
  tasks.createIndex('by_state', 'state');
  tasks.createIndex('by_company', 'company_id');
  tasks.createIndex('by_contact', 'contact_id');
  tasks.createIndex('by_deal', 'deal_id');
  const alerts = db.createObjectStore('alerts', { keyPath: 'id' });
  alerts.createIndex('by_state', 'state');
  alerts.createIndex('by_record', 'record_id');
  const events = db.createObjectStore('record_events', { keyPath: 'id' });
  events.createIndex('by_record', 'record_id');
  events.createIndex('by_record_at', ['record_id', 'at']);
  transaction.objectStore('meta').delete('cursor');
}

let opening = null;

/** The shared connection (opened once per page or worker). */
export function getDB() {
  if (!opening) {
    opening = openDB(DB_NAME, DB_VERSION, {
      upgrade(db, oldVersion, newVersion, transaction) {
        if (oldVersion < 1) upgradeToV1(db);
        if (oldVersion < 2) upgradeToV2(db, transaction);
        // Next schema change: `if (oldVersion < 3) upgradeToV3(db, transaction);`
      },
      blocking() {
        // A newer version of the app wants to upgrade: let it, the next call reopens.
        opening.then((db) => db.close());
        opening = null;
      },
    });
  }
  return opening;
}

/** Remove the local-only fields (leading "_") before a record leaves the device. */
export function stripLocal(record) {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !key.startsWith('_')));
}

/** Derived fields the indexes need (a contact's company ids). */
export function withIndexFields(entity, data) {
  if (entity === 'contact') {
    return { ...data, _company_ids: (data.companies || []).map((link) => link.company_id) };
  }
  if (entity === 'exchange') return { ...data, deal_ids: data.deal_ids || [] };
  return data;
}

export async function getMeta(key, tx) {
  const store = tx ? tx.objectStore('meta') : (await getDB()).transaction('meta').store;
  const row = await store.get(key);
  return row ? row.value : undefined;
}

export function setMeta(tx, key, value) {
  return tx.objectStore('meta').put({ key, value });
}

export async function putMeta(key, value) {
  const db = await getDB();
  await db.put('meta', { key, value });
}

/** This installation's id, created on first use. */
export async function clientId() {
  const db = await getDB();
  const tx = db.transaction('meta', 'readwrite');
  let id = await getMeta('client_id', tx);
  if (!id) {
    id = uuid();
    await setMeta(tx, 'client_id', id);
  }
  await tx.done;
  return id;
}

export async function getOne(entity, id) {
  return (await getDB()).get(STORES[entity] || entity, id);
}

export async function getAll(storeName) {
  return (await getDB()).getAll(storeName);
}

/** How many records an index holds in `range` (no record read). */
export async function countByIndex(storeName, index, range) {
  return (await getDB()).countFromIndex(storeName, index, range);
}

/** Records of an index in `range`, newest key first if `reverse`; with `filter`, only those
 * it accepts, and the walk stops at `limit` of them (not after reading the whole index). */
export async function byIndex(storeName, index, range,
  { reverse = false, limit = Infinity, filter = null } = {}) {
  const db = await getDB();
  const items = [];
  let cursor = await db.transaction(storeName).store.index(index)
    .openCursor(range, reverse ? 'prev' : 'next');
  while (cursor && items.length < limit) {
    if (!filter || filter(cursor.value)) items.push(cursor.value);
    cursor = await cursor.continue(); // eslint-disable-line no-await-in-loop
  }
  return items;
}

/** Logout: wipe everything except the outbox, its photos and the installation's counters. */
export async function wipeForLogout() {
  const db = await getDB();
  const names = [...db.objectStoreNames].filter((name) => !KEPT_ON_LOGOUT.includes(name));
  const tx = db.transaction(names, 'readwrite');
  for (const name of names) {
    if (name === 'meta') {
      const store = tx.objectStore('meta');
      for (const key of await store.getAllKeys()) {
        if (!KEPT_META.includes(key)) store.delete(key);
      }
    } else {
      tx.objectStore(name).clear();
    }
  }
  await tx.done;
}

/** The server was restored to an earlier state (its answer to the cursor: 410): forget the
 * synced copy and the cursor, so that the next pull brings the server's records afresh and
 * nothing the server no longer has stays on the device. Records with a pending local change
 * stay (their outbox entries send them again); so do the outbox and the counters. */
export async function forgetSyncedCopy() {
  const db = await getDB();
  const tx = db.transaction([...RECORD_STORES, 'meta'], 'readwrite');
  for (const name of RECORD_STORES) {
    let cursor = await tx.objectStore(name).openCursor();
    while (cursor) {
      if (!cursor.value._pending) cursor.delete();
      cursor = await cursor.continue(); // eslint-disable-line no-await-in-loop
    }
  }
  tx.objectStore('meta').delete('cursor');
  await tx.done;
}
