// Labelled form controls with their error messages, and a form-state hook.
import { html, useState } from '../lib.js';
import { t } from '../i18n/index.js';
import { errorText } from './status.js';

/** values + bind(name) -> {name, value, onInput} for a text-like control. */
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const set = (name, value) => setValues((v) => ({ ...v, [name]: value }));
  const bind = (name) => ({
    name,
    value: values[name] ?? '',
    onInput: (event) => set(name, event.currentTarget.value),
  });
  return { values, set, setValues, bind };
}

/** {field: "message"} from an ApiError's fields ({field: ["message", ...]}). */
export function fieldErrors(error) {
  const fields = (error && error.fields) || {};
  return Object.fromEntries(
    Object.entries(fields).map(([name, messages]) => [
      name, Array.isArray(messages) ? messages.join(' ') : String(messages),
    ]),
  );
}

export function Field({ label, name, error, prefix = 'f', as = 'input', children, ...props }) {
  const id = `${prefix}-${name}`;
  const described = error ? `${id}-error` : undefined;
  const control = { id, name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described, ...props };
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${as === 'select' && html`<select ...${control}>${children}</select>`}
    ${as === 'textarea' && html`<textarea rows="3" ...${control} />`}
    ${as === 'input' && html`<input ...${control} />`}
    ${error && html`<p class="field-error" id=${described}>${error}</p>`}
  </div>`;
}

/** The request's error, plus field errors that no control on the form shows. */
export function FormErrors({ error, shown = [] }) {
  if (!error) return null;
  const others = Object.entries(fieldErrors(error)).filter(([name]) => !shown.includes(name));
  const message = error.status === 422 ? t('error.validation') : errorText(error);
  return html`<div class="error-box" role="alert" data-testid="form-error">
    <p>${message}</p>
    ${others.length > 0 && html`<ul>${others.map(([name, text]) => html`<li key=${name}>${name} : ${text}</li>`)}</ul>`}
  </div>`;
}
