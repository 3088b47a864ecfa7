// A textarea where "@" and a few letters offer matching colleagues; picking one writes
// "@Prénom Nom " (the server tells them they were mentioned). Arrow keys, Enter and Escape
// work too; the list is a listbox the screen reader follows.
import { html, useEffect, useRef, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { findColleagues } from '../store/colleagues.js';

// "@" at the start or after a space, then letters (one inner space allowed: "@Jean Pi").
const ACTIVE = /(^|\s)@([\p{L}\p{N}'-]+(?: [\p{L}\p{N}'-]*)?)$/u;

/** The mention being typed before the caret: {start, query}, or null. */
export function activeMention(text, caret) {
  const match = ACTIVE.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: match.index + match[1].length, query: match[2] };
}

export function MentionField({ id, name, label, value, onValue, error }) {
  const area = useRef(null);
  const [mention, setMention] = useState(null);
  const [options, setOptions] = useState([]);
  const [active, setActive] = useState(0);
  useEffect(() => {
    if (!mention) return setOptions([]);
    let stale = false;
    findColleagues(mention.query).then((found) => {
      if (!stale) { setOptions(found); setActive(0); }
    }, () => !stale && setOptions([]));
    return () => { stale = true; };
  }, [mention && mention.query]);

  const look = (node) => setMention(activeMention(node.value, node.selectionStart));
  const pick = (user) => {
    const node = area.current;
    const text = `@${user.name} `;
    const next = value.slice(0, mention.start) + text + value.slice(node.selectionStart);
    const caret = mention.start + text.length;
    // Written to the control first: the caret lands after the name at once (Preact then finds
    // the same value and leaves it), even when the next key comes before the next frame.
    node.value = next;
    node.focus();
    node.setSelectionRange(caret, caret);
    onValue(next);
    setMention(null);
  };
  const open = options.length > 0 && mention;
  const onKeyDown = (event) => {
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((active + step + options.length) % options.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      pick(options[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation(); // close the list, not the sheet
      setMention(null);
    }
  };
  const listId = `${id}-mentions`;
  const described = error ? `${id}-error` : `${id}-hint`;
  return html`<div class="field mention-field">
    <label for=${id}>${label}</label>
    <textarea ref=${area} id=${id} name=${name} rows="3" value=${value}
      role="combobox" aria-autocomplete="list" aria-expanded=${open ? 'true' : 'false'}
      aria-controls=${listId} aria-activedescendant=${open ? `${listId}-${active}` : undefined}
      aria-invalid=${error ? 'true' : undefined} aria-describedby=${described}
      onInput=${(e) => { onValue(e.currentTarget.value); look(e.currentTarget); }}
      onClick=${(e) => look(e.currentTarget)} onKeyDown=${onKeyDown}
      onBlur=${() => setTimeout(() => setMention(null), 200)} />
    <ul id=${listId} role="listbox" class="mention-list" aria-label=${t('mention.list')} hidden=${!open}
      data-testid="mention-list">
      ${open && options.map((user, index) => html`<li key=${user.id} id=${`${listId}-${index}`} role="option"
        aria-selected=${index === active ? 'true' : 'false'} class="mention-option" data-testid="mention-option"
        onPointerDown=${(e) => e.preventDefault()} onClick=${() => pick(user)}>
        <span class="mention-at" aria-hidden="true">@</span>${user.name}</li>`)}
    </ul>
    ${error ? html`<p class="field-error" id=${described}>${error}</p>`
      : html`<p class="muted small" id=${described}>${t('mention.hint')}</p>`}
  </div>`;
}
