// Translations: French by default, English when the browser says en*; the choice is kept locally.
import { setLanguage } from '../api.js';
import en from './en.js';
import fr from './fr.js';

const DICTIONARIES = { fr, en };
const STORAGE_KEY = 'tournee.locale';
export const LOCALES = ['fr', 'en'];

/** fr for French and for anything that is not English. */
export function detectLocale(language = navigator.language) {
  return /^en(-|$)/i.test(language || '') ? 'en' : 'fr';
}

function stored() {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return LOCALES.includes(value) ? value : null;
  } catch {
    return null; // storage disabled: fall back to the browser language
  }
}

let current = stored() || detectLocale();
const listeners = new Set();
document.documentElement.lang = current;
setLanguage(current);

export function getLocale() {
  return current;
}

export function setLocale(locale) {
  if (!LOCALES.includes(locale) || locale === current) return;
  current = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not persisted; the choice still holds for this page
  }
  document.documentElement.lang = locale;
  setLanguage(locale);
  listeners.forEach((listener) => listener(locale));
}

export function onLocaleChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The UI string for `key`, with {name} placeholders filled from `params`. */
export function t(key, params) {
  const text = DICTIONARIES[current][key] ?? DICTIONARIES.fr[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** A picklist entry's name (exchange kind, outcome) in the current locale. */
export function localName(entry) {
  if (!entry) return '';
  return (current === 'en' ? entry.name_en : entry.name_fr) || entry.name_fr || entry.key;
}
