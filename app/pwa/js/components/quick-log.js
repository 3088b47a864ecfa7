// The quick-log sheet: kind, when, outcome, optional details, Save. A call from a record page
// takes three taps: "Consigner" (opens this), the kind "Appel", then "Enregistrer".
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { fromLocalInput, toLocalInput } from '../format.js';
import { useAsync, useStore } from '../hooks.js';
import { logExchange } from '../store/exchanges.js';
import { loadPicklists } from '../store/picklists.js';
import { listCompanyDeals } from '../store/records.js';
import { closeQuickLog, quickLog, showToast } from '../store/ui.js';
import { Field, FormErrors, fieldErrors, useForm, useRevealErrors } from './field.js';
import { MentionField } from './mention-field.js';
import { PhotoField } from './photo-field.js';
import { DealPicker, KindPicker, OutcomePicker, PrivateSwitch } from './quick-log-fields.js';
import { Sheet } from './sheet.js';
import { ErrorMessage, Loading } from './status.js';

const SHOWN = ['kind', 'outcome', 'starts_at', 'ends_at', 'subject', 'details', 'deal_ids'];

function initialValues({ preset = {}, deal_id: dealId }) {
  return {
    kind: preset.kind || null,
    starts_at: toLocalInput(preset.starts_at || new Date()),
    ends_at: preset.ends_at ? toLocalInput(preset.ends_at) : '',
    outcome: null, subject: '', details: '', deal: dealId || '', private: false,
  };
}

function payload(values, context) {
  return {
    kind: values.kind,
    outcome: values.outcome,
    subject: values.subject.trim() || null,
    details: values.details.trim() || null,
    starts_at: fromLocalInput(values.starts_at) || new Date().toISOString(),
    ends_at: fromLocalInput(values.ends_at),
    company_id: context.company_id || null,
    contact_id: context.contact_id || null,
    deal_ids: values.deal ? [values.deal] : [],
    private: values.private,
    // An alert's "Planifier une visite" opens the sheet for a planned exchange.
    state: (context.preset && context.preset.state) || 'done',
  };
}

function QuickLogForm({ context }) {
  const lists = useAsync(() => loadPicklists(), []);
  const deals = useAsync((signal) => (context.company_id
    ? listCompanyDeals(context.company_id, signal) : Promise.resolve({ items: [] })), []);
  const { values, set, bind } = useForm(initialValues(context));
  const [status, setStatus] = useState({ saving: false, error: null, missingKind: false });
  const [photos, setPhotos] = useState([]);
  const errors = fieldErrors(status.error);
  const formRef = useRevealErrors(status.error || status.missingKind);

  const save = async (event) => {
    event.preventDefault();
    if (!values.kind) return setStatus({ saving: false, error: null, missingKind: true });
    setStatus({ saving: true, error: null, missingKind: false });
    try {
      await logExchange(payload(values, context), photos);
      // From the tap to the exchange safe in IndexedDB (bench/bench_tap.py reads it).
      performance.measure('quicklog:tap-to-saved', { start: event.timeStamp });
      closeQuickLog();
      showToast(t('quicklog.saved'));
    } catch (error) {
      setStatus({ saving: false, error, missingKind: false });
    }
  };

  if (lists.error) return html`<div class="sheet-body"><${ErrorMessage} error=${lists.error} onRetry=${lists.reload} /></div>`;
  if (!lists.data) return html`<div class="sheet-body"><${Loading} /></div>`;
  return html`<form class="sheet-form" ref=${formRef} onSubmit=${save} novalidate>
    <div class="sheet-body">
      <${FormErrors} error=${status.error} shown=${SHOWN} />
      <${KindPicker} kinds=${lists.data.activeKinds} value=${values.kind}
        onChange=${(kind) => set('kind', kind)}
        error=${status.missingKind ? t('quicklog.kind_required') : errors.kind} />
      <div class="field-stack">
        <${Field} prefix="ql" type="datetime-local"
          label=${values.ends_at ? t('quicklog.starts_at_call') : t('quicklog.starts_at')}
          error=${errors.starts_at} ...${bind('starts_at')} />
        ${values.ends_at && html`<${Field} prefix="ql" type="datetime-local"
          label=${t('quicklog.ends_at')} error=${errors.ends_at} ...${bind('ends_at')} />`}
      </div>
      <${OutcomePicker} outcomes=${lists.data.activeOutcomes} value=${values.outcome}
        onChange=${(outcome) => set('outcome', outcome)} error=${errors.outcome} />
      <${Field} prefix="ql" label=${`${t('quicklog.subject')} ${t('common.optional')}`}
        maxlength="200" error=${errors.subject} ...${bind('subject')} />
      <${MentionField} id="ql-details" name="details" label=${`${t('quicklog.details')} ${t('common.optional')}`}
        error=${errors.details} value=${values.details} onValue=${(text) => set('details', text)} />
      <${DealPicker} deals=${deals.data && deals.data.items} value=${values.deal}
        error=${errors.deal_ids} onChange=${(deal) => set('deal', deal)} />
      <${PhotoField} photos=${photos} onChange=${setPhotos} />
      <${PrivateSwitch} checked=${values.private} onChange=${(p) => set('private', p)} />
    </div>
    <div class="sheet-footer">
      <button type="submit" class="button primary wide" disabled=${status.saving}
        data-testid="quicklog-save">${status.saving ? t('common.saving') : t('quicklog.save')}</button>
    </div>
  </form>`;
}

/** Mounted once by the app; shown while the ui store holds a quick-log context. */
export function QuickLog() {
  const context = useStore(quickLog);
  if (!context) return null;
  const planning = context.preset && context.preset.state === 'planned';
  return html`<${Sheet} title=${t(planning ? 'quicklog.plan_title' : 'quicklog.title')} subtitle=${context.title}
    onClose=${closeQuickLog} testid="quicklog">
    <${QuickLogForm} key=${context.openedAt} context=${context} />
  <//>`;
}
