/**
 * The bench page (bench.html): `window.latentBench.run(request, way)` starts a fresh worker of
 * that way (ours | naive), forwards its heap readings to the driver's `window.benchHeap` (set by
 * scripts/bench/browser.mjs with Playwright's exposeFunction; absent → null), and resolves with
 * the worker's BenchRun. The driver calls it once per (backend, model, way).
 */
import type { BenchFromWorker, BenchRequest, BenchRun, BenchToWorker, BenchWay } from './protocol';
import { benchModelText } from './models';

declare global {
  interface Window {
    latentBench: {
      run(request: BenchRequest, way: BenchWay, limitSeconds?: number): Promise<BenchRun>;
    };
    /** JS heap in use (bytes) of this page's newest `way` worker after a forced GC. */
    benchHeap?: (way: BenchWay) => Promise<number | null>;
  }
}

function createWorker(way: BenchWay): Worker {
  // Two literal URLs, so that Vite bundles each worker.
  return way === 'ours'
    ? new Worker(new URL('./ours.worker.ts', import.meta.url), { type: 'module', name: 'ours' })
    : new Worker(new URL('./naive.worker.ts', import.meta.url), { type: 'module', name: 'naive' });
}

const status = document.getElementById('status')!;

/** One measurement in a fresh worker; rejects (and stops the worker) after `limitSeconds`. */
function run(request: BenchRequest, way: BenchWay, limitSeconds = Infinity): Promise<BenchRun> {
  status.textContent = `running ${benchModelText(request.model)} on ${request.backend}, ${way}…`;
  const worker = createWorker(way);
  const send = (msg: BenchToWorker) => worker.postMessage(msg);
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Promise<BenchRun>((resolve, reject) => {
    worker.onmessage = async (event: MessageEvent<BenchFromWorker>) => {
      const msg = event.data;
      if (msg.type === 'heap-request') {
        const bytes = window.benchHeap ? await window.benchHeap(way) : null;
        send({ type: 'heap', id: msg.id, bytes });
      } else if (msg.type === 'result') resolve(msg.run);
      else reject(new Error(msg.message));
    };
    worker.onerror = (event) => reject(new Error(event.message || 'the bench worker crashed'));
    if (Number.isFinite(limitSeconds))
      timer = setTimeout(
        () => reject(new Error(`stopped after the limit of ${limitSeconds} s`)),
        limitSeconds * 1000,
      );
    send(request);
  }).finally(() => {
    clearTimeout(timer);
    worker.terminate();
    status.textContent = 'idle';
  });
}

window.latentBench = { run };
status.textContent = 'idle';
