// One task in a list: title, due date (late ones in red), priority, record, who.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { formatDue, isOverdue } from '../store/tasks.js';
import { PendingMark } from './pending-mark.js';
import { WorkIcon } from './task-icons.js';

/** `who`: "assignee" (tasks I gave) or "creator" (tasks given to me). */
export function TaskCard({ task, who = 'creator', now = Date.now() }) {
  const late = isOverdue(task, now);
  const done = task.state !== 'open';
  const person = who === 'assignee' ? task._assignee_name : task._creator_name;
  const classes = ['card', 'task-card', late ? 'late' : '', done ? 'done' : ''].join(' ');
  return html`<a class=${classes} href=${`#/tasks/${encodeURIComponent(task.id)}`}
      data-testid="task-card" data-id=${task.id} data-state=${task.state}>
    <span class=${done ? 'task-check checked' : 'task-check'} aria-hidden="true">
      <${WorkIcon} name=${done ? 'check' : 'box'} size="20" /></span>
    <span class="card-body">
      <span class="card-title">${task.title}</span>
      <span class="task-meta">
        ${task.priority === 'high' && !done && html`<span class="chip chip-priority-high">${t('tasks.priority.high')}</span>`}
        ${late && html`<span class="chip chip-late">${t('tasks.late')}</span>`}
        ${task.due_at && html`<span class="card-meta">${t('tasks.due', { date: formatDue(task.due_at) })}</span>`}
        ${done && html`<span class="card-meta">${t(`tasks.state.${task.state}`)}</span>`}
      </span>
      ${(task._record && task._record.title) || person ? html`<span class="card-meta">
        ${[task._record && task._record.title,
           person && t(who === 'assignee' ? 'tasks.for_name' : 'tasks.from_name', { name: person })]
          .filter(Boolean).join(' · ')}</span>` : null}
      <${PendingMark} record=${task} link=${false} />
    </span>
  </a>`;
}
