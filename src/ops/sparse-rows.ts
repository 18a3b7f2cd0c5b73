/**
 * Sparse steps on the rows of a table (GLO's codes, one row per training image): only the rows a
 * batch names move; every other row is copied unchanged, bit for bit. Adam on the whole table
 * would not do: its moments keep moving every row long after its image left the batch.
 *
 *   SGD    z_i ← z_i − η g_i
 *   Adam   per row, its own step count t_i (the steps row i took part in, "lazy" Adam):
 *          t_i ← t_i + 1,  m_i ← β₁ m_i + (1 − β₁) g_i,  v_i ← β₂ v_i + (1 − β₂) g_i²
 *          z_i ← z_i − η m̂_i / (√v̂_i + ε),  m̂_i = m_i / (1 − β₁^t_i),  v̂_i = v_i / (1 − β₂^t_i)
 *   ball   z_i ← z_i / max(1, ‖z_i‖₂)  (the projection onto the unit ball, after every step)
 * Rows are gathered, stepped and written back with tensorScatterUpdate.
 */
import * as tf from '@tensorflow/tfjs-core';

export const ROW_ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** Per-row Adam state, the same number of rows as the table. */
export interface RowAdamState {
  m: tf.Variable; // [N, d]
  v: tf.Variable; // [N, d]
  /** Steps each row has taken.   [N] */
  t: tf.Variable;
}

/** Each row scaled back into the unit ball: z / max(1, ‖z‖).   [B, d] → [B, d] */
export function projectToUnitBall(z: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.sum(tf.square(z), 1, true)); // [B, 1]
    return tf.div(z, tf.maximum(norm, 1)) as tf.Tensor2D;
  });
}

/** A zeroed Adam state for a table of `rows` × `dims`. */
export function rowAdamState(rows: number, dims: number, name: string): RowAdamState {
  return tf.tidy(() => ({
    m: tf.variable(tf.zeros([rows, dims]), false, `${name}/m`),
    v: tf.variable(tf.zeros([rows, dims]), false, `${name}/v`),
    t: tf.variable(tf.zeros([rows]), false, `${name}/t`),
  }));
}

/**
 * One step on the rows `indices` of `table` with their gradients, then the ball projection of
 * those rows. Indices must be distinct (a batch of a shuffled epoch).
 *   table [N, d], indices int32 [B], grad [B, d]; adam: the table's state, or null for SGD
 */
export function sparseRowStep(
  table: tf.Variable,
  indices: tf.Tensor1D,
  grad: tf.Tensor2D,
  learningRate: number,
  adam: RowAdamState | null,
): void {
  tf.tidy(() => {
    const at = tf.expandDims(indices, 1) as tf.Tensor2D; // [B, 1]
    const z = tf.gather(table, indices) as tf.Tensor2D; // [B, d]
    let step: tf.Tensor2D = tf.mul(grad, learningRate); // SGD: η g
    if (adam) {
      const { beta1, beta2, epsilon } = ROW_ADAM;
      const t = tf.add(tf.gather(adam.t, indices), 1); // [B]
      const m = tf.add(tf.mul(tf.gather(adam.m, indices), beta1), tf.mul(grad, 1 - beta1));
      const v = tf.add(
        tf.mul(tf.gather(adam.v, indices), beta2),
        tf.mul(tf.square(grad), 1 - beta2),
      );
      const tCol = tf.expandDims(t, 1); // [B, 1]
      const mHat = tf.div(m, tf.sub(1, tf.pow(tf.scalar(beta1), tCol)));
      const vHat = tf.div(v, tf.sub(1, tf.pow(tf.scalar(beta2), tCol)));
      step = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), learningRate) as tf.Tensor2D;
      adam.m.assign(tf.tensorScatterUpdate(adam.m, at, m));
      adam.v.assign(tf.tensorScatterUpdate(adam.v, at, v));
      adam.t.assign(tf.tensorScatterUpdate(adam.t, at, t));
    }
    const next = projectToUnitBall(tf.sub(z, step) as tf.Tensor2D);
    table.assign(tf.tensorScatterUpdate(table, at, next));
  });
}
