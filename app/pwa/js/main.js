// Entry point: wire the service worker, the router's entry mark, and render the app.
import { warmFormats } from './format.js';
import { html, render } from './lib.js';
import { markEntryPoint } from './router.js';
import { registerServiceWorker } from './sw-register.js';
import { App } from './views/app.js';

markEntryPoint();
registerServiceWorker();
const root = document.getElementById('app');
root.textContent = ''; // drop the boot message; render() does not replace existing nodes
render(html`<${App} />`, root);
warmFormats();
