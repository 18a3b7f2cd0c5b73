/**
 * Adam as TF.js's AdamOptimizer computes it, with each variable's update as one fused kernel
 * (src/backends/shared/fused-adam.ts) where the backend has it (wasm, cpu): one pass over the
 * variable instead of about ten element-wise kernels. Elsewhere (webgl, webgpu) it is TF.js's
 * own Adam. The state (m, v per variable; β1ᵗ, β2ᵗ; the iteration count) is the parent's, so
 * getWeights / setWeights, checkpoints and run files are unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FUSED_ADAM, type FusedAdamAttrs } from '../contracts/fused-adam';

type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** The parent's fields this class reads (protected or untyped in tfjs-core's declarations). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  incrementIterations(): void;
}

export class FusedAdam extends tf.AdamOptimizer {
  /** Adam with TF.js's defaults (β1 0.9, β2 0.999, the backend's ε), as tf.train.adam(lr). */
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999);
  }

  /** Whether the current backend runs the fused update (else TF.js's Adam does). */
  static available(): boolean {
    return tf.getKernel(FUSED_ADAM, tf.getBackend()) !== undefined;
  }

  override applyGradients(variableGradients: Gradients): void {
    if (!FusedAdam.available()) return super.applyGradients(variableGradients);
    const self = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    const attrs: FusedAdamAttrs = {
      learningRate: self.learningRate,
      beta1: self.beta1,
      beta2: self.beta2,
      epsilon: self.epsilon,
    };
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      if (value === undefined) return;
      self.accumulatedFirstMoment[i] ??= {
        originalName: `${name}/m`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      self.accumulatedSecondMoment[i] ??= {
        originalName: `${name}/v`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      const gradient = Array.isArray(variableGradients)
        ? variableGradients[i]?.tensor
        : variableGradients[name];
      if (gradient == null) return;
      const m = self.accumulatedFirstMoment[i].variable;
      const v = self.accumulatedSecondMoment[i].variable;
      const [x1, m1, v1] = tf
        .engine()
        .runKernel(
          FUSED_ADAM,
          { x: value, m, v, g: gradient, accBeta1: self.accBeta1, accBeta2: self.accBeta2 },
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
      value.assign(x1!);
      m.assign(m1!);
      v.assign(v1!);
      tf.dispose([x1!, m1!, v1!]);
    });
    tf.tidy(() => {
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    self.incrementIterations();
  }
}
