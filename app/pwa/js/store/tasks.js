// Tasks handed between colleagues ("consignes", synced, entity "task"): read from the device,
// created, done and reopened through the outbox (so all of it works offline).
import { api } from '../api.js';
import { SHORT_DAY, SHORT_DAY_TIME, intl } from '../format.js';
import { afterWrite } from '../sync/engine.js';
import { enqueue } from '../sync/outbox.js';
import { hasSynced } from '../sync/pull.js';
import { uuid } from '../uuid.js';
import { byIndex, getAll, getOne } from './db.js';
import { session } from './session.js';
import { createState } from './state.js';

export const PRIORITIES = ['low', 'normal', 'high'];
const PRIORITY_RANK = { high: 0, normal: 1, low: 2 };
const RECORD_TYPES = [['deal', 'deal_id'], ['contact', 'contact_id'], ['company', 'company_id']];

// The "Transmettre une consigne" sheet's context while open ({company_id, contact_id, deal_id,
// exchange_id, title}), else null.
export const taskSheet = createState(null);

export function openTaskSheet(context = {}) {
  taskSheet.set({ ...context, openedAt: Date.now() });
}

export function closeTaskSheet() {
  taskSheet.set(null);
}

const me = () => (session.get().user || {}).id;

/** Who created it (the contract's `created_by`). */
export function creatorId(task) {
  return task.created_by ?? task.created_by_id ?? null;
}

/** A due date picked as a day means the end of the working day there: 18:00 local. */
export const DUE_HOUR = 18;

/** <input type="date"> value -> ISO instant (that day at DUE_HOUR, local), or null. */
export function dueFromDay(day) {
  if (!day) return null;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d, DUE_HOUR, 0, 0).toISOString();
}

/** ISO instant -> <input type="date"> value (local day). */
export function dayOfDue(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "jeu. 26 nov." (and the time when it is not the end of the working day). */
export function formatDue(iso) {
  const date = new Date(iso);
  const atEndOfDay = date.getHours() === DUE_HOUR && date.getMinutes() === 0;
  return intl(Intl.DateTimeFormat, atEndOfDay ? SHORT_DAY : SHORT_DAY_TIME).format(date);
}

export function isOverdue(task, now = Date.now()) {
  return task.state === 'open' && Boolean(task.due_at) && new Date(task.due_at).getTime() < now;
}

/** Overdue first, then by due date (none last), then the higher priority, then the newest. */
export function byUrgency(now = Date.now()) {
  return (a, b) => {
    const late = Number(isOverdue(b, now)) - Number(isOverdue(a, now));
    if (late) return late;
    if (a.due_at !== b.due_at) {
      if (!a.due_at) return 1;
      if (!b.due_at) return -1;
      return a.due_at.localeCompare(b.due_at);
    }
    const rank = (PRIORITY_RANK[a.priority] ?? 1) - (PRIORITY_RANK[b.priority] ?? 1);
    return rank || String(b.created_at || '').localeCompare(String(a.created_at || ''));
  };
}

const doneNewestFirst = (a, b) => String(b.done_at || b.updated_at || '')
  .localeCompare(String(a.done_at || a.updated_at || ''));

/** Names for the screens (not stored): the record it is about, assignee and creator. */
async function withNames(task) {
  const [found] = RECORD_TYPES.filter(([, field]) => task[field]);
  const [type, field] = found || [];
  const [record, assignee, creator] = await Promise.all([
    type ? getOne(type, task[field]) : null,
    task.assignee_id ? getOne('user', task.assignee_id) : null,
    creatorId(task) ? getOne('user', creatorId(task)) : null,
  ]);
  return {
    ...task,
    _record: type ? { type, id: task[field], title: record ? record.name || record.full_name : '' } : null,
    _assignee_name: assignee ? assignee.name : '',
    _creator_name: creator ? creator.name : '',
  };
}

async function serverList(scope, signal) {
  const page = await api('/tasks', { query: { scope, limit: 200 }, signal });
  return page.items;
}

/** My open tasks, most urgent first (the home screen). */
export async function listMyOpenTasks(signal) {
  const items = (await hasSynced())
    ? await byIndex('tasks', 'by_assignee', [me(), 'open'])
    : (await serverList('mine', signal)).filter((task) => task.state === 'open');
  return Promise.all(items.sort(byUrgency()).map(withNames));
}

/** `scope` mine (assigned to me) or created (by me): {open, done} (done: the 30 latest). */
export async function listTasks(scope, signal) {
  let items;
  if (await hasSynced()) {
    const all = await getAll('tasks');
    items = all.filter((task) => (scope === 'created' ? creatorId(task) === me() : task.assignee_id === me()));
  } else {
    items = await serverList(scope, signal);
  }
  const open = items.filter((task) => task.state === 'open').sort(byUrgency());
  const done = items.filter((task) => task.state !== 'open').sort(doneNewestFirst).slice(0, 30);
  return { open: await Promise.all(open.map(withNames)), done: await Promise.all(done.map(withNames)) };
}

export async function getTask(id, signal) {
  const task = (await getOne('task', id)) || (await api(`/tasks/${encodeURIComponent(id)}`, { signal }));
  return withNames(task);
}

/** Active colleagues (the synced users), by name; me included. */
export async function listColleagues() {
  const users = await getAll('users');
  return users.sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

function isoSeconds(value) {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Hand a task to someone, on the device first; resolves to it. */
export async function createTask(fields) {
  const now = isoSeconds(new Date());
  const data = {
    id: uuid(), title: fields.title, details: fields.details || null,
    assignee_id: fields.assignee_id, due_at: fields.due_at ? isoSeconds(fields.due_at) : null,
    priority: fields.priority || 'normal', company_id: fields.company_id || null,
    contact_id: fields.contact_id || null, deal_id: fields.deal_id || null,
    exchange_id: fields.exchange_id || null,
  };
  const local = { ...data, state: 'open', done_at: null, created_by: me(), version: null,
    created_at: now, updated_at: now };
  await enqueue([{ entity: 'task', op: 'create', id: data.id, data, local }]);
  afterWrite();
  return { ...local, _pending: true };
}

/** Done or open again, against the version shown. */
export async function setTaskState(task, state) {
  const local = (await getOne('task', task.id)) || task;
  const data = { state };
  const base = local._pending ? null : local.version;
  const merged = { ...local, ...data, done_at: state === 'done' ? isoSeconds(new Date()) : null };
  Object.keys(merged).filter((key) => key.startsWith('_') && key !== '_attention')
    .forEach((key) => delete merged[key]);
  await enqueue([{ entity: 'task', op: 'update', id: task.id, data, base_version: base, local: merged }]);
  afterWrite();
  return merged;
}
