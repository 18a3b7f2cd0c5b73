/**
 * A two-layer perceptron in → hidden (ReLU or linear) → out, the body of the MLP encoders
 * and decoders:   x [B, in] → act(x W₁ + b₁) [B, H] → · W₂ + b₂ [B, out]
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../../contracts/config';
import { Dense } from './dense';

export class Mlp {
  readonly hidden: Dense;
  readonly out: Dense;

  constructor(
    inDim: number,
    hiddenDim: number,
    outDim: number,
    private readonly activation: Activation,
    seed: number,
    name: string,
  ) {
    this.hidden = new Dense(inDim, hiddenDim, seed, `${name}/hidden`);
    this.out = new Dense(hiddenDim, outDim, seed + 2, `${name}/out`);
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.hidden.apply(x);
      return this.out.apply(this.activation === 'relu' ? tf.relu(h) : h);
    });
  }

  get variables(): tf.Variable[] {
    return [...this.hidden.variables, ...this.out.variables];
  }
}
