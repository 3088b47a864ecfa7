// A conflict, field by field: "Sur cet appareil" or "Sur le serveur" for each field the
// device changed; then one update against the server's version with the chosen values.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { useAsync } from '../hooks.js';
import { navigate } from '../router.js';
import { getAttention, resolveConflict } from '../store/attention.js';
import { Page } from '../components/page.js';
import { Empty, Loading } from '../components/status.js';
import { fieldLabel } from './attention.js';

const shown = (value) => (value === null || value === undefined || value === '' ? null : String(value));

function Choice({ name, side, value, checked, onChange }) {
  const text = shown(value);
  return html`<label class="conflict-choice">
    <span class="side">${t(`conflict.${side}`)}</span>
    <span class=${text ? 'value' : 'value empty'}>${text || t('conflict.empty')}</span>
    <input type="radio" name=${`conflict-${name}`} checked=${checked} onChange=${onChange}
      data-testid=${`conflict-${name}-${side}`} />
  </label>`;
}

function Form({ entry }) {
  const mine = entry.mutation.data || {};
  const server = entry.current || {};
  const names = Object.keys(mine).filter((name) => !['id', 'companies', 'contacts'].includes(name));
  const [choice, setChoice] = useState(Object.fromEntries(names.map((n) => [n, 'device'])));
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    const chosen = Object.fromEntries(names.map((n) => [n, choice[n] === 'device' ? mine[n] : server[n] ?? null]));
    await resolveConflict(entry, chosen);
    navigate('/attention', { replace: true });
  };
  return html`<form onSubmit=${submit} data-testid="conflict-form">
    <p class="muted">${t('conflict.intro')}</p>
    <div class="section">
      ${names.map((name) => html`<fieldset class="conflict-field" key=${name}>
        <legend>${fieldLabel(name)}</legend>
        <div class="conflict-choices">
          ${['device', 'server'].map((side) => html`<${Choice} key=${side} name=${name} side=${side}
            value=${side === 'device' ? mine[name] : server[name]} checked=${choice[name] === side}
            onChange=${() => setChoice({ ...choice, [name]: side })} />`)}
        </div>
      </fieldset>`)}
    </div>
    <button type="submit" class="button primary wide" disabled=${busy} data-testid="conflict-save">
      ${t('conflict.save')}</button>
  </form>`;
}

export function ConflictView({ seq }) {
  const entry = useAsync(() => getAttention(seq), [seq]);
  const current = (entry.data && entry.data.current) || {};
  return html`<${Page} title=${t('conflict.title')} subtitle=${current.full_name || current.name}
      back="/attention">
    ${entry.loading && html`<${Loading} />`}
    ${!entry.loading && !(entry.data && entry.data.kind === 'conflict') && html`<${Empty}>${t('conflict.gone')}<//>`}
    ${entry.data && entry.data.kind === 'conflict' && html`<${Form} entry=${entry.data} />`}
  <//>`;
}
