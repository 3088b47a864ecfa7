// App-wide UI state: the quick-log sheet and the toast.
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
