// Memory readings of a running lab page, for the soak test and scripts/soak.mjs:
// - the worker's tf.memory() from the page's memory line (data-tensors, data-bytes, …; the
//   worker sends it with every metrics read-back);
// - the JS heap of the page and of the training worker, after a forced garbage collection, over
//   the Chrome DevTools Protocol (the worker has no performance.memory). The worker is reached
//   through Target.setAutoAttach on the page's CDP session (non-flat sessions, so that messages
//   to it go through Target.sendMessageToTarget);
// - the floor of both over a window of readings (windowFloor), which is what the soak compares:
//   a single reading depends on what happens to be in flight at that instant.
import { stepOf } from './harness.mjs';

/** Attaches to the page and its dedicated workers; call before page.goto. */
export async function memoryProbe(context, page) {
  const cdp = await context.newCDPSession(page);
  const workers = new Map(); // sessionId → url
  const pending = new Map();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') workers.set(e.sessionId, e.targetInfo.url);
  });
  cdp.on('Target.detachedFromTarget', (e) => workers.delete(e.sessionId));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message);
    const done = pending.get(msg.id);
    if (!done) return;
    pending.delete(msg.id);
    if (msg.error) done.reject(new Error(`${msg.error.message} (${msg.error.code})`));
    else done.resolve(msg.result);
  });
  await cdp.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: false,
    flatten: false,
  });

  /** Sends `method` to the worker session `sessionId` (null after 10 s without an answer). */
  const toWorker = (sessionId, method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(null);
      }, 10_000);
      pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      cdp
        .send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method, params }),
        })
        .catch(reject);
    });

  /**
   * JS heap in use (bytes) of the page and of the newest worker (or the newest whose URL matches
   * `workerUrl`, a RegExp: the page may run helper workers too), optionally after a GC.
   */
  async function heaps({ gc = true, workerUrl = null } = {}) {
    if (gc) await cdp.send('HeapProfiler.collectGarbage');
    const page = await cdp.send('Runtime.getHeapUsage');
    let worker = null;
    const sessionId = [...workers]
      .filter(([, url]) => !workerUrl || workerUrl.test(url))
      .map(([id]) => id)
      .pop();
    if (sessionId) {
      if (gc) await toWorker(sessionId, 'HeapProfiler.collectGarbage');
      worker = await toWorker(sessionId, 'Runtime.getHeapUsage');
    }
    return {
      pageHeap: page.usedSize,
      /** ArrayBuffers outside the V8 heap (pixels, chart data sent by the worker). */
      pageBackingStore: page.backingStorageSize ?? null,
      workerHeap: worker?.usedSize ?? null,
      /** ArrayBuffers outside the V8 heap (the dataset's bytes live here). */
      workerBackingStore: worker?.backingStorageSize ?? null,
    };
  }

  return { heaps, close: () => cdp.detach().catch(() => {}) };
}

/** The worker's tf.memory() as the page's memory line shows it (null before the first read-back). */
export async function deviceMemory(page) {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="memory"]');
    if (!el) return null;
    const n = (k) => (el.hasAttribute(k) ? Number(el.getAttribute(k)) : null);
    return {
      numTensors: n('data-tensors'),
      numBytes: n('data-bytes'),
      gpuBytesUsed: n('data-gpu-bytes'),
      gpuBytesAllocated: n('data-gpu-allocated'),
      wasmHeapBytes: n('data-wasm-heap'),
    };
  });
}

/**
 * The worker's steady tensor count over `ms`: the minimum of readings every 250 ms. Transient
 * tensors exist only while a read-back or an inspection (a panel asking for decoded images) is in
 * flight, so the minimum is what the run holds between them.
 */
export async function steadyTensors(page, ms) {
  let min = { numTensors: Infinity, numBytes: Infinity };
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const m = await deviceMemory(page);
    if (m && m.numTensors !== null && m.numTensors < min.numTensors) min = m;
    await new Promise((r) => setTimeout(r, 250));
  }
  return min;
}

/**
 * The floor of every reading over `ms`: the worker's tf.memory() every 250 ms and the JS heaps
 * (each after a forced GC, see memoryProbe) about every `heapEveryMs`, keeping each value's
 * minimum. A single reading may catch something in flight: an autosave snapshot (weights and
 * Adam state, ≈ 9.5 MB for the default VAE) between the worker's message and the end of its
 * IndexedDB write, an inspection's pixels, a metrics read-back. What the page holds for good is
 * in every reading, so the minimum is it. `heapEveryMs` is kept off the autosave period (5 s) so
 * that the readings do not fall at the same point of each save. Returns the minima, the heap
 * readings (with their time in ms from the start) and the step at the end.
 */
export async function windowFloor(page, probe, ms, { heapEveryMs = 1_700, workerUrl } = {}) {
  const floor = {};
  const lower = (reading) => {
    for (const [k, v] of Object.entries(reading))
      if (typeof v === 'number' && !(floor[k] <= v)) floor[k] = v;
  };
  const heaps = [];
  const start = Date.now();
  let nextHeap = start;
  while (Date.now() - start < ms) {
    const device = await deviceMemory(page);
    if (device && device.numTensors !== null) lower(device);
    if (Date.now() >= nextHeap) {
      const h = await probe.heaps({ workerUrl });
      heaps.push({ ms: Date.now() - start, ...h });
      lower(h);
      nextHeap += heapEveryMs;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { floor, heaps, step: await stepOf(page) };
}
