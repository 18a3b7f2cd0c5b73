/**
 * Inference by optimisation: the code z of an image x found by Adam steps on the reconstruction
 * loss of its visible pixels, the decoder frozen (only z is in the optimiser's variable list).
 *
 *   per image   ℓ(z) = Σ_p m_p (x̂_p − x_p)²                          squared error
 *               ℓ(z) = −Σ_p m_p [x_p log x̂_p + (1 − x_p) log(1 − x̂_p)] Bernoulli, nats
 *   x̂ = decode(z) ∈ [0, 1]^P, m ∈ {0, 1}^P the visible pixels (all of them for plain inference;
 *   restoration erases some). Adam minimises Σ_b ℓ(z_b), so each image's code moves by its own
 *   gradient whatever the batch.
 * The squared error is the Gaussian decoder's −log p(x|z) up to scale and constant; the
 * Bernoulli loss the Bernoulli decoder's (clamped to [1e-6, 1 − 1e-6] so that log stays finite).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InferSpec } from '../../contracts/inspect';
import type { CodeSpace } from './code-space';

const EPS = 1e-6;

/** The masked loss per image.   x̂, x [B, P], mask [B, P] or [1, P] → [B] */
export function maskedLoss(
  xhat: tf.Tensor2D,
  x: tf.Tensor2D,
  mask: tf.Tensor2D,
  loss: InferSpec['loss'],
): tf.Tensor1D {
  return tf.tidy((): tf.Tensor1D => {
    if (loss === 'squared') return tf.sum(tf.mul(mask, tf.squaredDifference(xhat, x)), 1);
    const p = tf.clipByValue(xhat, EPS, 1 - EPS);
    const ll = tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p))));
    return tf.neg(tf.sum(tf.mul(mask, ll), 1) as tf.Tensor1D);
  });
}

/** The loss's unit in words. */
export function lossUnit(loss: InferSpec['loss'], visible: number, total: number): string {
  const over = visible === total ? `${total} pixels` : `${visible} visible pixels of ${total}`;
  return loss === 'squared'
    ? `squared error per image, summed over ${over}`
    : `nats per image (Bernoulli), summed over ${over}`;
}

export interface InferenceOptions {
  start: InferSpec['start'];
  loss: InferSpec['loss'];
  learningRate: number;
  seed: number;
}

/** z at step 0: zeros, the encoder's code (zeros without one), or N(0, I).   → [B, S] */
export function startCode(space: CodeSpace, x: tf.Tensor2D, o: InferenceOptions): tf.Tensor2D {
  const shape: [number, number] = [x.shape[0], space.info.size];
  if (o.start === 'encoder' && space.encode) return space.encode(x);
  if (o.start === 'random') return tf.randomNormal(shape, 0, 1, 'float32', o.seed);
  return tf.zeros(shape);
}

/** One inference: the code z of each image of x, and Adam's state for it. */
export class InferenceRun {
  readonly z: tf.Variable<tf.Rank.R2>;
  private readonly optimizer: tf.AdamOptimizer;
  private readonly x: tf.Tensor2D;
  private readonly mask: tf.Tensor2D;
  /** Adam steps taken. */
  step = 0;

  /** x [B, P] and mask [B, P] or [1, P] are cloned: the caller keeps (and disposes) its own. */
  constructor(
    readonly space: CodeSpace,
    x: tf.Tensor2D,
    mask: tf.Tensor2D,
    readonly options: InferenceOptions,
  ) {
    this.x = tf.clone(x);
    this.mask = tf.clone(mask);
    this.z = tf.tidy(() =>
      tf.variable(startCode(space, x, options), true),
    ) as tf.Variable<tf.Rank.R2>;
    this.optimizer = tf.train.adam(options.learningRate);
  }

  /** The loss per image at the current z.   → [B] */
  loss(): tf.Tensor1D {
    return tf.tidy(() => this.lossOf(this.z));
  }

  /**
   * `n` Adam steps, nothing read back. Returns the mean loss per image at z before each step
   * [n], and, if asked, z before each step [n, B, S] (the path); the caller disposes them.
   */
  steps(n: number, keepPath: boolean): { losses: tf.Tensor1D; path: tf.Tensor3D | null } {
    const B = this.x.shape[0];
    const costs: tf.Scalar[] = [];
    const codes: tf.Tensor2D[] = [];
    for (let i = 0; i < n; i++) {
      if (keepPath) codes.push(tf.clone(this.z));
      const cost = this.optimizer.minimize(() => tf.sum(this.lossOf(this.z)) as tf.Scalar, true, [
        this.z,
      ]);
      costs.push(cost!);
      this.step++;
    }
    const losses = tf.tidy(() => tf.div(tf.stack(costs), B) as tf.Tensor1D);
    tf.dispose(costs);
    const path = keepPath ? (tf.stack(codes) as tf.Tensor3D) : null;
    tf.dispose(codes);
    return { losses, path };
  }

  private lossOf(z: tf.Tensor2D): tf.Tensor1D {
    return maskedLoss(this.space.decode(z), this.x, this.mask, this.options.loss);
  }

  dispose(): void {
    tf.dispose([this.z, this.x, this.mask]);
    this.optimizer.dispose();
  }
}

/**
 * The codes of x found by `steps` Adam steps on all pixels (for models without an encoder),
 * read back between chunks so the worker is not blocked for long.   → [B, S], the caller's
 */
export async function inferCodes(
  space: CodeSpace,
  x: tf.Tensor2D,
  steps: number,
  options: Omit<InferenceOptions, 'start'> & { start?: InferSpec['start'] },
): Promise<tf.Tensor2D> {
  const mask = tf.ones([1, x.shape[1]]) as tf.Tensor2D;
  const run = new InferenceRun(space, x, mask, { start: 'zero', ...options });
  mask.dispose();
  try {
    for (let done = 0; done < steps;) {
      const n = Math.min(25, steps - done);
      const { losses } = run.steps(n, false);
      await losses.data(); // lets queued messages in between chunks
      losses.dispose();
      done += n;
    }
    return tf.clone(run.z);
  } finally {
    run.dispose();
  }
}
