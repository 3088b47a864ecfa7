// The owner picker of an alert's "Réattribuer": one tap on a colleague queues the record's new
// owner through the outbox (a normal edit of owner_id).
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useAsync, useStore } from '../hooks.js';
import { reassigning } from '../store/alerts.js';
import { getRecord, updateRecord } from '../store/records.js';
import { session } from '../store/session.js';
import { listColleagues } from '../store/tasks.js';
import { showToast } from '../store/ui.js';
import { Icon } from './icons.js';
import { Sheet } from './sheet.js';
import { ErrorMessage, Loading } from './status.js';

function Picker({ target }) {
  const record = useAsync((signal) => getRecord(target.type, target.id, signal), [target.id]);
  const people = useAsync(() => listColleagues(), []);
  const [error, setError] = useState(null);
  const me = (session.get().user || {}).id;
  if (record.error) return html`<div class="sheet-body"><${ErrorMessage} error=${record.error} /></div>`;
  if (!record.data || !people.data) return html`<div class="sheet-body"><${Loading} /></div>`;
  const pick = async (user) => {
    try {
      await updateRecord(target.type, record.data, { owner_id: user.id });
      reassigning.set(null);
      showToast(t('alerts.reassigned', { name: user.name }));
    } catch (err) {
      setError(err);
    }
  };
  return html`<div class="sheet-body">
    ${error && html`<${ErrorMessage} error=${error} />`}
    <ul class="list" data-testid="reassign-list">
      ${people.data.map((user) => html`<li key=${user.id}>
        <button type="button" class="list-row" onClick=${() => pick(user)}
          aria-current=${user.id === record.data.owner_id ? 'true' : undefined}>
          <span class="type-icon type-contact"><${Icon} name="user" /></span>
          <span class="list-text"><span class="list-title">${user.name}${user.id === me ? ` (${t('tasks.me')})` : ''}</span>
            ${user.id === record.data.owner_id && html`<span class="list-subtitle">${t('alerts.current_owner')}</span>`}</span>
        </button></li>`)}
    </ul>
  </div>`;
}

/** Mounted once by the app; shown while an alert's record is being reassigned. */
export function ReassignSheet() {
  const target = useStore(reassigning);
  if (!target) return null;
  return html`<${Sheet} title=${t('alerts.reassign_title')} subtitle=${target.title}
    onClose=${() => reassigning.set(null)} testid="reassign-sheet">
    <${Picker} key=${target.id} target=${target} />
  <//>`;
}
