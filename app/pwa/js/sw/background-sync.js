// The `sync` event (tag "outbox"): drain from the worker, tell open pages to recount.
import { drain } from '../sync/outbox.js';

async function notifyPages() {
  const pages = await self.clients.matchAll({ type: 'window' });
  pages.forEach((page) => page.postMessage({ type: 'outbox-changed' }));
}

/** Rejects when the drain must be retried, so the browser schedules the sync again. */
export async function drainInWorker() {
  const result = await drain({ onChange: notifyPages });
  await notifyPages();
  if (result.status === 'retry') throw new Error('outbox: retry later');
}
