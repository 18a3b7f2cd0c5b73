// Every parser of a user's file, fed FUZZ_ITERATIONS mutated inputs each (seeded, so a failure
// reproduces): each input is either accepted, with a result that meets the parser's own
// invariants, or refused with an Error that names the problem (see fuzz.ts). New parsers of
// user files get a target in TARGETS (the "upload parsers" block shows how).
import { gunzipSync, gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/rng';
import { checkImageDataset } from '../../src/data/check-dataset';
import { parseDigitCsv } from '../../src/data/csv-digits';
import { decodeIdxBytes } from '../../src/data/fetch-idx';
import { gunzipBounded } from '../../src/data/gunzip-bounded';
import { encodeIdx, parseIdx, type IdxArray } from '../../src/data/idx';
import { readUploadFiles, type UploadFile, type UploadResult } from '../../src/data/upload-files';
import { readZip } from '../../src/data/zip-entries';
import { createModel } from '../../src/models/zoo';
import { defaultSettings, parseSettings, settingsToHash } from '../../src/state/settings';
import {
  encodeCheckpoint,
  loadCheckpointWeights,
  parseCheckpointMeta,
  type CheckpointMeta,
} from '../../src/train/checkpoint';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import {
  decodeRunFile,
  emptyHistory,
  encodeRunFile,
  RUN_FORMAT,
  type RunMeta,
} from '../../src/contracts/run-file';
import { parseRunMeta } from '../../src/train/run-state';
import { readCheckpointFiles } from '../../src/state/checkpoint-files';
import { fuzz, int, mutateBytes, mutateJson, unhelpful, type FuzzTarget } from './fuzz';
import { tf, useCpu } from './tf-setup';

/** Inputs per parser. */
const FUZZ_ITERATIONS = 10_000;
const FUZZ_SEED = 20_250;

beforeAll(useCpu);

const bytesOf = (n: number, seed: number) => {
  const rng = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rng() * 256));
};

/**
 * Gzip inputs: half the time the compressed bytes are mutated (the gzip layer refuses them), half
 * the time the raw bytes are mutated and then compressed (so the parser behind it is reached).
 */
function gzipTarget(
  name: string,
  rawSeeds: Uint8Array[],
  parse: (b: Uint8Array) => unknown,
  names: string,
  check?: (result: unknown, input: Uint8Array) => string | null,
): FuzzTarget<Uint8Array> {
  return {
    ...byteTarget(
      name,
      rawSeeds.map((r) => gzipSync(r)),
      parse,
      names,
      check,
    ),
    mutate: (seed, rng) => {
      if (rng() < 0.5) {
        const { bytes, how } = mutateBytes(seed, rng);
        return { input: bytes, how: `gzip bytes: ${how}` };
      }
      const { bytes, how } = mutateBytes(gunzipSync(seed), rng, 1 << 18);
      return { input: gzipSync(bytes), how: `raw bytes: ${how}` };
    },
  };
}

/** Byte-mutating target over `seeds`. */
function byteTarget(
  name: string,
  seeds: Uint8Array[],
  parse: (b: Uint8Array) => unknown,
  names: string | null,
  check?: (result: unknown, input: Uint8Array) => string | null,
): FuzzTarget<Uint8Array> {
  return {
    name,
    seeds,
    names,
    parse,
    check,
    mutate: (seed, rng) => {
      const { bytes, how } = mutateBytes(seed, rng);
      return { input: bytes, how };
    },
  };
}

function checkIdx(result: unknown): string | null {
  const { dims, data } = result as IdxArray;
  const count = dims.reduce((a, d) => a * d, 1);
  if (!dims.every((d) => Number.isInteger(d) && d > 0)) return `bad dims ${dims.join('×')}`;
  return data.length === count ? null : `data has ${data.length} values, dims say ${count}`;
}

const IDX_SEEDS = [
  encodeIdx(
    [10],
    bytesOf(10, 1).map((b) => b % 10),
  ),
  encodeIdx([3, 4, 5], bytesOf(60, 2)),
  encodeIdx([2, 3, 2, 2], bytesOf(24, 3)),
  encodeIdx([1, 28, 28], bytesOf(784, 4)),
];

// --- CLI checkpoints: checkpoint.json + weights.bin, read as the page reads them -------------

/** A tiny MLP VAE on the CPU backend: the model every fuzzed checkpoint is loaded into. */
const tinyConfig: TrainConfig = { ...TRAIN_DEFAULTS, hiddenDim: 8, latentDim: 2 };

interface CheckpointInput {
  json: string;
  weights: Uint8Array;
}

/** Whether the settings table accepts every value of `config` (what the app could run). */
function configOutOfRange(config: TrainConfig): string | null {
  const { notices } = parseSettings(settingsToHash({ ...defaultSettings(), ...config }));
  return notices.length ? `accepted a config the settings table refuses: ${notices[0]}` : null;
}

// --- run files (*.latentlab) ------------------------------------------------------------------

function runFileSeed(): Uint8Array {
  const history = emptyHistory();
  history.train = { steps: [1, 2, 3], terms: { negElbo: [300, 250, 200], kl: [1, 2, 3] } };
  history.events = [{ step: 2, text: 'dead codes restarted' }];
  return encodeRunFile(
    {
      meta: {
        format: RUN_FORMAT,
        version: 1,
        config: tinyConfig,
        dataset: 'mnist',
        step: 3,
        epoch: 0,
        cursor: 48,
        rngState: 12345,
        weightSpecs: [{ name: 'w0', shape: [4], dtype: 'float32' }],
        stateSpecs: [{ name: 'iter', shape: [], dtype: 'float32' }],
      },
      weights: new Float32Array([1, 2, 3, 4]).buffer,
      state: new Float32Array([3]).buffer,
      order: Int32Array.from([3, 1, 2, 0]),
    },
    history,
    'run',
    1_700_000_000_000,
  );
}

// --- upload parsers (src/data: CSV, zip, gzip, IDX pairs, the whole "your own data" path) ---

function digitsCsv(rows: number, seed: number, header: boolean): Uint8Array {
  const rng = mulberry32(seed);
  const lines = header
    ? [['label', ...Array.from({ length: 784 }, (_, i) => `p${i}`)].join(',')]
    : [];
  for (let r = 0; r < rows; r++) {
    const pixels = Array.from({ length: 784 }, () => (rng() < 0.8 ? 0 : Math.floor(rng() * 256)));
    lines.push([r % 10, ...pixels].join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

const CSV_SEEDS = [digitsCsv(3, 1, true), digitsCsv(2, 2, false)];

const ZIP_SEEDS = [
  zipSync({ 'digits/3/a.csv': digitsCsv(1, 3, false), 'b.idx': IDX_SEEDS[0]! }, { level: 0 }),
  zipSync({ 'x/train-labels-idx1-ubyte': IDX_SEEDS[0]!, 'y.csv': CSV_SEEDS[1]! }, { level: 6 }),
];

/** Raw contents; the last inflates to twice the limit used below from 130 bytes (a small bomb). */
const GUNZIP_LIMIT = 1 << 16;
const GZIP_RAW_SEEDS = [
  IDX_SEEDS[1]!,
  CSV_SEEDS[1]!,
  new Uint8Array(0),
  new Uint8Array(2 * GUNZIP_LIMIT),
];

/** Small limits, so a mutated size field meets them quickly. */
const ZIP_LIMITS = { maxFileBytes: 1 << 20, maxTotalBytes: 4 << 20 };

/** Test stand-in for the page's PNG/JPG decoder. */
async function decodeImageStub(bytes: Uint8Array, path: string): Promise<Uint8Array> {
  const png = bytes[0] === 0x89 && bytes[1] === 0x50;
  const jpg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (!png && !jpg) throw new Error(`${path}: not a PNG or JPG image`);
  return new Uint8Array(784).fill(bytes.length % 256);
}

/** Upload sets: an MNIST-style IDX pair, a CSV, a zip; each iteration mutates one file. */
function uploadSeeds(): { path: string; bytes: Uint8Array }[][] {
  const n = 24;
  const images = encodeIdx([n, 28, 28], bytesOf(n * 784, 7));
  const labels = encodeIdx(
    [n],
    bytesOf(n, 8).map((b) => b % 10),
  );
  return [
    [
      { path: 'train-images-idx3-ubyte', bytes: images },
      { path: 'train-labels-idx1-ubyte.gz', bytes: gzipSync(labels) },
    ],
    [{ path: 'digits.csv', bytes: digitsCsv(n, 9, true) }],
    [{ path: 'set.zip', bytes: zipSync({ 'a.csv': digitsCsv(n, 10, false) }) }],
  ];
}

function checkUpload(result: unknown): string | null {
  const r = result as UploadResult;
  for (const e of [...r.errors, ...r.notes]) {
    const why = unhelpful(new Error(e), null);
    if (why) return `message: ${why}`;
  }
  if (!r.dataset && r.errors.length === 0) return 'no dataset and no message saying why';
  if (r.dataset) {
    try {
      checkImageDataset(r.dataset);
    } catch (err) {
      return `the dataset it built fails the worker's check: ${(err as Error).message}`;
    }
  }
  return null;
}

describe('parsers of user files, fuzzed', () => {
  /** Fuzzes `target`; `refuses`: whether it reports problems by throwing (else in its result). */
  async function expectRobust<I>(target: FuzzTarget<I>, refuses = true) {
    const iterations = FUZZ_ITERATIONS;
    const report = await fuzz(target, iterations, FUZZ_SEED);
    console.log(
      `# ${target.name}: ${report.accepted} accepted, ${report.refused} refused, ` +
        `${report.failed} failed, slowest ${report.slowestMs.toFixed(1)} ms; ` +
        `${report.messages.size} distinct refusals, e.g. ${[...report.messages].slice(0, 4).join(' | ')}`,
    );
    expect(report.failures).toEqual([]);
    expect(report.accepted + report.refused).toBe(iterations);
    if (refuses) expect(report.refused).toBeGreaterThan(0); // the mutations reach the checks
    return report;
  }

  it('IDX (parseIdx)', async () => {
    await expectRobust(
      byteTarget('IDX', IDX_SEEDS, (b) => parseIdx(b, 'fuzz.idx'), 'fuzz.idx:', checkIdx),
    );
  });

  it('gzip-compressed IDX (decodeIdxBytes, as datasets are fetched)', async () => {
    await expectRobust(
      gzipTarget(
        'IDX.gz',
        IDX_SEEDS,
        (b) => decodeIdxBytes(b, 'fuzz.idx.gz'),
        'fuzz.idx.gz:',
        checkIdx,
      ),
    );
  });

  it('CLI checkpoint (readCheckpointFiles → parseCheckpointMeta → loadCheckpointWeights)', async () => {
    const model = createModel(tinyConfig, 784);
    const saved = await encodeCheckpoint(model, tinyConfig, {
      step: 7,
      epoch: 0,
      dataset: 'mnist',
    });
    const seed: CheckpointInput = {
      json: JSON.stringify(saved.meta),
      weights: new Uint8Array(saved.weights),
    };
    const tensorsBefore = tf.memory().numTensors;
    await expectRobust<CheckpointInput>({
      name: 'checkpoint',
      seeds: [seed],
      names: null,
      mutate: (s, rng) => {
        const r = rng();
        if (r < 0.55) {
          const { value, how } = mutateJson(JSON.parse(s.json), rng);
          return { input: { ...s, json: JSON.stringify(value) }, how: `json: ${how}` };
        }
        if (r < 0.75) {
          const text = mutateBytes(new TextEncoder().encode(s.json), rng);
          return {
            input: { ...s, json: new TextDecoder().decode(text.bytes) },
            how: `json text: ${text.how}`,
          };
        }
        const w = mutateBytes(s.weights, rng, 1 << 17);
        return { input: { ...s, weights: w.bytes }, how: `weights: ${w.how}` };
      },
      parse: async ({ json, weights }) => {
        const read = await readCheckpointFiles([
          new File([json], 'checkpoint.json'),
          new File([weights as BlobPart], 'weights.bin'),
        ]);
        const meta = parseCheckpointMeta(read.meta);
        loadCheckpointWeights(model, meta, read.weights);
        return meta;
      },
      check: (meta) => configOutOfRange((meta as CheckpointMeta).config),
      after: () => {
        const n = tf.memory().numTensors;
        return n === tensorsBefore ? null : `left tensors behind (${tensorsBefore} → ${n})`;
      },
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    model.dispose();
  });

  it('run file (decodeRunFile)', async () => {
    await expectRobust(
      byteTarget('run file', [runFileSeed()], (b) => decodeRunFile(b.slice().buffer), null),
    );
  });

  it('run state (parseRunMeta, the JSON half of a run file or a saved run)', async () => {
    const seed = (decodeRunFile(runFileSeed().slice().buffer).meta ?? {}) as RunMeta;
    await expectRobust<unknown>({
      name: 'run meta',
      seeds: [seed],
      names: null,
      mutate: (s, rng) => {
        const { value, how } = mutateJson(s, rng);
        return { input: value, how };
      },
      parse: (raw) => parseRunMeta(raw),
      check: (result) => {
        const meta = result as RunMeta;
        // TF.js decodes by every field of a spec ("quantization" changes the byte layout), so
        // what reaches decodeWeights must be exactly name, shape and dtype.
        const odd = [...meta.weightSpecs, ...meta.stateSpecs].find(
          (spec) => Object.keys(spec).sort().join() !== 'dtype,name,shape',
        );
        return odd ? `passes on a weight spec with ${Object.keys(odd).join(', ')}` : null;
      },
    });
  });

  // Upload parsers. A new parser of user files gets a target here: valid seed inputs, the call,
  // the name its messages must carry, and the invariants of what it accepts.
  it('CSV digits (parseDigitCsv)', async () => {
    await expectRobust(
      byteTarget(
        'CSV',
        CSV_SEEDS,
        (b) => parseDigitCsv(b, 'fuzz.csv'),
        'fuzz.csv',
        (result) => {
          const r = result as ReturnType<typeof parseDigitCsv>;
          return r.images.length === r.count * 784 && r.labels.length === r.count
            ? null
            : `${r.count} rows but ${r.images.length} pixels and ${r.labels.length} labels`;
        },
      ),
    );
  });

  it('zip archives (readZip)', async () => {
    await expectRobust(
      byteTarget(
        'zip',
        ZIP_SEEDS,
        (b) => readZip(b, 'fuzz.zip', ZIP_LIMITS),
        'fuzz.zip',
        (result) => {
          const r = result as ReturnType<typeof readZip>;
          const total = r.entries.reduce((a, e) => a + e.bytes.length, 0);
          return total <= ZIP_LIMITS.maxTotalBytes
            ? null
            : `unpacked ${total} bytes, over the limit`;
        },
      ),
    );
  });

  it('bounded gunzip of uploads (gunzipBounded)', async () => {
    await expectRobust(
      gzipTarget(
        'gzip',
        GZIP_RAW_SEEDS,
        (b) => gunzipBounded(b, 'fuzz.gz', GUNZIP_LIMIT),
        'fuzz.gz',
        (r) => ((r as Uint8Array).length <= GUNZIP_LIMIT ? null : 'inflated past the limit'),
      ),
    );
  });

  it('a whole upload (readUploadFiles: IDX pairs, CSV, zip, images)', async () => {
    const sets = uploadSeeds();
    let withErrors = 0;
    let withDataset = 0;
    await expectRobust<{ path: string; bytes: Uint8Array }[]>(
      {
        name: 'upload',
        seeds: sets,
        names: null,
        mutate: (set, rng) => {
          const i = int(rng, set.length);
          const { bytes, how } = mutateBytes(set[i]!.bytes, rng, 1 << 17);
          const input = set.map((f, j) => (j === i ? { ...f, bytes } : f));
          return { input, how: `${set[i]!.path}: ${how}` };
        },
        parse: (set) =>
          readUploadFiles(
            set.map((f): UploadFile => ({
              path: f.path,
              size: f.bytes.length,
              read: async () => f.bytes,
            })),
            decodeImageStub,
          ),
        check: (result) => {
          const r = result as UploadResult;
          if (r.errors.length) withErrors++;
          if (r.dataset) withDataset++;
          return checkUpload(r);
        },
      },
      false, // it never throws: each refused file is a message in `errors`
    );
    console.log(`# upload: ${withDataset} gave a dataset, ${withErrors} gave messages`);
    expect(withErrors).toBeGreaterThan(0);
    expect(withDataset).toBeGreaterThan(0);
  });
});
