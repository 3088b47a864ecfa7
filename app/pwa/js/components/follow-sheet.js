// What to hear about for one record: every kind, or only some of them; or stop following.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { FOLLOW_KINDS } from '../store/follows.js';
import { Sheet } from './sheet.js';

/** "Nouvel échange", "Changement d'étape"...: the short name of a kind for a follow. */
export function followKindLabel(kind) {
  const key = `follow.kind.${kind}`;
  const text = t(key);
  return text === key ? kind : text;
}

export function FollowSheet({ type, follow, busy, onSave, onClose }) {
  const offered = FOLLOW_KINDS[type] || [];
  const [all, setAll] = useState(!follow.following || !follow.kinds);
  const [picked, setPicked] = useState(new Set(follow.kinds || offered));
  const toggle = (kind, on) => {
    const next = new Set(picked);
    if (on) next.add(kind); else next.delete(kind);
    setPicked(next);
  };
  const kinds = offered.filter((kind) => picked.has(kind));
  const submit = (event) => {
    event.preventDefault();
    onSave({ following: true, kinds: all ? null : kinds });
  };
  return html`<${Sheet} title=${t('follow.sheet_title')} subtitle=${t(`follow.sheet_hint.${type}`)}
    onClose=${onClose} testid="follow-sheet">
    <form class="sheet-form" onSubmit=${submit}>
      <div class="sheet-body">
        <fieldset class="fieldset stack-tight">
          <legend>${t('follow.what')}</legend>
          <label class="radio-row"><input type="radio" name="follow-all" checked=${all}
            data-testid="follow-all" onChange=${() => setAll(true)} /><span>${t('follow.all')}</span></label>
          <label class="radio-row"><input type="radio" name="follow-all" checked=${!all}
            data-testid="follow-only" onChange=${() => setAll(false)} /><span>${t('follow.only')}</span></label>
          ${!all && html`<div class="stack-tight follow-kinds">
            ${offered.map((kind) => html`<label class="switch" key=${kind}>
              <input type="checkbox" checked=${picked.has(kind)} data-testid=${`follow-kind-${kind}`}
                onChange=${(e) => toggle(kind, e.currentTarget.checked)} />
              <span>${followKindLabel(kind)}</span></label>`)}
          </div>`}
          ${!all && kinds.length === 0 && html`<p class="field-error" role="alert">${t('follow.none_picked')}</p>`}
        </fieldset>
      </div>
      <div class="sheet-footer stack-tight">
        <button type="submit" class="button primary wide" disabled=${busy || (!all && kinds.length === 0)}
          data-testid="follow-save">${t('follow.save')}</button>
        ${follow.following && html`<button type="button" class="button wide" disabled=${busy}
          data-testid="follow-stop" onClick=${() => onSave({ following: false, kinds: follow.kinds })}>
          ${t('follow.stop')}</button>`}
      </div>
    </form>
  <//>`;
}
