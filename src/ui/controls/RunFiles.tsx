/**
 * Run files: export the run on screen as one `.latentlab` file (weights, optimizer state,
 * position and curves) or as a zip for PyTorch (src/train/export), and import one, or a checkpoint written by the CLI
 * (`npm run train -- --save DIR` writes checkpoint.json + weights.bin). A refused file leaves
 * the current run as it was and says why.
 */
import { useId, useState } from 'react';

export function RunFiles({
  onImport,
  onExport,
  onExportPytorch,
  ready,
}: {
  onImport: (files: File[]) => Promise<boolean>;
  onExport: () => Promise<void>;
  onExportPytorch: () => Promise<void>;
  ready: boolean;
}) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportingPytorch, setExportingPytorch] = useState(false);
  return (
    <div className="run-files">
      <button
        type="button"
        data-testid="export-run"
        disabled={!ready || exporting}
        onClick={() => {
          setExporting(true);
          void onExport().finally(() => setExporting(false));
        }}
      >
        Export run
      </button>{' '}
      <button
        type="button"
        data-testid="export-pytorch"
        title="A zip with the weights (safetensors), model.py, train.py and the probe digits"
        disabled={!ready || exportingPytorch}
        onClick={() => {
          setExportingPytorch(true);
          void onExportPytorch().finally(() => setExportingPytorch(false));
        }}
      >
        Export for PyTorch
      </button>{' '}
      <label htmlFor={id}>
        Import a run (a .latentlab file, or checkpoint.json + weights.bin):
      </label>{' '}
      <input
        id={id}
        type="file"
        multiple
        accept=".latentlab,.json,.bin,application/json,application/octet-stream"
        data-testid="import-run"
        disabled={busy}
        onChange={(e) => {
          const input = e.currentTarget;
          const files = Array.from(input.files ?? []);
          if (files.length === 0) return;
          setBusy(true);
          void onImport(files).finally(() => {
            setBusy(false);
            input.value = ''; // the same files can be chosen again
          });
        }}
      />
    </div>
  );
}
