/**
 * Trains the MLP VAE on a dataset that lives on the device. One step = an on-device gather of
 * shuffled indices, one tidy, one Adam update. Loss terms stay on the device until flush()
 * reads them back asynchronously, so the loop never waits on the device per step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fitPca, projectPca } from '../core/pca';
import { mulberry32, permutation, type Rng } from '../core/rng';
import type { ImageDataset } from '../data/image-dataset';
import { MlpVae } from '../models/mlp-vae';
import { PROBE_COUNT, RECON_COUNT, type TrainConfig } from './config';
import type { EvalResult, StepMetrics } from './metrics';

/** Probe digits are chosen with a fixed seed, the same for every run and every model. */
const PROBE_SEED = 20260;

function toFloatPixels(
  images: Uint8Array,
  start: number,
  count: number,
  pixels: number,
): Float32Array {
  const out = new Float32Array(count * pixels);
  const src = images.subarray(start * pixels, (start + count) * pixels);
  for (let i = 0; i < out.length; i++) out[i] = src[i]! / 255;
  return out;
}

export class VaeTrainer {
  readonly model: MlpVae;
  readonly probeLabels: Uint8Array; // [PROBE_COUNT]
  readonly probeImages: Uint8Array; // [RECON_COUNT × 784] grey levels for display
  readonly trainCount: number;
  private config: TrainConfig;
  private readonly pixels: number;
  private readonly trainX: tf.Tensor2D; // [N, 784] in [0, 1], on the device
  private readonly probeX: tf.Tensor2D; // [PROBE_COUNT, 784]
  private readonly reconX: tf.Tensor2D; // [RECON_COUNT, 784]
  private readonly probeEps: tf.Tensor2D; // [PROBE_COUNT, D] fixed noise for the test estimate
  private optimizer: tf.AdamOptimizer;
  private readonly rng: Rng;
  private order: Int32Array;
  private cursor = 0;
  private stepCount = 0;
  private epochCount = 0;
  private pending: { step: number; terms: tf.Tensor1D }[] = [];

  constructor(dataset: ImageDataset, config: TrainConfig) {
    this.config = { ...config };
    this.pixels = dataset.height * dataset.width;
    const P = this.pixels;
    this.trainCount = dataset.train.count;
    this.model = new MlpVae({
      inputDim: P,
      hiddenDim: config.hiddenDim,
      latentDim: config.latentDim,
      seed: config.seed,
    });
    this.optimizer = tf.train.adam(config.learningRate);
    this.rng = mulberry32(config.seed);
    this.order = permutation(this.trainCount, this.rng);

    // The whole training set is uploaded once; batches are gathers on the device.
    this.trainX = tf.tensor2d(toFloatPixels(dataset.train.images, 0, this.trainCount, P), [
      this.trainCount,
      P,
    ]);

    const probeCount = Math.min(PROBE_COUNT, dataset.test.count);
    const probeIdx = permutation(dataset.test.count, mulberry32(PROBE_SEED)).subarray(
      0,
      probeCount,
    );
    const probe = new Float32Array(probeCount * P);
    this.probeLabels = new Uint8Array(probeCount);
    probeIdx.forEach((src, i) => {
      probe.set(toFloatPixels(dataset.test.images, src, 1, P), i * P);
      this.probeLabels[i] = dataset.test.labels[src]!;
    });
    const reconCount = Math.min(RECON_COUNT, probeCount);
    this.probeImages = new Uint8Array(reconCount * P);
    probeIdx.subarray(0, reconCount).forEach((src, i) => {
      this.probeImages.set(dataset.test.images.subarray(src * P, (src + 1) * P), i * P);
    });
    this.probeX = tf.tensor2d(probe, [probeCount, P]);
    this.reconX = tf.tidy(() => tf.slice(this.probeX, [0, 0], [reconCount, P]));
    this.probeEps = tf.randomNormal([probeCount, config.latentDim], 0, 1, 'float32', PROBE_SEED);
  }

  get step(): number {
    return this.stepCount;
  }

  /** Completed passes over the training set. */
  get epoch(): number {
    return this.epochCount;
  }

  /** Applies settings that do not need a new model (learning rate, batch size, β). */
  updateConfig(config: TrainConfig): void {
    if (config.learningRate !== this.config.learningRate) {
      // Adam keeps its moments; only the step size changes. (`learningRate` is protected in the typings.)
      (this.optimizer as unknown as { learningRate: number }).learningRate = config.learningRate;
    }
    this.config = { ...config };
  }

  /** The next B indices of the shuffled order; a new shuffle (and epoch) when too few remain. */
  private nextBatchIndices(): Int32Array {
    const B = this.config.batchSize;
    if (this.cursor + B > this.trainCount) this.cursor = 0; // batch size grew mid-epoch
    const idx = this.order.subarray(this.cursor, this.cursor + B);
    this.cursor += B;
    if (this.cursor + B > this.trainCount) {
      this.order = permutation(this.trainCount, this.rng); // `idx` still views the old order
      this.cursor = 0;
      this.epochCount++;
    }
    return idx;
  }

  /** One Adam step on one batch. Leaves one [3] tensor of loss terms pending until flush(). */
  trainStep(): void {
    const idx = this.nextBatchIndices();
    const { batchSize: B, latentDim: D, beta, seed } = this.config;
    const step = this.stepCount + 1;
    const terms = tf.tidy(() => {
      const x = tf.gather(this.trainX, tf.tensor1d(idx, 'int32')) as tf.Tensor2D; // [B, 784]
      const eps = tf.randomNormal([B, D], 0, 1, 'float32', seed * 1_000_003 + step) as tf.Tensor2D;
      let kept: tf.Tensor1D | null = null;
      this.optimizer.minimize(
        () => {
          const t = this.model.lossTerms(x, eps, beta);
          kept = tf.keep(tf.stack([t.recon, t.kl, t.negElbo]) as tf.Tensor1D);
          return t.total;
        },
        false,
        this.model.variables,
      );
      return kept as unknown as tf.Tensor1D;
    });
    this.pending.push({ step, terms });
    this.stepCount = step;
  }

  get pendingSteps(): number {
    return this.pending.length;
  }

  /** Reads back the loss terms of all pending steps (one async device read). */
  async flush(): Promise<StepMetrics | null> {
    if (this.pending.length === 0) return null;
    const batch = this.pending;
    this.pending = [];
    const stacked = tf.stack(batch.map((p) => p.terms)); // [n, 3]
    for (const p of batch) p.terms.dispose();
    const values = await stacked.data(); // the only device → host sync point of training
    stacked.dispose();
    const out: StepMetrics = { steps: [], recon: [], kl: [], negElbo: [] };
    batch.forEach((p, i) => {
      out.steps.push(p.step);
      out.recon.push(values[3 * i]!);
      out.kl.push(values[3 * i + 1]!);
      out.negElbo.push(values[3 * i + 2]!);
    });
    return out;
  }

  /** Test terms on the fixed probe digits, their latent points and 16 reconstructions. */
  async evaluate(): Promise<EvalResult> {
    const { recon, kl, mu } = this.model.evaluate(this.probeX, this.probeEps);
    const decoded = this.model.reconstruct(this.reconX);
    const [r, k, m, img] = await Promise.all([recon.data(), kl.data(), mu.data(), decoded.data()]);
    tf.dispose([recon, kl, mu, decoded]);
    const n = r.length;
    let sumR = 0;
    let sumK = 0;
    for (let i = 0; i < n; i++) {
      sumR += r[i]!;
      sumK += k[i]!;
    }
    const D = this.config.latentDim;
    const latent = D === 2 ? Float32Array.from(m) : projectPca(fitPca(m, n, D, 2), m, n, D);
    return {
      step: this.stepCount,
      epoch: this.epochCount,
      test: { recon: sumR / n, kl: sumK / n, negElbo: (sumR + sumK) / n },
      latent,
      latentKind: D === 2 ? 'posterior-mean' : 'pca',
      reconstructions: img as Float32Array,
    };
  }

  dispose(): void {
    for (const p of this.pending) p.terms.dispose();
    this.pending = [];
    this.model.dispose();
    this.optimizer.dispose();
    tf.dispose([this.trainX, this.probeX, this.reconX, this.probeEps]);
  }
}
