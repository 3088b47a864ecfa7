// Dates, money and durations in the chosen locale (Intl), and datetime-local conversions.
import { getLocale } from './i18n/index.js';

function intlLocale() {
  return getLocale() === 'en' ? 'en-GB' : 'fr-FR';
}

const formatters = new Map();

/** One Intl formatter per kind, locale and options, kept: building one costs a hundred times
 * what using it does, and a list of 30 cards built a hundred (on a phone, most of the home
 * screen's first render). */
export function intl(Kind, options) {
  const locale = intlLocale();
  const key = `${Kind.name} ${locale} ${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Kind(locale, options);
    formatters.set(key, formatter);
  }
  return formatter;
}

// The option sets the screens use, named so that warmFormats() builds the very same ones.
export const SHORT_DAY = { weekday: 'short', day: 'numeric', month: 'short' };
export const SHORT_DAY_TIME = { ...SHORT_DAY, hour: '2-digit', minute: '2-digit' };
const TIME = { hour: '2-digit', minute: '2-digit' };
const LONG_DAY = { weekday: 'long', day: 'numeric', month: 'long' };
const RELATIVE = { numeric: 'auto', style: 'short' };

/** Build the formatters of the home screen and the lists ahead, one per idle moment: the
 * first of each costs tens of milliseconds on a phone (the locale's patterns), which, paid
 * while a list first renders, held the page for 130 ms in one go. */
export function warmFormats() {
  const wanted = [[Intl.DateTimeFormat, LONG_DAY], [Intl.DateTimeFormat, TIME],
    [Intl.DateTimeFormat, SHORT_DAY_TIME], [Intl.DateTimeFormat, SHORT_DAY],
    [Intl.RelativeTimeFormat, RELATIVE]];
  const later = self.requestIdleCallback || ((callback) => setTimeout(callback, 50));
  const next = () => {
    const [Kind, options] = wanted.shift();
    intl(Kind, options);
    if (wanted.length) later(next);
  };
  later(next);
}

export function formatDateTime(iso) {
  if (!iso) return '';
  return intl(Intl.DateTimeFormat, SHORT_DAY_TIME).format(new Date(iso));
}

const RELATIVE_STEPS = [[60, 'minute', 60], [24, 'hour', 3600], [7, 'day', 86400]];

/** "il y a 5 min", "hier": how long ago, within a week; the date and time beyond. */
export function formatRelative(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.max(0, (now - new Date(iso).getTime()) / 1000);
  const rtf = intl(Intl.RelativeTimeFormat, RELATIVE);
  if (seconds < 45) return rtf.format(0, 'second');
  for (const [limit, unit, size] of RELATIVE_STEPS) {
    const value = Math.max(1, Math.round(seconds / size));
    if (value < limit) return rtf.format(-value, unit);
  }
  return formatDateTime(iso);
}

export function formatTime(iso) {
  if (!iso) return '';
  return intl(Intl.DateTimeFormat, TIME).format(new Date(iso));
}

export function formatLongDate(date = new Date()) {
  return intl(Intl.DateTimeFormat, LONG_DAY).format(date);
}

/** A calendar date ("2026-11-24") shown without a time-zone shift. */
export function formatDay(isoDate) {
  if (!isoDate) return '';
  const [y, m, d] = isoDate.split('-').map(Number);
  return intl(Intl.DateTimeFormat, { day: 'numeric', month: 'long', year: 'numeric' })
    .format(new Date(y, m - 1, d));
}

export function formatMoney(amount, currency = 'EUR') {
  if (amount === null || amount === undefined || amount === '') return '';
  return intl(Intl.NumberFormat, { style: 'currency', currency, maximumFractionDigits: 0 })
    .format(Number(amount));
}

export function formatPercent(value) {
  if (value === null || value === undefined) return '';
  return intl(Intl.NumberFormat, { style: 'percent' }).format(Number(value) / 100);
}

/** Whole minutes between two instants, at least 1. */
export function minutesBetween(startIso, endIso) {
  return Math.max(1, Math.round((new Date(endIso) - new Date(startIso)) / 60000));
}

/** Value for <input type="datetime-local"> (local wall time, minutes). */
export function toLocalInput(date = new Date()) {
  const d = new Date(date);
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

/** ISO UTC string from a datetime-local value (read as local time); null if empty. */
export function fromLocalInput(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** [today 00:00, tomorrow 00:00) in local time, as ISO UTC strings. */
export function todayRange(now = new Date()) {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** "340 ko", "2,4 Mo": a file size in the chosen locale. */
export function formatSize(bytes) {
  if (bytes === null || bytes === undefined) return '';
  const units = getLocale() === 'en' ? ['B', 'kB', 'MB'] : ['o', 'ko', 'Mo'];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit > 0 && value < 10 ? 1 : 0;
  return `${intl(Intl.NumberFormat, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
