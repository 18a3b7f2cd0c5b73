/**
 * The code a model's decoder reads, as inference by optimisation sees it: one flat vector per
 * image that gradient steps can move, a differentiable decoding of it, its discrete reading, and
 * the encoder's one-shot code when there is an encoder. Derived from the model interface alone
 * (src/models/latent-model.ts), so any model that offers these hooks gets inference,
 * restoration and editing without code of its own.
 *
 *   kind           code z [B, S]                  decode (differentiable)        discrete reading
 *   continuous     latent z, S = L                decodeLatent(z)                —
 *   pre-quantised  z_e flattened, S = n·D          decodeContinuous(z, false)     decodeContinuous(z, true)
 *   categorical    logits ℓ, S = n·K              decodeSoft(softmax(ℓ))         decodeCodes(argmax ℓ)
 *                  (straight-through: one_hot(argmax ℓ) forward, softmax's gradient backward)
 * n = latent positions, D = code size, K = codes per position.
 */
import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from '../../ops/one-hot';
import { straightThrough } from '../../ops/stop-gradient';
import type { InferenceCodes, InferSpec } from '../../contracts/inspect';
import type { LatentModel } from '../../models/latent-model';

export interface CodeSpace {
  info: InferenceCodes;
  /** z [B, S] → intensities [B, P] in [0, 1], differentiable in z. */
  decode(z: tf.Tensor2D): tf.Tensor2D;
  /** The discrete reading of z (quantised, argmax codes), or null for continuous latents. */
  discrete: ((z: tf.Tensor2D) => tf.Tensor2D) | null;
  discreteLabel: string | null;
  /** The encoder's code of x in one shot, or null for a model without an encoder.   [B, S] */
  encode: ((x: tf.Tensor2D) => tf.Tensor2D) | null;
  /** The image a code stands for when edited: the discrete reading if any, else decode. */
  show(z: tf.Tensor2D): tf.Tensor2D;
}

/** The model's code space, or null when it offers no decoder to invert. */
export function codeSpaceOf(m: LatentModel, relax: InferSpec['relax'] = 'soft'): CodeSpace | null {
  const encoder = m.hasEncoder !== false;
  if (m.decodeLatent && m.latentDim) {
    const decode = m.decodeLatent.bind(m);
    return {
      info: { kind: 'continuous', size: m.latentDim, encoder, editable: true },
      decode,
      discrete: null,
      discreteLabel: null,
      encode: encoder ? (x) => m.embed(x) : null,
      show: decode,
    };
  }
  const layout = m.codeLayout;
  if (m.decodeContinuous && m.encodeContinuous && layout && m.codebookVectors) {
    const e = m.codebookVectors();
    const D = e.shape[1];
    e.dispose();
    const decodeContinuous = m.decodeContinuous.bind(m);
    const quantised = (z: tf.Tensor2D) => decodeContinuous(z, true);
    return {
      info: { kind: 'pre-quantised', size: layout.positions * D, encoder, editable: true },
      decode: (z) => decodeContinuous(z, false),
      discrete: quantised,
      discreteLabel: 'quantised (z_q)',
      encode: encoder ? m.encodeContinuous.bind(m) : null,
      show: quantised,
    };
  }
  if (m.decodeSoft && m.decodeCodes && layout) {
    const { positions: n, size: K } = layout;
    const decodeSoft = m.decodeSoft.bind(m);
    const decodeCodes = m.decodeCodes.bind(m);
    const perPosition = (z: tf.Tensor2D) => tf.reshape(z, [z.shape[0], n, K]) as tf.Tensor3D;
    const codeLogits = m.codeLogits?.bind(m);
    const discrete = (z: tf.Tensor2D) =>
      tf.tidy(() => decodeCodes(tf.argMax(perPosition(z), 2) as tf.Tensor2D));
    return {
      info: { kind: 'categorical', size: n * K, encoder: encoder && !!codeLogits, editable: false },
      decode: (z) =>
        tf.tidy(() => {
          const soft = tf.softmax(perPosition(z)) as tf.Tensor3D;
          if (relax === 'soft') return decodeSoft(soft);
          const hard = oneHotFloat(tf.argMax(soft, 2), K) as tf.Tensor3D;
          return decodeSoft(straightThrough(soft, hard));
        }),
      discrete,
      discreteLabel: 'most likely codes',
      encode:
        encoder && codeLogits
          ? (x) => tf.tidy(() => tf.reshape(codeLogits(x), [x.shape[0], n * K]) as tf.Tensor2D)
          : null,
      show: discrete,
    };
  }
  return null;
}
