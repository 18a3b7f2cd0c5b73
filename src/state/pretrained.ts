/**
 * The trained models that ship with the lab (public/pretrained/, made by `npm run make:pretrained`):
 * their manifest, read and checked, and a model loaded from it in place of the run, through the
 * same path as a checkpoint the user picks (run-loads.ts loadCheckpoint). Nothing is fetched until
 * a model is asked for; the manifest is fetched once per page.
 */
import { MODEL_KINDS, type ModelKind } from '../contracts/catalog';
import type { TrainConfig } from '../contracts/config';
import { configProblems } from './settings';
import { loadCheckpoint } from './run-loads';
import type { RunSession } from './run-session';

export const PRETRAINED_FORMAT = 'latent-lab-pretrained';
export const PRETRAINED_VERSION = 1;

/** A test metric in nats per image, of the weights in float32, in float16 and as stored. */
export interface MetricOn {
  split: string;
  float32: number;
  float16: number;
  stored: number;
}

export interface PretrainedEntry {
  id: string;
  title: string;
  model: ModelKind;
  step: number;
  /** File names in the manifest's folder: the checkpoint's JSON half and its weights. */
  files: { meta: string; weights: string };
  /** Bytes of both files, and of both gzipped. */
  bytes: number;
  gzipBytes: number;
  dtype: 'float16' | 'float32';
  /** The model's headline term (the status line's): on all test digits and on the probe digits. */
  metric: { term: string; label: string; unit: string; test: MetricOn; probe: MetricOn };
  /** The command that trained it. */
  command: string;
}

export interface PretrainedManifest {
  command: string;
  checkpoints: PretrainedEntry[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const FILE_NAME = /^[a-z0-9][a-z0-9._-]*\.(json|bin)$/;
const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Checks a manifest, with one message naming the first problem. */
export function parsePretrainedManifest(raw: unknown): PretrainedManifest {
  if (!isObject(raw)) throw new Error('the manifest is not a JSON object');
  if (raw.format !== PRETRAINED_FORMAT)
    throw new Error(`not a trained-model manifest (format is ${JSON.stringify(raw.format)})`);
  if (raw.version !== PRETRAINED_VERSION)
    throw new Error(
      `manifest version ${JSON.stringify(raw.version)} is not supported (this app reads ${PRETRAINED_VERSION})`,
    );
  if (!Array.isArray(raw.checkpoints)) throw new Error('the manifest has no "checkpoints" list');
  const seen = new Set<string>();
  const checkpoints = raw.checkpoints.map((c: unknown, i): PretrainedEntry => {
    const where = `checkpoints[${i}]`;
    if (!isObject(c)) throw new Error(`${where} is not an object`);
    if (typeof c.id !== 'string' || !ID.test(c.id))
      throw new Error(`${where}.id ${JSON.stringify(c.id)} is not an id like "vae-2d"`);
    if (seen.has(c.id)) throw new Error(`${where}.id "${c.id}" appears twice`);
    seen.add(c.id);
    const at = `${where} ("${c.id}")`;
    if (!(MODEL_KINDS as readonly unknown[]).includes(c.model))
      throw new Error(`${at} has unknown model ${JSON.stringify(c.model)}`);
    const files = c.files;
    if (
      !isObject(files) ||
      typeof files.meta !== 'string' ||
      typeof files.weights !== 'string' ||
      !FILE_NAME.test(files.meta) ||
      !FILE_NAME.test(files.weights)
    )
      throw new Error(`${at}.files should name two files in the manifest's folder`);
    for (const key of ['step', 'bytes', 'gzipBytes'] as const) {
      const v = c[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        throw new Error(`${at}.${key} should be a whole number ≥ 0, got ${JSON.stringify(v)}`);
    }
    if (c.dtype !== 'float16' && c.dtype !== 'float32')
      throw new Error(`${at}.dtype should be float16 or float32, got ${JSON.stringify(c.dtype)}`);
    const m = c.metric;
    const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
    const metricOn = (o: unknown) =>
      isObject(o) && typeof o.split === 'string' && finite(o.float32) && finite(o.float16);
    if (
      !isObject(m) ||
      typeof m.term !== 'string' ||
      typeof m.label !== 'string' ||
      !metricOn(m.test) ||
      !metricOn(m.probe)
    )
      throw new Error(`${at}.metric should give its term and its values on the test digits`);
    if (typeof c.command !== 'string') throw new Error(`${at} does not say which command made it`);
    const on = (o: Record<string, unknown>): MetricOn => ({
      split: o.split as string,
      float32: o.float32 as number,
      float16: o.float16 as number,
      stored: o[c.dtype as string] as number,
    });
    return {
      id: c.id,
      title: typeof c.title === 'string' ? c.title : c.id,
      model: c.model as ModelKind,
      step: c.step as number,
      files: { meta: files.meta, weights: files.weights },
      bytes: c.bytes as number,
      gzipBytes: c.gzipBytes as number,
      dtype: c.dtype,
      metric: {
        term: m.term,
        label: m.label,
        unit: typeof m.unit === 'string' ? m.unit : 'nats per image',
        test: on(m.test as Record<string, unknown>),
        probe: on(m.probe as Record<string, unknown>),
      },
      command: c.command,
    };
  });
  return { command: typeof raw.command === 'string' ? raw.command : '', checkpoints };
}

type Fetch = (url: string) => Promise<Response>;

async function fetchOk(fetchFn: Fetch, url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (err) {
    throw new Error(`${what} could not be fetched (${(err as Error).message})`);
  }
  if (!res.ok) throw new Error(`${what} could not be fetched (HTTP ${res.status})`);
  return res;
}

const manifests = new Map<string, Promise<PretrainedManifest>>();

/** The manifest at `folderUrl` (…/pretrained/), fetched once; a failed fetch is tried again. */
export function pretrainedManifest(folderUrl: string, fetchFn: Fetch = fetch) {
  let p = manifests.get(folderUrl);
  if (!p) {
    p = (async () => {
      const res = await fetchOk(fetchFn, new URL('manifest.json', folderUrl).href, 'the manifest');
      let raw: unknown;
      try {
        raw = await res.json();
      } catch (err) {
        throw new Error(`the manifest is not valid JSON (${(err as Error).message})`);
      }
      return parsePretrainedManifest(raw);
    })();
    p.catch(() => manifests.delete(folderUrl));
    manifests.set(folderUrl, p);
  }
  return p;
}

/**
 * Loads the trained model `id` in place of the run. Resolves with its config, or null after a
 * notice saying why (unknown id, missing file, bad manifest, network); the run carries on then.
 */
export async function loadPretrained(
  session: RunSession,
  id: string,
  folderUrl: string,
  fetchFn: Fetch = fetch,
): Promise<TrainConfig | null> {
  let read;
  try {
    // The worker takes a checkpoint once its data are loaded (before, it would not answer).
    if (session.store.get().phase !== 'ready') throw new Error('the lab is still starting');
    const manifest = await pretrainedManifest(folderUrl, fetchFn);
    const entry = manifest.checkpoints.find((c) => c.id === id);
    if (!entry) {
      const ids = manifest.checkpoints.map((c) => c.id).join(', ');
      throw new Error(`there is no trained model "${id}" (the lab ships ${ids || 'none'})`);
    }
    const url = (name: string) => new URL(name, folderUrl).href;
    const [metaRes, weightsRes] = await Promise.all([
      fetchOk(fetchFn, url(entry.files.meta), entry.files.meta),
      fetchOk(fetchFn, url(entry.files.weights), entry.files.weights),
    ]);
    let meta: unknown;
    try {
      meta = await metaRes.json();
    } catch (err) {
      throw new Error(`${entry.files.meta} is not valid JSON (${(err as Error).message})`);
    }
    const config = isObject(meta) && isObject(meta.config) ? meta.config : {};
    const problems = configProblems(config);
    if (problems.length > 0) throw new Error(`${entry.files.meta}: ${problems[0]}`);
    read = { name: `the trained model ${entry.id}`, meta, weights: await weightsRes.arrayBuffer() };
  } catch (err) {
    const why = (err as Error).message;
    session.addNotice(
      'error',
      `Could not load the trained model ${id}: ${why}. The current run is unchanged.`,
    );
    return null;
  }
  return loadCheckpoint(session, read);
}
