/**
 * The worker's PyTorch export job (TrainingSession.exportPytorch): the model for PyTorch as a zip
 * (src/train/export, loaded on first use; the Python templates fetched from `templatesUrl`),
 * answered by `pytorch`. The weights and the terms it reports are taken together between two
 * steps.
 */
import type { TrainConfig } from '../contracts/config';
import type { ImageDataset } from '../data/image-dataset';
import type { Trainer } from '../train/trainer';
import type { Post } from './session';

/** The run to export: null while there is no model yet. */
export interface ExportedRun {
  trainer: Trainer;
  config: TrainConfig;
  dataset: ImageDataset;
}

/** Builds the zip of `run` and posts it (or why not) as the answer to request `id`. */
export async function exportPytorch(
  run: ExportedRun | null,
  id: number,
  templatesUrl: string,
  post: Post,
): Promise<void> {
  try {
    if (!run) throw new Error('there is no model yet');
    const { trainer, config, dataset } = run;
    const { pytorchZip } = await import('../train/export/zip');
    const { fileName, zip } = await pytorchZip({
      model: trainer.model,
      config,
      step: trainer.step,
      epoch: trainer.epoch,
      dataset,
      probeX: trainer.probeX,
      probeLabels: trainer.probeLabels,
      templates: async (file) => {
        const res = await fetch(new URL(file, templatesUrl));
        if (!res.ok) throw new Error(`the template ${file} did not load (${res.status})`);
        return res.text();
      },
    });
    const whole = zip.byteOffset === 0 && zip.byteLength === zip.buffer.byteLength;
    const buffer = (whole ? zip.buffer : zip.slice().buffer) as ArrayBuffer;
    post({ type: 'pytorch', id, fileName, zip: buffer }, [buffer]);
  } catch (err) {
    post({ type: 'pytorch', id, error: (err as Error).message });
  }
}
