// App-wide UI state: the quick-log sheet, the toast and the live notification.
import { createState } from './state.js';

// null, or {company_id, contact_id, deal_id, title, preset: {kind, starts_at, ends_at}}
export const quickLog = createState(null);
export const toast = createState(null);

export function openQuickLog(context) {
  quickLog.set({ ...context, openedAt: Date.now() });
}

export function closeQuickLog() {
  quickLog.set(null);
}

let toastTimer = null;
export function showToast(message) {
  clearTimeout(toastTimer);
  toast.set({ message, at: Date.now() });
  toastTimer = setTimeout(() => toast.set(null), 4000);
}

// The waiting service worker when a new version of the app is ready, else null.
export const updateReady = createState(null);

// The last live notification shown in the app ({title, body, href, at}), or null.
export const notice = createState(null);
export const NOTICE_MS = 8000;

let noticeTimer = null;
export function showNotice({ title, body, href }) {
  clearTimeout(noticeTimer);
  notice.set({ title, body, href, at: Date.now() });
  noticeTimer = setTimeout(() => notice.set(null), NOTICE_MS);
}

export function dismissNotice() {
  clearTimeout(noticeTimer);
  notice.set(null);
}
