// "Transmettre une consigne": a task for a colleague about the record (or exchange) on screen:
// title, details, assignee, due day, priority. Saved on the device, sent by the outbox.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useAsync, useStore } from '../hooks.js';
import { session } from '../store/session.js';
import {
  closeTaskSheet, createTask, dueFromDay, listColleagues, openTaskSheet, PRIORITIES, taskSheet,
} from '../store/tasks.js';
import { showToast } from '../store/ui.js';
import { Field, FormErrors, fieldErrors, requiredError, useForm, useRevealErrors } from './field.js';
import { Sheet } from './sheet.js';
import { Loading } from './status.js';
import { WorkIcon } from './task-icons.js';

const SHOWN = ['title', 'details', 'assignee_id', 'due_at', 'priority'];

function PriorityPicker({ value, onChange }) {
  return html`<fieldset class="fieldset">
    <legend>${t('tasks.priority')}</legend>
    <div class="segmented" data-testid="task-priority">
      ${PRIORITIES.map((priority) => html`<button type="button" key=${priority}
        class="segment" aria-pressed=${value === priority ? 'true' : 'false'}
        data-testid=${`priority-${priority}`} onClick=${() => onChange(priority)}>
        ${t(`tasks.priority.${priority}`)}</button>`)}
    </div>
  </fieldset>`;
}

function TaskForm({ context }) {
  const people = useAsync(() => listColleagues(), []);
  const me = (session.get().user || {}).id;
  const { values, set, bind } = useForm({
    title: context.preset_title || '', details: '', assignee_id: '', due: '', priority: 'normal',
  });
  const [status, setStatus] = useState({ saving: false, error: null });
  const errors = fieldErrors(status.error);
  const formRef = useRevealErrors(status.error);

  const save = async (event) => {
    event.preventDefault();
    const missing = requiredError(values, ['title', 'assignee_id']);
    if (missing) return setStatus({ saving: false, error: missing });
    setStatus({ saving: true, error: null });
    try {
      await createTask({
        title: values.title.trim(), details: values.details.trim() || null,
        assignee_id: values.assignee_id, due_at: dueFromDay(values.due), priority: values.priority,
        company_id: context.company_id, contact_id: context.contact_id, deal_id: context.deal_id,
        exchange_id: context.exchange_id,
      });
      closeTaskSheet();
      showToast(t('tasks.created'));
    } catch (error) {
      setStatus({ saving: false, error });
    }
    return undefined;
  };

  if (!people.data) return html`<div class="sheet-body"><${Loading} /></div>`;
  return html`<form class="sheet-form" ref=${formRef} onSubmit=${save} novalidate data-testid="task-form">
    <div class="sheet-body">
      <${FormErrors} error=${status.error} shown=${SHOWN} />
      <${Field} prefix="task" label=${t('tasks.title_field')} maxlength="200" required=${true}
        error=${errors.title} ...${bind('title')} />
      <${Field} prefix="task" as="select" label=${t('tasks.assignee')} required=${true}
        error=${errors.assignee_id} ...${bind('assignee_id')}
        onChange=${(e) => set('assignee_id', e.currentTarget.value)}>
        <option value="">${t('tasks.assignee_pick')}</option>
        ${people.data.map((user) => html`<option key=${user.id} value=${user.id}>
          ${user.id === me ? `${user.name} (${t('tasks.me')})` : user.name}</option>`)}
      <//>
      <${Field} prefix="task" type="date" label=${`${t('tasks.due_field')} ${t('common.optional')}`}
        error=${errors.due_at} ...${bind('due')} />
      <${PriorityPicker} value=${values.priority} onChange=${(p) => set('priority', p)} />
      <${Field} prefix="task" as="textarea" label=${`${t('tasks.details')} ${t('common.optional')}`}
        error=${errors.details} ...${bind('details')} />
    </div>
    <div class="sheet-footer">
      <button type="submit" class="button primary wide" disabled=${status.saving}
        data-testid="task-save">${status.saving ? t('common.saving') : t('tasks.send')}</button>
    </div>
  </form>`;
}

/** Mounted once by the app; shown while the tasks store holds a context. */
export function TaskSheet() {
  const context = useStore(taskSheet);
  if (!context) return null;
  return html`<${Sheet} title=${t('tasks.new')} subtitle=${context.title}
    onClose=${closeTaskSheet} testid="task-sheet">
    <${TaskForm} key=${context.openedAt} context=${context} />
  <//>`;
}

/** The button that opens the sheet for `context` ({company_id, contact_id, deal_id, exchange_id,
 *  title}); `compact`: an icon only (an exchange card, the bottom bar). */
export function TaskButton({ context, compact = false, testid = 'task-open' }) {
  const open = () => openTaskSheet(context);
  if (compact) {
    return html`<button type="button" class="icon-button task-button" onClick=${open}
      aria-label=${t('tasks.new')} title=${t('tasks.new')} data-testid=${testid}>
      <${WorkIcon} name="hand" /></button>`;
  }
  return html`<button type="button" class="button" onClick=${open} data-testid=${testid}>
    <${WorkIcon} name="hand" />${t('tasks.new')}</button>`;
}
