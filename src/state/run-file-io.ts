/**
 * Run files on the page side: download the run on screen as one `.latentlab` file, and read
 * one a user picked (the container and history are checked here, the weights by the worker).
 */
import {
  decodeRunFile,
  encodeRunFile,
  RUN_FILE_EXTENSION,
  type RunFileContents,
  type RunHistory,
  type RunSnapshot,
} from '../contracts/run-file';
import { MODEL_KINDS } from '../contracts/catalog';
import { configProblems } from './settings';

/** Largest run file we read (the biggest zoo model with Adam's moments is well under this). */
const MAX_RUN_FILE_BYTES = 512 * 1024 * 1024;

/** True when the picked files are one run file (else they may be a CLI checkpoint). */
export const isRunFile = (files: readonly File[]) =>
  files.length === 1 && files[0]!.name.toLowerCase().endsWith(RUN_FILE_EXTENSION);

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Offers the run as a download; returns the file's name and size in bytes. */
export function downloadRunFile(
  snapshot: RunSnapshot,
  history: RunHistory,
  name: string,
): { fileName: string; bytes: number } {
  const bytes = encodeRunFile(snapshot, history, name, Date.now());
  const fileName = `${slug(name)}-step${snapshot.meta.step}${RUN_FILE_EXTENSION}`;
  downloadBytes(bytes, fileName, 'application/octet-stream');
  return { fileName, bytes: bytes.length };
}

/** Offers `bytes` as a download named `fileName`. */
export function downloadBytes(bytes: BlobPart, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Reads a picked run file; throws saying what is wrong with it. */
export async function readRunFile(file: File): Promise<RunFileContents> {
  if (file.size > MAX_RUN_FILE_BYTES)
    throw new Error(`it is ${file.size} bytes, more than any run of the zoo needs`);
  const contents = decodeRunFile(await file.arrayBuffer());
  // The settings are checked by the same table as a link (types and ranges), so a file cannot
  // build a model a control could not ask for.
  const meta = contents.meta as { config?: unknown } | null;
  if (meta && typeof meta === 'object' && meta.config && typeof meta.config === 'object') {
    const config = meta.config as Record<string, unknown>;
    if (!(MODEL_KINDS as readonly unknown[]).includes(config.model))
      throw new Error(`unknown model ${JSON.stringify(config.model)}`);
    const problems = configProblems(config);
    if (problems.length) throw new Error(`its settings are out of range: ${problems.join('; ')}`);
  }
  return contents;
}
