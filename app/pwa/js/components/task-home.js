// "Mes tâches" on the home screen: my open tasks, most urgent first (the first few), and the
// way to all of them.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { useLive } from '../hooks.js';
import { listMyOpenTasks } from '../store/tasks.js';
import { Empty, ErrorMessage, Loading } from './status.js';
import { TaskCard } from './task-card.js';

export const HOME_TASKS = 5;

/** My open tasks, as the home screen lists them (its loader, shared with the section). */
export function useMyOpenTasks() {
  return useLive((signal) => listMyOpenTasks(signal), []);
}

export function MyTasksSection({ result }) {
  const items = result.data || [];
  return html`<section class="section" aria-labelledby="home-tasks">
    <div class="section-head">
      <h2 id="home-tasks">${t('tasks.mine')}${items.length > 0 ? ` (${items.length})` : ''}</h2>
      <a class="link-button" href="#/tasks" data-testid="open-tasks">${t('tasks.see_all')}</a>
    </div>
    ${result.loading && !result.data && html`<${Loading} />`}
    ${result.error && html`<${ErrorMessage} error=${result.error} onRetry=${result.reload} />`}
    ${result.data && items.length === 0 && html`<${Empty}>${t('tasks.empty_mine')}<//>`}
    ${items.length > 0 && html`<ul class="cards" data-testid="home-tasks">
      ${items.slice(0, HOME_TASKS).map((task) => html`<li key=${task.id}><${TaskCard} task=${task} /></li>`)}
    </ul>`}
  </section>`;
}
