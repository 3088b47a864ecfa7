// What the company, contact and deal screens share: loading the record and picklists,
// the "Consigner" bottom bar, and the loading / error frames.
import { html } from '../lib.js';
import { t } from '../i18n/index.js';
import { useAsync, useLive } from '../hooks.js';
import { loadPicklists } from '../store/picklists.js';
import { getRecord } from '../store/records.js';
import { openQuickLog } from '../store/ui.js';
import { Icon } from '../components/icons.js';
import { TaskButton } from '../components/task-sheet.js';
import { Page } from '../components/page.js';
import { ErrorMessage, Loading } from '../components/status.js';

export function useRecord(type, id) {
  const record = useLive((signal) => getRecord(type, id, signal), [type, id]);
  const picklists = useAsync(() => loadPicklists(), []);
  return { record, picklists: picklists.data };
}

/** The big thumb-reach button that opens the quick-log sheet for this record, and beside it
 *  "Transmettre une consigne" (a task for a colleague about the record). */
export function LogButton({ context }) {
  return html`<div class="bottombar-row">
    <button type="button" class="button primary wide log-button"
      data-testid="quicklog-open" onClick=${() => openQuickLog(context)}>
      <${Icon} name="log" />${t('quicklog.open')}</button>
    <${TaskButton} context=${context} compact=${true} />
  </div>`;
}

/** "Modifier" in the top bar of a company or contact. */
export function EditButton({ path }) {
  return html`<a class="icon-button" href=${`#${path}/edit`} aria-label=${t('edit.title')}
    data-testid="record-edit"><${Icon} name="log" /></a>`;
}

/** Loading / error page while the record is not there yet; null once it is. */
export function RecordPending({ record }) {
  if (record.error) {
    return html`<${Page} title=${t('common.error')} back="/">
      <${ErrorMessage} error=${record.error} onRetry=${record.reload} /><//>`;
  }
  if (!record.data) return html`<${Page} title=${t('common.loading')} back="/"><${Loading} /><//>`;
  return null;
}
