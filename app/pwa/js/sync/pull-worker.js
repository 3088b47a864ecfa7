// A dedicated worker that runs pulls (js/sync/pull.js) off the page's thread: parsing pages of
// 500 records and storing them in IndexedDB took the main thread for hundreds of milliseconds
// during a first sync, so taps and scrolling waited (Lighthouse's Total Blocking Time).
// Messages in: {type: 'pull', id, language}; out: {id, progress} per page, then {id, result}
// or {id, error: {status, code, message, fields, retryAfter}}.
import { setLanguage } from '../api.js';
import { pull } from './pull.js';

self.addEventListener('message', async (event) => {
  const { type, id, language } = event.data || {};
  if (type !== 'pull') return;
  if (language) setLanguage(language);
  try {
    const result = await pull({ onProgress: (progress) => self.postMessage({ id, progress }) });
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({
      id,
      error: {
        status: error.status ?? 0, code: error.code || 'pull_failed', message: String(error.message),
        fields: error.fields || {}, retryAfter: error.retryAfter ?? null,
      },
    });
  }
});
