/**
 * Which data the model trains on: bundled MNIST, a download (Fashion-MNIST, KMNIST) or the
 * user's own files (IDX/IDX.gz, CSV, a zip or a folder of PNG/JPGs). Loading shows a progress
 * bar; problems become notices naming the file, and the current run goes on untouched.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { DOWNLOAD_SOURCES } from '../../data/download-sources';
import type { DatasetId } from '../../state/settings';
import type { DatasetInfo } from '../../worker/protocol';
import { useDatasetLoader, type DatasetChoice, type DatasetSink } from '../use-dataset-loader';
import './dataset-panel.css';

const CHOICES: { value: DatasetChoice; label: string }[] = [
  { value: 'mnist', label: 'MNIST (bundled)' },
  { value: 'fashion-mnist', label: 'Fashion-MNIST (download, 30 MB)' },
  { value: 'kmnist', label: 'Kuzushiji-MNIST (download, 21 MB)' },
  { value: 'upload', label: 'Your own data (upload)…' },
];

const ACCEPT = '.gz,.idx,.idx1-ubyte,.idx3-ubyte,.csv,.zip,.png,.jpg,.jpeg';

function choiceOf(dataset: DatasetInfo | null): DatasetChoice {
  const id = dataset?.id;
  return id === 'upload' || (id !== undefined && id in DOWNLOAD_SOURCES)
    ? (id as DatasetChoice)
    : 'mnist';
}

export function DatasetPanel({
  dataset,
  ready,
  sink,
  want,
  onWant,
}: {
  dataset: DatasetInfo | null;
  ready: boolean;
  sink: DatasetSink;
  /** The `dataset` setting (the URL's): loaded once the worker is ready, if not on screen. */
  want: DatasetId;
  /** A dataset the user chose here (uploads are not settings: they cannot be in a link). */
  onWant: (choice: DatasetId) => void;
}) {
  const id = useId();
  const loader = useDatasetLoader(sink);
  /** The `want` already acted on since the worker became ready (a restart loads MNIST again). */
  const asked = useRef<DatasetId | null>(null);
  useEffect(() => {
    if (!ready) {
      asked.current = null;
      return;
    }
    if (asked.current === want) return;
    asked.current = want;
    if (want !== choiceOf(dataset)) loader.choose(want);
  }, [ready, want, dataset, loader]);
  const [pending, setPending] = useState<DatasetChoice | null>(null);
  const filesRef = useRef<HTMLInputElement>(null);
  const disabled = !ready || loader.busy !== null;
  const busy = loader.busy;

  const onFiles = (input: HTMLInputElement) => {
    const files = Array.from(input.files ?? []);
    input.value = ''; // the same files can be chosen again
    if (files.length > 0) loader.upload(files);
  };

  return (
    <section className="dataset-panel" aria-label="Training data">
      <label className="field" htmlFor={`${id}-select`}>
        Dataset
        <select
          id={`${id}-select`}
          data-testid="dataset-select"
          disabled={disabled}
          value={busy && pending ? pending : choiceOf(dataset)}
          onChange={(e) => {
            const choice = e.currentTarget.value as DatasetChoice;
            if (choice === 'upload') {
              filesRef.current?.click();
              return;
            }
            setPending(choice);
            asked.current = choice;
            onWant(choice);
            loader.choose(choice);
          }}
        >
          {CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field" htmlFor={`${id}-files`}>
        Your own data: files
        <input
          id={`${id}-files`}
          ref={filesRef}
          type="file"
          multiple
          accept={ACCEPT}
          data-testid="upload-data"
          disabled={disabled}
          onChange={(e) => {
            setPending('upload');
            onFiles(e.currentTarget);
          }}
        />
      </label>
      <label className="field" htmlFor={`${id}-folder`}>
        … or a folder
        <input
          id={`${id}-folder`}
          type="file"
          data-testid="upload-folder"
          disabled={disabled}
          ref={(el) => {
            el?.setAttribute('webkitdirectory', ''); // not in React's typings
          }}
          onChange={(e) => {
            setPending('upload');
            onFiles(e.currentTarget);
          }}
        />
      </label>
      {busy ? (
        <div className="dataset-progress" aria-live="polite">
          <progress
            data-testid="dataset-progress"
            value={busy.total > 0 ? busy.loaded : undefined}
            max={busy.total > 0 ? busy.total : undefined}
          />{' '}
          <span data-testid="dataset-status">{busy.label}</span>
        </div>
      ) : null}
      <details className="hint dataset-help">
        <summary>Which files?</summary>
        <ul>
          <li>
            IDX or IDX.gz (MNIST&apos;s format, 28×28): images, with labels named alike
            (train-images-… + train-labels-…). t10k-/test files become the test set.
          </li>
          <li>
            CSV: one image per line, label,p0,…,p783; values 0–255 or 0–1; a header is optional.
          </li>
          <li>
            PNG/JPG, a folder of them or a .zip: each is greyed, inverted if dark-on-light and
            centred like MNIST. A folder named 0–9 gives the label.
          </li>
          <li>
            At most 100 MB per file, 200 MB and 70,000 images in all. Without t10k/test files, 1/6
            (at most 10,000) is held out for testing. Your files never leave this browser.
          </li>
        </ul>
      </details>
    </section>
  );
}
