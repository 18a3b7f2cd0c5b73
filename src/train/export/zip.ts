/**
 * The lab's "Export for PyTorch": the export's files (pytorch-export.ts) in one zip, in a
 * folder named after the model and step. Loaded on demand by the worker (its own chunk).
 */
import { zipSync } from 'fflate';
import { buildPytorchExport, type PytorchExportInput } from './pytorch-export';

export async function pytorchZip(
  input: PytorchExportInput,
): Promise<{ fileName: string; zip: Uint8Array }> {
  const files = await buildPytorchExport(input);
  const folder = `latent-lab-${input.config.model}-step${input.step}-pytorch`;
  const zip = zipSync(Object.fromEntries(files.map((f) => [`${folder}/${f.path}`, f.data])));
  return { fileName: `${folder}.zip`, zip };
}
