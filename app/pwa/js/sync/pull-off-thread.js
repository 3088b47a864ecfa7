// The page's way to pull: in a dedicated worker (pull-worker.js) where the browser runs module
// workers, on the page itself where it does not. One worker, made at the first pull and kept.
import { ApiError, currentLanguage } from '../api.js';
import { pull } from './pull.js';

let worker = null;
let unavailable = typeof Worker === 'undefined';
let nextId = 0;
const waiting = new Map(); // id -> {resolve, reject, onProgress}

function start() {
  try {
    worker = new Worker(new URL('./pull-worker.js', import.meta.url), { type: 'module' });
  } catch {
    unavailable = true; // module workers refused (older browsers)
    return null;
  }
  worker.addEventListener('message', ({ data }) => {
    const call = waiting.get(data.id);
    if (!call) return;
    if (data.progress) {
      if (call.onProgress) call.onProgress(data.progress);
      return;
    }
    waiting.delete(data.id);
    if (data.error) {
      const { status, code, message, fields, retryAfter } = data.error;
      call.reject(new ApiError(status, code, message, fields, retryAfter));
    } else {
      call.resolve(data.result);
    }
  });
  worker.addEventListener('error', (event) => {
    // The worker could not load or crashed: fail what it was doing, pull on the page from now.
    event.preventDefault();
    unavailable = true;
    worker = null;
    for (const call of waiting.values()) call.fallback();
    waiting.clear();
  });
  return worker;
}

/** Same contract as pull() (onProgress after each page; rejects with ApiError). */
export function pullOffThread({ onProgress } = {}) {
  if (unavailable || !(worker || start())) return pull({ onProgress });
  return new Promise((resolve, reject) => {
    const id = ++nextId;
    const fallback = () => pull({ onProgress }).then(resolve, reject);
    waiting.set(id, { resolve, reject, onProgress, fallback });
    worker.postMessage({ type: 'pull', id, language: currentLanguage() });
  });
}
