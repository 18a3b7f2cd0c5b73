/**
 * What the Dataset controls do: load bundled MNIST, download Fashion-MNIST or KMNIST (cached in
 * IndexedDB), or read the user's files, then hand the result to the training worker. Only
 * downloads the user starts leave the page; `?datasetBase=URL` (read once, when the page opens)
 * points them at a mirror.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { indexedDbCache } from '../data/byte-cache';
import { downloadDataset } from '../data/download-dataset';
import { DOWNLOAD_SOURCES, parseDatasetBase, type DownloadId } from '../data/download-sources';
import { loadImageDataset, type ImageDataset } from '../data/image-dataset';
import { readUploadFiles, type UploadFile } from '../data/upload-files';
import { formatMegabytes } from '../data/upload-limits';
import { decodeImageToDigit } from './decode-image';
import type { Notice } from '../state/training-store';

export type DatasetChoice = 'mnist' | DownloadId | 'upload';

export interface DatasetProgress {
  label: string;
  /** Done so far of `total` (bytes for downloads, a fraction ×1000 for uploads). */
  loaded: number;
  total: number;
}

export interface DatasetLoader {
  /** Set while something loads; the controls are disabled meanwhile. */
  busy: DatasetProgress | null;
  choose: (choice: Exclude<DatasetChoice, 'upload'>) => void;
  upload: (files: readonly File[]) => void;
}

export interface DatasetSink {
  /** Resolves true once the worker trains on `dataset`; false after a notice saying why not. */
  replaceDataset: (dataset: ImageDataset) => Promise<boolean>;
  addNotice: (kind: Notice['kind'], text: string) => void;
}

function bundledUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}datasets/`, window.location.href).href;
}

function readBase(): { base: string | null; error: string | null } {
  try {
    return { base: parseDatasetBase(window.location.search, window.location.hash), error: null };
  } catch (err) {
    return { base: null, error: (err as Error).message };
  }
}

export function useDatasetLoader(sink: DatasetSink): DatasetLoader {
  const [{ base, error: baseError }] = useState(readBase);
  const [busy, setBusy] = useState<DatasetProgress | null>(null);
  const busyRef = useRef(false);
  const sinkRef = useRef(sink);
  useEffect(() => {
    sinkRef.current = sink;
  }, [sink]);
  useEffect(() => {
    if (baseError) sinkRef.current.addNotice('warning', baseError);
  }, [baseError]);

  /** Runs one load at a time; any throw becomes an error notice (the current data stays). */
  const run = useCallback(async (label: string, work: () => Promise<ImageDataset | null>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy({ label, loaded: 0, total: 0 });
    try {
      const dataset = await work();
      if (dataset) {
        setBusy({ label: `Preparing ${dataset.name} for training…`, loaded: 0, total: 0 });
        await sinkRef.current.replaceDataset(dataset);
      }
    } catch (err) {
      sinkRef.current.addNotice(
        'error',
        `${(err as Error).message} The current training data is unchanged.`,
      );
    } finally {
      busyRef.current = false;
      setBusy(null);
    }
  }, []);

  const choose = useCallback(
    (choice: Exclude<DatasetChoice, 'upload'>) => {
      if (choice === 'mnist') {
        void run('Loading MNIST…', () => loadImageDataset(bundledUrl(), 'mnist'));
        return;
      }
      const source = DOWNLOAD_SOURCES[choice];
      void run(`Looking for ${source.name}…`, async () => {
        let shown = 0;
        const { dataset, fromCache } = await downloadDataset(choice, {
          base,
          cache: indexedDbCache(),
          isOnline: () => navigator.onLine,
          pageProtocol: window.location.protocol,
          onProgress: (loaded, total) => {
            if (loaded !== total && loaded - shown < total / 200) return; // ≤ 200 updates
            shown = loaded;
            setBusy({
              label: `Downloading ${source.name}: ${formatMegabytes(loaded)} of ${formatMegabytes(total)}`,
              loaded,
              total,
            });
          },
        });
        sinkRef.current.addNotice(
          'info',
          fromCache
            ? `${source.name} loaded from this browser's cache (no download).`
            : `Downloaded ${source.name} (${source.license}); it is kept in this browser for next time.`,
        );
        return dataset;
      });
    },
    [base, run],
  );

  const upload = useCallback(
    (chosen: readonly File[]) => {
      const files: UploadFile[] = chosen.map((f) => ({
        path: f.webkitRelativePath || f.name,
        size: f.size,
        read: async () => new Uint8Array(await f.arrayBuffer()),
      }));
      void run('Reading your files…', async () => {
        const result = await readUploadFiles(files, decodeImageToDigit, (fraction, label) =>
          setBusy({ label, loaded: Math.round(fraction * 1000), total: 1000 }),
        );
        for (const e of result.errors) sinkRef.current.addNotice('error', e);
        for (const n of result.notes) sinkRef.current.addNotice('info', n);
        if (!result.dataset && result.errors.length > 0) {
          sinkRef.current.addNotice(
            'warning',
            'Nothing was loaded; the current training data is unchanged.',
          );
        }
        return result.dataset;
      });
    },
    [run],
  );

  return useMemo(() => ({ busy, choose, upload }), [busy, choose, upload]);
}
