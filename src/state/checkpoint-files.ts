/**
 * Reads the files a user picked for "Import run": a CLI checkpoint is two files,
 * checkpoint.json (config, step, weight manifest) and weights.bin (the weights in TF.js's
 * binary format). The file-level problems are found here (which file is missing, JSON that
 * does not parse), and config values the settings table refuses (a corrupt or hand-edited file
 * must not make the worker build a model with 32 million channels); the worker checks the rest
 * against the zoo.
 */
import { configProblems } from './settings';

/** Largest weights file we read (a 64-code VQ-VAE is ~0.5 MB; the biggest zoo model ~10 MB). */
export const MAX_WEIGHTS_BYTES = 256 * 1024 * 1024;
const MAX_JSON_BYTES = 4 * 1024 * 1024;

export interface CheckpointFiles {
  /** How messages name the checkpoint, e.g. "checkpoint.json + weights.bin". */
  name: string;
  meta: unknown;
  weights: ArrayBuffer;
}

export async function readCheckpointFiles(files: readonly File[]): Promise<CheckpointFiles> {
  const json = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const bin = files.filter((f) => f.name.toLowerCase().endsWith('.bin'));
  const other = files.filter((f) => !json.includes(f) && !bin.includes(f));
  if (other.length > 0)
    throw new Error(
      `${other.map((f) => f.name).join(', ')}: not part of a checkpoint (expected checkpoint.json and weights.bin).`,
    );
  if (json.length !== 1 || bin.length !== 1)
    throw new Error(
      'A checkpoint is two files: select checkpoint.json and weights.bin together (as written by npm run train -- --save DIR).',
    );
  const [j, b] = [json[0]!, bin[0]!];
  const name = `${j.name} + ${b.name}`;
  if (j.size > MAX_JSON_BYTES)
    throw new Error(`${j.name} is ${j.size} bytes, too big for a checkpoint manifest.`);
  if (b.size > MAX_WEIGHTS_BYTES)
    throw new Error(`${b.name} is ${b.size} bytes, more than any model of the zoo needs.`);
  let meta: unknown;
  try {
    meta = JSON.parse(await j.text());
  } catch (err) {
    throw new Error(`${j.name} is not valid JSON (${(err as Error).message}).`);
  }
  const config = (meta as { config?: unknown } | null)?.config;
  if (config !== null && typeof config === 'object' && !Array.isArray(config)) {
    const problems = configProblems(config as Record<string, unknown>);
    if (problems.length > 0) {
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
      throw new Error(`${j.name}: ${problems[0]}${more}; this app cannot run it.`);
    }
  }
  return { name, meta, weights: await b.arrayBuffer() };
}
