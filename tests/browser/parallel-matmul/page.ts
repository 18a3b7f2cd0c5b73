// Test page of tests/browser/parallel-matmul.test.mjs: runs ./train.worker and shows its report.
const out = document.getElementById('out') as HTMLElement;
const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (e: MessageEvent<unknown>) => {
  out.textContent = JSON.stringify(e.data);
  out.dataset.done = 'true';
};
worker.onerror = (e) => {
  out.textContent = JSON.stringify({ error: e.message });
  out.dataset.done = 'true';
};
worker.postMessage(Object.fromEntries(new URL(location.href).searchParams));
