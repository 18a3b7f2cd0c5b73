/**
 * Trains any model of the zoo on a dataset that lives on the device. One step = an on-device gather of
 * shuffled indices, one tidy, one Adam update. Loss terms stay on the device until flush()
 * reads them back asynchronously, so the loop never waits on the device per step.
 * A model fitted without gradients (`model.fit`: PCA, k-means, EM) steps by `await fitStep()`
 * instead: one iteration over the whole training set = one step = one epoch.
 * The read-back is train/read-back.ts; the draws (samples, dynamic binarisation), train/sampling.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FusedAdam } from './fused-adam';
import type { Pca } from '../core/pca';
import { mulberry32, permutation, type ResumableRng } from '../core/rng';
import { binarizeInPlace, STATIC_BINARIZATION_SEED, toFloatPixels } from '../data/pixels';
import type { ImageDataset } from '../data/image-dataset';
import { conditionalRefusal, MODEL_CATALOG } from '../contracts/catalog';
import type { LatentModel } from '../models/latent-model';
import { createModel } from '../models/zoo';
import type { TrainConfig } from '../contracts/config';
import type { EvalResult, StepMetrics } from '../contracts/metrics';
import { probeSet } from './probe-set';
import { evaluateOnProbes } from './probe-evaluation';
import { readBackSteps, type PendingStep } from './read-back';
import { bernoulliSample, sampleImages } from './sampling';

/** A tensor with a name, as optimisers save and load their state. */
export type NamedTensor = { name: string; tensor: tf.Tensor };

/** Where a run stands besides its weights (saved with them so that training continues exactly). */
export interface TrainerPosition {
  step: number;
  epoch: number;
  /** Index into `order` of the next batch. */
  cursor: number;
  /** State of the shuffling RNG (mulberry32), from which later epochs' orders are drawn. */
  rngState: number;
  /** This epoch's shuffled order of the training images.   [N] */
  order: Int32Array;
}

/** Steps between model upkeep calls (dead-code restarts), and the batch they look at. */
export const MAINTAIN_EVERY = 200;
const MAINTAIN_BATCH = 256;

export class Trainer {
  readonly model: LatentModel;
  /** Term names in the order they are stacked and reported. */
  readonly termKeys: string[];
  readonly probeLabels: Uint8Array; // [PROBE_COUNT]
  readonly probeImages: Uint8Array; // [RECON_COUNT × 784] grey levels for display
  readonly trainCount: number;
  private config: TrainConfig;
  readonly pixels: number;
  private readonly trainX: tf.Tensor2D; // [N, 784] in [0, 1], on the device
  private readonly trainY: tf.Tensor1D; // [N] int32 labels, on the device
  /** The fixed probe test digits (scatter, test terms, inspect questions).   [PROBE_COUNT, P] */
  readonly probeX: tf.Tensor2D;
  /** Their labels, int32 on the device (a conditional model encodes and decodes with them).   [PROBE_COUNT] */
  readonly probeY: tf.Tensor1D;
  readonly height: number;
  readonly width: number;
  /**
   * The scatter's plane at the latest evaluation: null when the embedding is 2-D (the plane is
   * the latent itself), else the PCA of the probe embeddings (plane point p ↦ mean + p·components).
   */
  plane: Pca | null = null;
  private readonly reconX: tf.Tensor2D; // [RECON_COUNT, 784]
  private readonly reconY: tf.Tensor1D; // [RECON_COUNT] int32
  private optimizer: tf.AdamOptimizer;
  private rng: ResumableRng;
  private order: Int32Array;
  private cursor = 0;
  private stepCount = 0;
  /** Whether the model's one-off initialisation has run (see prepare). */
  private initialized = false;
  private epochCount = 0;
  private pending: PendingStep[] = [];
  /** The latest fit iteration's other numbers (FitResult.info), for the CLI's line. */
  fitInfo: Record<string, number | number[] | null> | null = null;
  /** Events of fit iterations not yet taken by maintain(). */
  private fitEvents: string[] = [];
  /** Seed of the fixed evaluation noise, the same at every evaluation. */
  private static readonly EVAL_SEED = 777;

  constructor(dataset: ImageDataset, config: TrainConfig) {
    this.config = { ...config };
    this.pixels = dataset.height * dataset.width;
    this.height = dataset.height;
    this.width = dataset.width;
    const P = this.pixels;
    this.trainCount = dataset.train.count;
    const refusal = conditionalRefusal(config.model, dataset);
    if (refusal) throw new Error(refusal);

    // The whole training set is uploaded once; batches are gathers on the device.
    const pixels = toFloatPixels(dataset.train.images, 0, this.trainCount, P);
    if (config.binarize === 'static') binarizeInPlace(pixels, mulberry32(STATIC_BINARIZATION_SEED));
    this.trainX = tf.tensor2d(pixels, [this.trainCount, P]);
    const labels = Int32Array.from(dataset.train.labels.subarray(0, this.trainCount));
    this.trainY = tf.tensor1d(labels, 'int32');

    this.model = createModel(config, P, this.trainX, dataset.classes);
    this.termKeys = MODEL_CATALOG[config.model].terms.map((t) => t.key);
    this.optimizer = new FusedAdam(config.learningRate);
    this.rng = mulberry32(config.seed);
    this.order = permutation(this.trainCount, this.rng);

    const probes = probeSet(dataset, config.binarize);
    this.probeX = probes.x;
    this.reconX = probes.reconX;
    this.probeLabels = probes.labels;
    this.probeY = tf.tensor1d(Int32Array.from(probes.labels), 'int32');
    this.reconY = tf.tidy(() => tf.slice(this.probeY, 0, this.reconX.shape[0]));
    this.probeImages = probes.images;
  }

  get step(): number {
    return this.stepCount;
  }

  /** Completed passes over the training set. */
  get epoch(): number {
    return this.epochCount;
  }

  /** Continues the counters of a run loaded from a checkpoint (schedules follow the step). */
  resumeAt(step: number, epoch: number): void {
    this.stepCount = step;
    this.epochCount = epoch;
  }

  /** Where training stands besides the weights: counters, shuffle order and RNG (a copy). */
  position(): TrainerPosition {
    return {
      step: this.stepCount,
      epoch: this.epochCount,
      cursor: this.cursor,
      rngState: this.rng.state(),
      order: this.order.slice(),
    };
  }

  /** Continues exactly where position() was taken: the same next batches, the same shuffles. */
  restorePosition(p: TrainerPosition): void {
    if (p.order.length !== this.trainCount)
      throw new Error(
        `the shuffle order has ${p.order.length} entries, the dataset ${this.trainCount} images`,
      );
    if (!(p.cursor >= 0 && p.cursor <= this.trainCount))
      throw new Error(`shuffle position ${p.cursor} is outside the dataset`);
    this.resumeAt(p.step, p.epoch);
    this.cursor = p.cursor;
    this.order = p.order.slice();
    this.rng = mulberry32(p.rngState);
  }

  /**
   * Adam's state: [iter, m₀ … mₙ₋₁, v₀ … vₙ₋₁] with the moments in `model.variables` order
   * (Adam matches moments to variables by position; none before the first step). The tensors are
   * the optimiser's own: read them, do not dispose them.
   */
  optimizerWeights(): Promise<NamedTensor[]> {
    return this.optimizer.getWeights();
  }

  /** Replaces Adam's state by `weights` (as optimizerWeights() returns them; copied, not kept). */
  async loadOptimizerWeights(weights: NamedTensor[]): Promise<void> {
    const lr = this.config.learningRate;
    const next = new FusedAdam(lr);
    await next.setWeights(weights);
    this.optimizer.dispose();
    this.optimizer = next;
  }

  /**
   * Applies the live settings (contracts/settings.ts): Adam's step size and the batch size here,
   * the model's own through applyLiveConfig.
   */
  updateConfig(config: TrainConfig): void {
    if (config.learningRate !== this.config.learningRate) {
      // Adam keeps its moments; only the step size changes. (`learningRate` is protected in the typings.)
      (this.optimizer as unknown as { learningRate: number }).learningRate = config.learningRate;
    }
    this.config = { ...config };
    this.model.applyLiveConfig(this.config);
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

  /** The training batch of step `step` for indices `idx` (binarised per step if dynamic).  [B, P] */
  private batchOf(idx: Int32Array, step: number): tf.Tensor2D {
    return tf.tidy(() => {
      const x = tf.gather(this.trainX, tf.tensor1d(idx, 'int32')) as tf.Tensor2D;
      const noiseSeed = this.config.seed * 1_000_003 + step;
      return this.config.binarize === 'dynamic' ? bernoulliSample(x, noiseSeed + 0.5) : x;
    });
  }

  /**
   * Runs the model's one-off initialisation (e.g. the VQ-VAE's k-means codebook) on the first
   * step's batch with an asynchronous read-back. Await it before the first trainStep on a GPU
   * backend: otherwise trainStep does the same work with a blocking read (fine on wasm/cpu, but
   * on WebGPU a blocking read in a worker can lose the device). Same result either way.
   */
  async prepare(): Promise<void> {
    await this.prepareData();
    if (this.initialized || this.stepCount > 0) return;
    this.initialized = true;
    if (!this.model.initializeAsync) {
      this.initialized = false; // trainStep runs the synchronous initialize, if any
      return;
    }
    const B = this.config.batchSize;
    const start = this.cursor + B > this.trainCount ? 0 : this.cursor; // as nextBatchIndices
    const x = this.batchOf(this.order.subarray(start, start + B), 1);
    try {
      await this.model.initializeAsync(x);
    } finally {
      x.dispose();
    }
  }

  /**
   * The model's once-per-session data work (model.prepareData: the prior's code table), awaited
   * before training and evaluation; its events wait for maintain() like a fit's.
   */
  async prepareData(): Promise<void> {
    if (!this.model.prepareData) return;
    this.fitEvents.push(...(await this.model.prepareData()));
  }

  /** Whether the model is fitted without gradients (model.fit): step with fitStep(), not trainStep(). */
  get fitsWithoutGradients(): boolean {
    return this.model.fit !== undefined;
  }

  /** Images one step looks at (for images/s): a batch, or the whole training set for fitStep. */
  get imagesPerStep(): number {
    return this.model.fit ? this.trainCount : this.config.batchSize;
  }

  /**
   * One iteration of a model fitted without gradients (model.fit) over the whole training set:
   * step and epoch advance by one, its terms wait for flush() like a gradient step's. Resolves
   * to whether the model has converged (see FitResult).
   */
  async fitStep(): Promise<boolean> {
    const fit = this.model.fit?.bind(this.model);
    if (!fit) throw new Error('this model trains by gradient steps (trainStep), not fitStep');
    const step = this.stepCount + 1;
    const { terms, converged, info, events } = await fit(this.trainX, {
      iteration: step,
      seed: this.config.seed * 1_000_003 + step,
    });
    const values = this.termKeys.map((k) => {
      const v = terms[k];
      if (v === undefined) throw new Error(`the fit did not report its "${k}" term`);
      return v;
    });
    this.pending.push({ step, terms: tf.tensor1d(values) });
    this.stepCount = step;
    this.epochCount++;
    this.fitInfo = info ?? null;
    this.fitEvents.push(...(events ?? []));
    return converged;
  }

  /** One Adam step on one batch. Leaves one [T] tensor of loss terms pending until flush(). */
  trainStep(): void {
    if (this.model.fit) throw new Error('this model is fitted without gradients: use fitStep()');
    const idx = this.nextBatchIndices();
    const step = this.stepCount + 1;
    const noiseSeed = this.config.seed * 1_000_003 + step;
    const terms = tf.tidy(() => {
      const x = this.batchOf(idx, step); // [B, P]
      const labels = tf.gather(this.trainY, tf.tensor1d(idx, 'int32')) as tf.Tensor1D; // [B]
      if (step === 1 && !this.initialized) this.model.initialize?.(x); // e.g. k-means codebook
      this.initialized = true;
      const indices = tf.tensor1d(idx, 'int32'); // [B] rows of the training set (GLO's codes)
      let kept: tf.Tensor1D | null = null;
      this.optimizer.minimize(
        () => {
          const out = this.model.loss(x, {
            step,
            seed: noiseSeed,
            training: true,
            indices,
            labels,
          });
          kept = tf.keep(tf.stack(this.termKeys.map((k) => out.terms[k]!)) as tf.Tensor1D);
          return out.total;
        },
        false,
        this.model.variables,
      );
      return kept as unknown as tf.Tensor1D;
    });
    this.model.afterStep?.(); // e.g. EMA codebook update, outside the gradient tape
    this.pending.push({ step, terms });
    this.stepCount = step;
  }

  /**
   * Model upkeep every MAINTAIN_EVERY steps (dead-code restarts) on a fresh random batch of
   * training images. Returns the events to report; reads back, so call it between steps.
   */
  async maintain(): Promise<string[]> {
    if (this.fitEvents.length) return this.fitEvents.splice(0); // a fit iteration's events
    if (!this.model.maintain || this.stepCount === 0 || this.stepCount % MAINTAIN_EVERY !== 0)
      return [];
    const idx = permutation(this.trainCount, this.rng).subarray(0, MAINTAIN_BATCH);
    const x = tf.tidy(() => tf.gather(this.trainX, tf.tensor1d(idx, 'int32')) as tf.Tensor2D);
    try {
      return await this.model.maintain(x, this.stepCount);
    } finally {
      x.dispose();
    }
  }

  /** The first n training images (a new tensor the caller disposes).   [min(n, N), P] */
  trainingImages(n: number): tf.Tensor2D {
    return tf.slice(this.trainX, [0, 0], [Math.min(n, this.trainCount), this.pixels]);
  }

  /** Schedule values (β, KL weight, τ …) at the current step. */
  scheduleValues(): Record<string, number> {
    return this.model.scheduleValues(this.stepCount);
  }

  get pendingSteps(): number {
    return this.pending.length;
  }

  /** Reads back the loss terms of all pending steps, and whether every weight is still finite. */
  async flush(): Promise<StepMetrics | null> {
    if (this.pending.length === 0) return null;
    const batch = this.pending;
    this.pending = [];
    return readBackSteps(batch, this.termKeys, this.model.savedVariables ?? this.model.variables);
  }

  /** Test terms on the fixed probe digits, their latent points and 16 reconstructions. */
  async evaluate(): Promise<EvalResult> {
    const { result, plane } = await evaluateOnProbes(this.model, {
      x: this.probeX,
      labels: this.probeY,
      reconX: this.reconX,
      reconLabels: this.reconY,
      termKeys: this.termKeys,
      step: this.stepCount,
      epoch: this.epochCount,
      seed: Trainer.EVAL_SEED,
    });
    this.plane = plane;
    return result;
  }

  /**
   * `count` new images (count × P intensities in [0, 1]) from the model's generative side; an
   * autoencoder first fits its Gaussian to the codes of up to 2,000 training images.
   */
  async sample(count: number, seed: number): Promise<Float32Array> {
    return sampleImages(this.model, () => this.trainingImages(2000), count, seed);
  }

  dispose(): void {
    for (const p of this.pending) p.terms.dispose();
    this.pending = [];
    this.model.dispose();
    this.optimizer.dispose();
    tf.dispose([this.trainX, this.trainY, this.probeX, this.probeY, this.reconX, this.reconY]);
  }
}
