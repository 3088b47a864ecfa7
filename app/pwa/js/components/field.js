// Labelled form controls with their error messages, and a form-state hook.
import { html, useEffect, useRef, useState } from '../lib.js';
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

/** A ref for a form: when `error` changes, scroll its first invalid control (or the
 *  error box) into view, so a 422 is never hidden below the fold of a phone screen. */
export function useRevealErrors(error) {
  const form = useRef(null);
  useEffect(() => {
    if (!error || !form.current) return;
    const target = ['[aria-invalid="true"]', '.field-error', '.error-box']
      .map((selector) => form.current.querySelector(selector)).find(Boolean);
    if (target) target.scrollIntoView({ block: 'center' });
  }, [error]);
  return form;
}

/** A local 422 for empty required fields, shaped like the API's, or null. */
export function requiredError(values, names) {
  const missing = names.filter((name) => !String(values[name] ?? '').trim());
  if (missing.length === 0) return null;
  const fields = Object.fromEntries(missing.map((name) => [name, [t('error.required')]]));
  return { status: 422, code: 'validation_error', message: t('error.validation'), fields };
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
    <label for=${id}>
      ${label}${props.required && html`<span class="required" aria-hidden="true"> *</span>`}
    </label>
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
