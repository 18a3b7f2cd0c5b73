/**
 * The trainer's read-back (Trainer.flush): the loss terms its steps left on the device, and a
 * check that every weight is still finite, read to the host in one asynchronous go.
 *
 *   pending steps' terms [T] each → terms[k] = one number per step;  finite = Σ (w · 0) is 0
 */
import * as tf from '@tensorflow/tfjs-core';
import type { StepMetrics } from '../contracts/metrics';

/** A step whose loss terms (in the trainer's termKeys order) wait on the device.   terms [T] */
export type PendingStep = { step: number; terms: tf.Tensor1D };

/**
 * Reads back the terms of `batch` (disposing them) and whether every tensor of `saved` (the
 * model's weights) is finite.
 */
export async function readBackSteps(
  batch: PendingStep[],
  termKeys: string[],
  saved: tf.Variable[],
): Promise<StepMetrics> {
  const T = termKeys.length;
  // Σ (w · 0) over every weight: 0 while all are finite, NaN once any is NaN or ±∞.   []
  const check = tf.tidy(() => tf.addN(saved.map((v) => tf.sum(tf.mul(v, 0)))));
  // The only device → host sync point of training: every read is issued at once and awaited
  // together. Each step's [T] terms are read as they are: stacking them first gave wrong
  // values on the WebGPU backend (tfjs 4.22, SwiftShader), caught by the WebGPU smoke test.
  const [finite, ...perStep] = await Promise.all([
    check.data(),
    ...batch.map((p) => p.terms.data()),
  ]);
  const values = new Float32Array(batch.length * T);
  perStep.forEach((v, i) => values.set(v as Float32Array, i * T));
  for (const p of batch) p.terms.dispose();
  check.dispose();
  const terms: Record<string, number[]> = {};
  termKeys.forEach((k, j) => (terms[k] = batch.map((_, i) => values[T * i + j]!)));
  return {
    steps: batch.map((p) => p.step),
    terms,
    weightsFinite: Number.isFinite(finite[0]!),
  };
}
