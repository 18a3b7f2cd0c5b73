/**
 * The encoder body and decoder of the vector-latent models (AE, VAE), MLP or convolutional:
 *   mlp   body x [B,P] → act(x W + b) [B,H]            decoder z → act(·) [B,H] → logits [B,P]
 *   conv  body x [B,784] → features [B,3136]           decoder z → … → logits [B,784]
 * (conv layouts in conv-image-nets.ts; conv models need 28×28 inputs).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, Architecture } from '../../contracts/config';
import { CONV_FEATURES, ConvFeatures, ConvImageDecoder } from './conv-image-nets';
import { Dense } from './dense';
import { Mlp } from './mlp';

export interface Net {
  apply(x: tf.Tensor2D): tf.Tensor2D;
  readonly variables: tf.Variable[];
}

class DenseActivation implements Net {
  private readonly dense: Dense;
  constructor(
    inDim: number,
    outDim: number,
    private readonly activation: Activation,
    seed: number,
    name: string,
  ) {
    this.dense = new Dense(inDim, outDim, seed, name);
  }
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.dense.apply(x);
      return this.activation === 'relu' ? tf.relu(h) : h;
    });
  }
  get variables(): tf.Variable[] {
    return this.dense.variables;
  }
}

export interface BodyOptions {
  arch: Architecture;
  inputDim: number;
  hiddenDim: number;
  activation: Activation;
}

/** The encoder up to its last hidden layer, and that layer's width. */
export function encoderBody(
  o: BodyOptions,
  seed: number,
  name: string,
): { net: Net; width: number } {
  if (o.arch === 'conv') {
    if (o.inputDim !== 784)
      throw new Error(`the conv architecture needs 28×28 images, got ${o.inputDim} pixels`);
    return { net: new ConvFeatures(seed, name), width: CONV_FEATURES };
  }
  return {
    net: new DenseActivation(o.inputDim, o.hiddenDim, o.activation, seed, name),
    width: o.hiddenDim,
  };
}

/** z [B,D] → Bernoulli logits [B,P]. */
export function decoderNet(o: BodyOptions, latentDim: number, seed: number, name: string): Net {
  return o.arch === 'conv'
    ? new ConvImageDecoder(latentDim, seed, name)
    : new Mlp(latentDim, o.hiddenDim, o.inputDim, o.activation, seed, name);
}
