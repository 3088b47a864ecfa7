// Bottom sheet on a native modal <dialog>: focus trap, Escape and backdrop close for free.
import { html, useEffect, useRef } from '../lib.js';
import { t } from '../i18n/index.js';
import { Icon } from './icons.js';

export function Sheet({ title, subtitle, onClose, children, testid }) {
  const dialog = useRef(null);
  useEffect(() => {
    const node = dialog.current;
    if (node && !node.open) node.showModal();
    return () => node && node.open && node.close();
  }, []);
  const onCancel = (event) => {
    event.preventDefault(); // Escape: let the owner unmount us
    onClose();
  };
  const onClick = (event) => {
    if (event.target === dialog.current) onClose(); // a tap on the backdrop
  };
  return html`<dialog ref=${dialog} class="sheet" aria-labelledby="sheet-title"
    onCancel=${onCancel} onClick=${onClick} data-testid=${testid}>
    <div class="sheet-inner">
      <header class="sheet-header">
        <div>
          <h2 id="sheet-title">${title}</h2>
          ${subtitle && html`<p class="muted">${subtitle}</p>`}
        </div>
        <button type="button" class="icon-button" onClick=${onClose} aria-label=${t('common.close')}
          data-testid="sheet-close"><${Icon} name="close" /></button>
      </header>
      ${children}
    </div>
  </dialog>`;
}
