// One task (#/tasks/<id>): what to do, for whom, by when, about which record; done / reopen
// through the outbox.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatDateTime } from '../format.js';
import { useLive } from '../hooks.js';
import { session } from '../store/session.js';
import { formatDue, getTask, isOverdue, setTaskState } from '../store/tasks.js';
import { showToast } from '../store/ui.js';
import { Page } from '../components/page.js';
import { PendingMark } from '../components/pending-mark.js';
import { recordHref } from '../components/search-results.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { WorkIcon } from '../components/task-icons.js';

function Facts({ task }) {
  const me = (session.get().user || {}).id;
  const name = (id, shown) => (id === me ? t('tasks.me_cap') : shown || '—');
  const rows = [
    [t('tasks.assignee'), name(task.assignee_id, task._assignee_name)],
    [t('tasks.created_by'), name(task.created_by ?? task.created_by_id, task._creator_name)],
    [t('tasks.due_field'), task.due_at ? formatDue(task.due_at) : null],
    [t('tasks.priority'), t(`tasks.priority.${task.priority || 'normal'}`)],
    [t('tasks.done_at'), task.done_at ? formatDateTime(task.done_at) : null],
  ];
  return html`<dl class="facts">
    ${rows.filter(([, value]) => value).map(([label, value]) => html`<div key=${label}>
      <dt>${label}</dt><dd>${value}</dd></div>`)}
    ${task._record && html`<div><dt>${t(`tasks.about.${task._record.type}`)}</dt><dd>
      <a href=${recordHref(task._record.type, task._record.id)} data-testid="task-record">
        ${task._record.title || t('tasks.open_record')}</a></dd></div>`}
  </dl>`;
}

export function TaskView({ id }) {
  const result = useLive((signal) => getTask(id, signal), [id]);
  const [busy, setBusy] = useState(false);
  const task = result.data;
  if (result.error) {
    return html`<${Page} title=${t('common.error')} back="/tasks">
      <${ErrorMessage} error=${result.error} onRetry=${result.reload} /><//>`;
  }
  if (!task) return html`<${Page} title=${t('common.loading')} back="/tasks"><${Loading} /><//>`;
  const open = task.state === 'open';
  const late = isOverdue(task);
  const toggle = async () => {
    setBusy(true);
    try {
      const next = open ? 'done' : 'open';
      await setTaskState(task, next);
      showToast(t(next === 'done' ? 'tasks.marked_done' : 'tasks.reopened'));
    } finally {
      setBusy(false);
    }
  };
  const footer = html`<button type="button" class=${open ? 'button primary wide' : 'button wide'}
    onClick=${toggle} disabled=${busy || task.state === 'cancelled'} data-testid=${open ? 'task-done' : 'task-reopen'}>
    <${WorkIcon} name=${open ? 'check' : 'task'} />${t(open ? 'tasks.mark_done' : 'tasks.reopen')}</button>`;
  return html`<${Page} title=${task.title} back="/tasks" footer=${footer}>
    <section class="record-header" data-testid="task-page" data-state=${task.state}>
      <p class="chip-row">
        <span class=${`chip chip-task-${task.state}`} data-testid="task-state">${t(`tasks.state.${task.state}`)}</span>
        ${late && html`<span class="chip chip-late">${t('tasks.late')}</span>`}
        ${task.priority === 'high' && html`<span class="chip chip-priority-high">${t('tasks.priority.high')}</span>`}
        <${PendingMark} record=${task} />
      </p>
      <${Facts} task=${task} />
      ${task.details && html`<p class="task-details" data-testid="task-details">${task.details}</p>`}
    </section>
  <//>`;
}
