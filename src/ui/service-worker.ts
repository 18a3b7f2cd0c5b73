/**
 * Registers the service worker (src/sw.ts) in the built app, and keeps what the page should say
 * about it: whether a new version waits ("a new version is ready — reload") and whether the page
 * is cross-origin isolated (the two-thread wasm GEMM) or cannot be.
 *
 * Isolation on a host that sends no COOP/COEP: the page a worker first installs on was loaded
 * from the network, without the headers; once the worker controls the page, one reload gets the
 * page through the worker, with them. A flag in sessionStorage allows that reload once per tab,
 * so a browser that will not isolate (or a worker that fails) never loops: the page then says so
 * once and trains on one thread.
 */

export interface OfflineState {
  /** A new version is installed and waits for the reader's reload. */
  updateReady: boolean;
  /** Why this page cannot be cross-origin isolated (null: it is, or may still become so). */
  isolationUnavailable: string | null;
}

const RELOADED_KEY = 'latent-lab:isolation-reload';

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

function sessionFlag(): { get(): boolean; set(): boolean; clear(): void } {
  const store = (() => {
    try {
      return window.sessionStorage;
    } catch {
      return null;
    }
  })();
  return {
    get: () => store?.getItem(RELOADED_KEY) === '1',
    set: () => {
      try {
        store?.setItem(RELOADED_KEY, '1');
        return store?.getItem(RELOADED_KEY) === '1';
      } catch {
        return false;
      }
    },
    clear: () => store?.removeItem(RELOADED_KEY),
  };
}

/** Registers `url` (the built sw.js, beside index.html) over the page's folder. */
export function startServiceWorker(url: string): void {
  const flag = sessionFlag();
  if (isolated()) flag.clear();
  if (!('serviceWorker' in navigator) || !window.isSecureContext) {
    if (!isolated())
      set({
        isolationUnavailable:
          window.location.protocol === 'file:'
            ? 'opened from a file, the lab cannot start its service worker'
            : 'this browser (or a private window) gives the lab no service worker',
      });
    return;
  }
  const sw = navigator.serviceWorker;
  let reloading = false;
  /** One reload per tab to become isolated; past that, say why not. */
  const reloadToIsolate = () => {
    if (reloading || isolated()) return;
    if (flag.get() || !flag.set()) {
      set({ isolationUnavailable: 'this browser did not isolate the page through the service worker' });
      return;
    }
    reloading = true;
    window.location.reload();
  };
  const hadController = sw.controller !== null;
  sw.addEventListener('controllerchange', () => {
    if (accepted) {
      reloading = true;
      window.location.reload();
    } else if (hadController) {
      // Another tab took the new version: this page's lazy files may be gone from the host.
      set({ updateReady: true });
    } else reloadToIsolate();
  });
  const watch = (reg: ServiceWorkerRegistration) => {
    const offer = (w: ServiceWorker) => {
      waiting = w;
      set({ updateReady: true });
    };
    if (reg.waiting && sw.controller) offer(reg.waiting);
    reg.addEventListener('updatefound', () => {
      const next = reg.installing;
      next?.addEventListener('statechange', () => {
        if (next.state === 'installed' && sw.controller) offer(next);
      });
    });
  };
  sw.register(url, { scope: './' })
    .then((reg) => {
      watch(reg);
      return sw.ready;
    })
    .then(() => {
      // Active but this page not isolated: a first visit (loaded before the worker), or a
      // reload that bypassed it. The next load goes through the worker.
      if (!isolated()) reloadToIsolate();
    })
    .catch((err: unknown) => {
      if (!isolated())
        set({
          isolationUnavailable: `the service worker did not start (${(err as Error).message})`,
        });
    });
}
