/**
 * ByteCache in IndexedDB (database "latent-lab-downloads", store "files", key = the file's URL),
 * so a downloaded dataset survives reloads and is not downloaded twice. Every storage error
 * (private mode, quota) turns into a miss or a skipped write: the cache only saves time.
 */
import type { ByteCache } from './download-dataset';

const DB_NAME = 'latent-lab-downloads';
const STORE = 'files';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE);
  return request(req);
}

async function withStore<T>(
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    const [result] = await Promise.all([request(run(tx.objectStore(STORE))), done]);
    return result;
  } finally {
    db.close();
  }
}

/** The IndexedDB cache, or null where IndexedDB does not exist. */
export function indexedDbCache(): ByteCache | null {
  if (typeof indexedDB === 'undefined') return null;
  return {
    async get(key) {
      try {
        const v: unknown = await withStore('readonly', (s) => s.get(key));
        return v instanceof ArrayBuffer ? new Uint8Array(v) : null;
      } catch {
        return null;
      }
    },
    async put(key, bytes) {
      try {
        const copy = bytes.slice().buffer; // exactly these bytes, not the view's whole buffer
        await withStore('readwrite', (s) => s.put(copy, key));
      } catch {
        // no room or no permission: the next load downloads again
      }
    },
    async delete(key) {
      try {
        await withStore('readwrite', (s) => s.delete(key));
      } catch {
        // nothing to do
      }
    },
  };
}
