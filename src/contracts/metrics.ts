/**
 * What training reports, as plain numbers (no TF.js here): per-step loss terms and
 * evaluations on the fixed probe digits. All losses are in nats per image; term names are
 * those of the running model's catalog entry (src/contracts/catalog.ts).
 */

/** Loss terms of consecutive training steps, by name, in nats per image. */
export interface StepMetrics {
  steps: number[];
  terms: Record<string, number[]>;
  /** False when some weight was NaN or ±∞ after the last of these steps (checked at read-back). */
  weightsFinite?: boolean;
}

/** Mean per-image terms on the probe digits, by name, in nats per image. */
export type TestTerms = Record<string, number>;

/** Model diagnostics on the probe digits (those the running model supports). */
export interface Diagnostics {
  /** VAE: batch-mean KL of each latent dimension, nats. */
  klPerDimension?: number[];
  /** VAE: dimensions whose posterior-mean variance over the probe digits exceeds 0.01. */
  activeUnits?: number;
  /** VQ-VAE / dVAE: how many of the probe digits' latent positions use each code. */
  codeUsage?: number[];
  /** exp(entropy of the mean code assignment), between 1 and K. */
  perplexity?: number;
  codesUsed?: number;
  deadCodes?: number;
}

export interface EvalResult {
  step: number;
  epoch: number;
  test: TestTerms;
  /** PROBE_COUNT × 2 points: the latent codes (size 2) or their first two principal components. */
  latent: Float32Array;
  latentKind: 'latent' | 'pca';
  /** RECON_COUNT × H·W pixel intensities of the deterministic reconstructions. */
  reconstructions: Float32Array;
  diagnostics: Diagnostics;
}

/**
 * What the backend holds after a read-back: a read-only debug value for leak checks
 * (scripts/soak.mjs, tests/browser/soak.test.mjs) and the page's memory line.
 */
export interface DeviceMemory {
  /** Live tensors, tf.memory().numTensors: flat while training if nothing leaks. */
  numTensors: number;
  /** Bytes of their data as TF.js counts them (tf.memory().numBytes). */
  numBytes: number;
  /** WebGPU / WebGL: bytes of GPU buffers in use, and allocated including the reuse pool. */
  gpuBytesUsed?: number;
  gpuBytesAllocated?: number;
  /** wasm: size of the module's linear memory (grows on demand, never shrinks). */
  wasmHeapBytes?: number;
}
