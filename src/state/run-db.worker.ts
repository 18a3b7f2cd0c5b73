/// <reference lib="webworker" />
/**
 * The storage worker: writes autosaved runs into IndexedDB off the page's thread (run-db.ts,
 * saveRun). Answers each request by its id, a failure by name and message (so a full quota
 * stays a QuotaExceededError for the page's notice).
 */
import { writeRun, type StorageAnswer, type StorageRequest } from './run-db';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<StorageRequest>) => {
  const { id, run } = e.data;
  writeRun(run).then(
    () => self.postMessage({ id } satisfies StorageAnswer),
    (err: unknown) => {
      const { name, message } = (err ?? {}) as { name?: string; message?: string };
      const error = { name: name ?? 'Error', message: message ?? String(err) };
      self.postMessage({ id, error } satisfies StorageAnswer);
    },
  );
};
