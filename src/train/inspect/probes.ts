/**
 * The `probeReconstructions` answer: every probe digit and its deterministic reconstruction, as
 * grey levels, from one batched model call. The page asks for it while a user hovers the latent
 * scatter (at most once per evaluation) and then shows any hovered digit without asking again.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InspectAnswer } from '../../contracts/inspect';
import type { Trainer } from '../trainer';

/** Intensities in [0, 1] → grey levels 0..255, into `out`. */
function toGrey(values: ArrayLike<number>, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) {
    const v = values[i]!;
    out[i] = v >= 1 ? 255 : v > 0 ? Math.round(v * 255) : 0;
  }
}

export async function probeReconstructions(
  trainer: Trainer,
): Promise<Extract<InspectAnswer, { kind: 'probeReconstructions' }>> {
  const x = trainer.probeX;
  const [count, P] = x.shape;
  const step = trainer.step;
  // Issued at once, so every row comes from the same weights (training may go on between reads).
  const r = tf.tidy(() => trainer.model.reconstruct(x, trainer.probeY));
  try {
    const [xs, rs] = await Promise.all([x.data(), r.data()]);
    const inputs = new Uint8Array(count * P);
    const reconstructions = new Uint8Array(count * P);
    toGrey(xs, inputs);
    toGrey(rs, reconstructions);
    return {
      kind: 'probeReconstructions',
      step,
      count,
      height: trainer.height,
      width: trainer.width,
      inputs,
      reconstructions,
    };
  } finally {
    r.dispose();
  }
}
