/**
 * Saved runs in the browser's IndexedDB (database "latent-lab"): a small summary per run for the
 * list ("runs"), and its snapshot and history ("run-data"), written together in one transaction
 * so the two never disagree. Every failure is thrown with a readable message; callers show it.
 */
import type { ModelKind } from '../contracts/catalog';
import type { RunHistory, RunSnapshot } from '../contracts/run-file';

export interface SavedRunSummary {
  id: string;
  name: string;
  model: ModelKind;
  step: number;
  /** When it was last saved (ms since 1970). */
  savedAt: number;
  /** Approximate bytes stored (weights, optimizer state, shuffle order, history). */
  bytes: number;
}

export interface SavedRun {
  summary: SavedRunSummary;
  snapshot: RunSnapshot;
  history: RunHistory;
}

const DB_NAME = 'latent-lab';
const DB_VERSION = 1;
const SUMMARIES = 'runs';
const DATA = 'run-data';
/** The most recent runs kept; saving another deletes the oldest. */
export const MAX_SAVED_RUNS = 8;

/** A storage failure in words, naming a full quota as such. */
export function describeStorageError(err: unknown): string {
  const e = err as { name?: string; message?: string } | null;
  if (e?.name === 'QuotaExceededError')
    return "the browser's storage for this page is full (QuotaExceededError): delete saved runs or export this one";
  if (typeof indexedDB === 'undefined') return 'this browser offers no IndexedDB storage';
  return `${e?.name ?? 'Error'}: ${e?.message || 'unknown storage error'}`;
}

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction was aborted'));
  });
}

let opening: Promise<IDBDatabase> | null = null;
function database(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined')
    return Promise.reject(new Error('this browser offers no IndexedDB storage'));
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(SUMMARIES))
        db.createObjectStore(SUMMARIES, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(DATA)) db.createObjectStore(DATA);
    };
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    req.onerror = () => reject(req.error ?? new Error('could not open IndexedDB'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of this page'));
  }).catch((err: unknown) => {
    opening = null;
    throw err;
  });
  return opening;
}

const newestFirst = (a: SavedRunSummary, b: SavedRunSummary) => b.savedAt - a.savedAt;

/**
 * A snapshot as stored: its two big buffers (weights, optimizer state: ~10 MB for the default
 * VAE) as Blobs. IndexedDB serialises an ArrayBuffer's bytes on the page's thread when it is put
 * (about 25 ms for 10 MB, every autosave while training); a Blob is copied once and stored by
 * reference. Runs saved with plain buffers still load.
 */
export type StoredSnapshot = Omit<RunSnapshot, 'weights' | 'state'> & {
  weights: Blob | ArrayBuffer;
  state: Blob | ArrayBuffer;
};

/**
 * Blobs of autosaved buffers that the training worker made (rememberStoredBytes): on this page
 * thread, copying the ~10 MB into Blobs took 60–300 ms at every autosave while training.
 */
const storedBytes = new WeakMap<ArrayBuffer, Blob>();

/** The worker's Blob copies of `snapshot`'s buffers, used when it is saved. */
export function rememberStoredBytes(
  snapshot: RunSnapshot,
  stored: { weights: Blob; state: Blob },
): void {
  // Only a Blob of the same size: a Blob never stands in for other bytes.
  if (stored.weights.size === snapshot.weights.byteLength)
    storedBytes.set(snapshot.weights, stored.weights);
  if (stored.state.size === snapshot.state.byteLength)
    storedBytes.set(snapshot.state, stored.state);
}

const blobOf = (b: ArrayBuffer) => storedBytes.get(b) ?? new Blob([b]);

function toStored(s: RunSnapshot): StoredSnapshot {
  return { ...s, weights: blobOf(s.weights), state: blobOf(s.state) };
}

async function fromStored(s: StoredSnapshot): Promise<RunSnapshot> {
  const buffer = (b: Blob | ArrayBuffer) => (b instanceof Blob ? b.arrayBuffer() : b);
  const [weights, state] = await Promise.all([buffer(s.weights), buffer(s.state)]);
  return { ...s, weights, state };
}

/** Saved runs, newest first. */
export async function listRuns(): Promise<SavedRunSummary[]> {
  const db = await database();
  const tx = db.transaction(SUMMARIES, 'readonly');
  const all = await promised(tx.objectStore(SUMMARIES).getAll() as IDBRequest<SavedRunSummary[]>);
  return all.sort(newestFirst);
}

/** A run as the storage worker gets it: its big buffers already Blobs (cheap to post). */
export interface StoredRun {
  summary: SavedRunSummary;
  snapshot: StoredSnapshot;
  history: RunHistory;
}

/**
 * Writes (or overwrites) a run; beyond MAX_SAVED_RUNS the oldest others are deleted. Where the
 * page can start workers, the IndexedDB write runs in the storage worker (run-db.worker.ts): its
 * put was a main-thread task of 30–80 ms at every autosave while training. The page only posts
 * the run with its buffers as Blobs (copied by the training worker, see rememberStoredBytes).
 */
export function saveRun(run: SavedRun): Promise<void> {
  const stored: StoredRun = { ...run, snapshot: toStored(run.snapshot) };
  const worker = storageWorker();
  if (!worker) return writeRun(stored);
  return new Promise((resolve, reject) => {
    const id = nextRequest++;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, run: stored } satisfies StorageRequest);
  });
}

/** A save asked of the storage worker, and its answer (a failure by name and message). */
export interface StorageRequest {
  id: number;
  run: StoredRun;
}
export interface StorageAnswer {
  id: number;
  error?: { name: string; message: string };
}

let storage: Worker | null | undefined;
let nextRequest = 0;
const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

/** The storage worker, started on first use; null where there are no workers (or it failed). */
function storageWorker(): Worker | null {
  if (storage !== undefined) return storage;
  if (typeof Worker === 'undefined' || typeof window === 'undefined') return (storage = null);
  try {
    storage = new Worker(new URL('./run-db.worker.ts', import.meta.url), {
      type: 'module',
      name: 'run storage',
    });
  } catch {
    return (storage = null);
  }
  storage.onmessage = (e: MessageEvent<StorageAnswer>) => {
    const { id, error } = e.data;
    const w = waiting.get(id);
    waiting.delete(id);
    if (error) w?.reject(Object.assign(new Error(error.message), { name: error.name }));
    else w?.resolve();
  };
  storage.onerror = (e) => {
    // It failed to start or crashed: fail what waits; the page writes by itself from now on.
    e.preventDefault();
    storage?.terminate();
    storage = null;
    for (const w of waiting.values()) w.reject(new Error(e.message || 'the storage worker failed'));
    waiting.clear();
  };
  return storage;
}

/** saveRun's IndexedDB write, where it runs (the storage worker, or the page without one). */
export async function writeRun(run: StoredRun): Promise<void> {
  const db = await database();
  const tx = db.transaction([SUMMARIES, DATA], 'readwrite');
  const done = finished(tx);
  done.catch(() => undefined); // awaited below; this only keeps an early abort from going unhandled
  const summaries = tx.objectStore(SUMMARIES);
  const data = tx.objectStore(DATA);
  summaries.put(run.summary);
  data.put({ snapshot: run.snapshot, history: run.history }, run.summary.id);
  const all = (await promised(summaries.getAll() as IDBRequest<SavedRunSummary[]>)).sort(
    newestFirst,
  );
  for (const old of all.filter((r) => r.id !== run.summary.id).slice(MAX_SAVED_RUNS - 1)) {
    summaries.delete(old.id);
    data.delete(old.id);
  }
  await done;
}

export async function loadRun(id: string): Promise<SavedRun> {
  const db = await database();
  const tx = db.transaction([SUMMARIES, DATA], 'readonly');
  const [summary, data] = await Promise.all([
    promised(tx.objectStore(SUMMARIES).get(id) as IDBRequest<SavedRunSummary | undefined>),
    promised(
      tx.objectStore(DATA).get(id) as IDBRequest<
        { snapshot: StoredSnapshot; history: RunHistory } | undefined
      >,
    ),
  ]);
  if (!summary || !data) throw new Error('this saved run is no longer in the browser’s storage');
  return { summary, snapshot: await fromStored(data.snapshot), history: data.history };
}

export async function deleteRun(id: string): Promise<void> {
  const db = await database();
  const tx = db.transaction([SUMMARIES, DATA], 'readwrite');
  const done = finished(tx);
  done.catch(() => undefined); // awaited below; this only keeps an early abort from going unhandled
  tx.objectStore(SUMMARIES).delete(id);
  tx.objectStore(DATA).delete(id);
  await done;
}
