/**
 * Registers the service worker (src/sw.ts) in the built app, and keeps what the page should say
 * about it: whether a new version waits ("a new version is ready — reload") and whether the page
 * cannot be cross-origin isolated (no two-thread wasm GEMM).
 *
 * Isolation on a host that sends no COOP/COEP: the page a worker first installs on was loaded
 * from the network, without the headers; once the worker is active, one reload gets the page
 * through the worker, with them. A flag in sessionStorage allows that reload once per tab, so a
 * browser that will not isolate (or a worker that fails) never loops: the page then says so
 * once and trains on one thread.
 */

export interface OfflineState {
  /** A new version is installed and waits for the reader's reload. */
  updateReady: boolean;
  /** Why this page cannot be cross-origin isolated (null: it is, or may still become so). */
  isolationUnavailable: string | null;
}

const RELOADED_KEY = 'latent-lab:isolation-reload';
const NO_WORKER =
  'the lab has no service worker here (a private window, or a page opened from a file)';

let state: OfflineState = { updateReady: false, isolationUnavailable: null };
const listeners = new Set<() => void>();
let waiting: ServiceWorker | null = null;
let accepted = false;

function set(next: Partial<OfflineState>) {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

export const offlineStore = {
  get: (): OfflineState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** Lets the waiting version take over; the page reloads when it has (controllerchange). */
export function applyUpdate(): void {
  accepted = true;
  if (waiting) waiting.postMessage({ type: 'SKIP_WAITING' });
  else window.location.reload();
}

const isolated = () => window.crossOriginIsolated === true;

/** Sets the once-per-tab reload flag; false if it was set already or cannot be kept. */
function firstReload(): boolean {
  try {
    const s = window.sessionStorage;
    if (s.getItem(RELOADED_KEY)) return false;
    s.setItem(RELOADED_KEY, '1');
    return s.getItem(RELOADED_KEY) === '1';
  } catch {
    return false;
  }
}

/** Registers `url` (the built sw.js, beside index.html) over the page's folder. */
export function startServiceWorker(url: string): void {
  if (isolated()) {
    try {
      window.sessionStorage.removeItem(RELOADED_KEY);
    } catch {
      // no storage: nothing to clear
    }
  }
  const unavailable = (why: string) => {
    if (!isolated()) set({ isolationUnavailable: why });
  };
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return unavailable(NO_WORKER);
  const sw = navigator.serviceWorker;
  let reloading = false;
  const reload = () => {
    reloading = true;
    window.location.reload();
  };
  /** One reload per tab to become isolated; past that, say why not. */
  const reloadToIsolate = () => {
    if (reloading || isolated()) return;
    if (firstReload()) reload();
    else unavailable('this browser did not isolate the page through the service worker');
  };
  const hadController = sw.controller !== null;
  sw.addEventListener('controllerchange', () => {
    if (accepted) reload();
    // Another tab took a new version: this page's lazy files may be gone from the host.
    else if (hadController) set({ updateReady: true });
    else reloadToIsolate();
  });
  const offer = (w: ServiceWorker) => {
    waiting = w;
    set({ updateReady: true });
  };
  sw.register(url, { scope: './' })
    .then((reg) => {
      if (reg.waiting && sw.controller) offer(reg.waiting);
      reg.addEventListener('updatefound', () => {
        const next = reg.installing;
        next?.addEventListener('statechange', () => {
          if (next.state === 'installed' && sw.controller) offer(next);
        });
      });
      return sw.ready;
    })
    // Active but this page not isolated: a first visit (loaded before the worker), or a reload
    // that bypassed it. The next load goes through the worker.
    .then(reloadToIsolate)
    .catch(() => unavailable(NO_WORKER));
}
