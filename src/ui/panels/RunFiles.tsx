/**
 * Loading a saved run: a checkpoint written by the CLI (`npm run train -- --save DIR` writes
 * checkpoint.json + weights.bin). A refused file leaves the current run as it was and says why.
 */
import { useId, useState } from 'react';

export function RunFiles({ onImport }: { onImport: (files: File[]) => Promise<boolean> }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  return (
    <div className="run-files">
      <label htmlFor={id}>Import a run (checkpoint.json + weights.bin):</label>{' '}
      <input
        id={id}
        type="file"
        multiple
        accept=".json,.bin,application/json,application/octet-stream"
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
