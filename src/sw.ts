/**
 * The service worker (built by vite-plugin-pwa's injectManifest into dist/sw.js; registered by
 * src/ui/service-worker.ts in the built app only, never by the dev server).
 * - Precaches the app (HTML, JS, CSS, .wasm, icons, every lesson's chunk), the bundled MNIST
 *   (datasets/) and the PyTorch export's templates (pytorch/*.py, *.md): the list is injected at build time as self.__WB_MANIFEST. A new deploy installs
 *   beside the running one and waits until the page asks it to take over (SKIP_WAITING), so one
 *   page never mixes two versions' files.
 * - At first use, caches what is not bundled but fetched from this origin: the trained models
 *   (pretrained/) and other files under datasets/ (network first, the cache when offline).
 *   Datasets downloaded from other hosts are kept by the app itself, in IndexedDB
 *   (src/data/byte-cache.ts), so this worker leaves cross-origin requests alone.
 * - Adds COOP/COEP (src/core/cross-origin-isolation.ts) to every response it serves, so that a
 *   static host that sends no headers still gives a cross-origin-isolated page (the
 *   coi-serviceworker technique), and with it the two-thread wasm GEMM.
 */
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { withIsolationHeaders } from './core/cross-origin-isolation';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0];
};

/** A Workbox plugin: every response this worker hands to the page carries COOP/COEP. */
const isolate = {
  handlerWillRespond: async ({ response }: { response: Response }) =>
    withIsolationHeaders(response),
};

addPlugins([isolate]);
cleanupOutdatedCaches();
// Links carry their settings in the hash, older ones in the query: any query maps to the same file.
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });

const scope = new URL(self.registration.scope);
const inScope = (url: URL) =>
  url.origin === scope.origin && url.pathname.startsWith(scope.pathname);

// Any other page address in the lab's folder opens the lab (offline too).
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/\/(datasets|pretrained)\//],
  }),
);

// Trained models and other files of this host's datasets/: fresh when online, kept for offline.
registerRoute(
  ({ url }) => inScope(url) && /\/(pretrained|datasets)\//.test(url.pathname),
  new NetworkFirst({ cacheName: 'latent-lab-files', plugins: [isolate] }),
);

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Take over the open page at first install (it then reloads once to become isolated); after an
// update this runs only once the page has asked for it (SKIP_WAITING).
self.addEventListener('activate', (event: ExtendableEvent) => {
  event.waitUntil(self.clients.claim());
});
