// "Tâches": the tasks given to me or those I gave (#/tasks?scope=created): open ones most urgent
// first, then the latest done. Read from the device, so offline too.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { useLive } from '../hooks.js';
import { navigate } from '../router.js';
import { listTasks } from '../store/tasks.js';
import { Page } from '../components/page.js';
import { Empty, ErrorMessage, Loading } from '../components/status.js';
import { TaskButton } from '../components/task-sheet.js';
import { TaskCard } from '../components/task-card.js';

const SCOPES = ['mine', 'created'];

function TaskList({ id, title, items, who, empty }) {
  return html`<section class="section" aria-labelledby=${id}>
    <h2 id=${id}>${title}</h2>
    ${items.length === 0 && empty && html`<${Empty}>${empty}<//>`}
    ${items.length > 0 && html`<ul class="cards" data-testid=${id}>
      ${items.map((task) => html`<li key=${task.id}><${TaskCard} task=${task} who=${who} /></li>`)}
    </ul>`}
  </section>`;
}

export function TasksView({ query = {} }) {
  const scope = SCOPES.includes(query.scope) ? query.scope : 'mine';
  const result = useLive((signal) => listTasks(scope, signal), [scope]);
  const who = scope === 'created' ? 'assignee' : 'creator';
  const data = result.data;
  return html`<${Page} title=${t('tasks.title')} back="/">
    <div class="segmented tabs" role="group" aria-label=${t('tasks.scope')}>
      ${SCOPES.map((s) => html`<button type="button" key=${s} class="segment"
        aria-pressed=${s === scope ? 'true' : 'false'} data-testid=${`tasks-scope-${s}`}
        onClick=${() => navigate('/tasks', { query: s === 'mine' ? undefined : { scope: s }, replace: true })}>
        ${t(`tasks.scope.${s}`)}</button>`)}
    </div>
    ${result.loading && !data && html`<${Loading} />`}
    ${result.error && html`<${ErrorMessage} error=${result.error} onRetry=${result.reload} />`}
    ${data && html`
      <${TaskList} id="tasks-open" title=${t('tasks.open')} items=${data.open} who=${who}
        empty=${t(scope === 'created' ? 'tasks.empty_created' : 'tasks.empty_mine')} />
      ${data.done.length > 0 && html`<${TaskList} id="tasks-done" title=${t('tasks.done_list')}
        items=${data.done} who=${who} />`}`}
    <p class="section"><${TaskButton} context=${{}} testid="tasks-new" /></p>
  <//>`;
}
