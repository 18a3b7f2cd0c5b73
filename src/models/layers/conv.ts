/**
 * Convolution layers (NHWC) with seeded initialisation, as plain tf.Variables.
 *   Conv2d:          x [B,H,W,Cin] * W [k,k,Cin,Cout] (stride s, 'same') + b → [B,⌈H/s⌉,⌈W/s⌉,Cout]
 *   ConvTranspose2d: x [B,H,W,Cin] ⊛ᵀ W [k,k,Cout,Cin] (stride s, 'same') + b → [B,H·s,W·s,Cout]
 * On the wasm backend their filter gradients come from src/backends/wasm/conv-wasm-gradients.ts; on webgl the app
 * replaces two gradient kernels at start-up (src/backends/webgl/webgl-kernels.ts).
 */
import * as tf from '@tensorflow/tfjs-core';

let convCount = 0;

/** He-uniform weights U(±√(6/fanIn)) for ReLU nets; PyTorch-style bias U(±1/√fanIn). */
function init(
  shape: number[],
  fanIn: number,
  biasSize: number,
  seed: number,
  name: string,
): [tf.Variable, tf.Variable] {
  const id = `${name}_${convCount++}`;
  const wLimit = Math.sqrt(6 / fanIn);
  const bLimit = 1 / Math.sqrt(fanIn);
  return tf.tidy(() => [
    tf.variable(tf.randomUniform(shape, -wLimit, wLimit, 'float32', seed), true, `${id}/w`),
    tf.variable(
      tf.randomUniform([biasSize], -bLimit, bLimit, 'float32', seed + 1),
      true,
      `${id}/b`,
    ),
  ]);
}

export class Conv2d {
  readonly w: tf.Variable; // [k, k, Cin, Cout]
  readonly b: tf.Variable; // [Cout]

  constructor(
    inChannels: number,
    outChannels: number,
    readonly kernel: number,
    readonly stride: number,
    seed: number,
    name = 'conv',
  ) {
    [this.w, this.b] = init(
      [kernel, kernel, inChannels, outChannels],
      kernel * kernel * inChannels,
      outChannels,
      seed,
      name,
    );
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => tf.add(tf.conv2d(x, this.w as tf.Tensor4D, this.stride, 'same'), this.b));
  }

  get variables(): tf.Variable[] {
    return [this.w, this.b];
  }
}

export class ConvTranspose2d {
  readonly w: tf.Variable; // [k, k, Cout, Cin]
  readonly b: tf.Variable; // [Cout]
  private readonly outChannels: number;

  constructor(
    inChannels: number,
    outChannels: number,
    readonly kernel: number,
    readonly stride: number,
    seed: number,
    name = 'convT',
  ) {
    // conv2dTranspose's filter is [k, k, Cout, Cin]; the bias has Cout entries.
    this.outChannels = outChannels;
    [this.w, this.b] = init(
      [kernel, kernel, outChannels, inChannels],
      kernel * kernel * inChannels,
      outChannels,
      seed,
      name,
    );
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const [B, H, W] = x.shape;
    const out: [number, number, number, number] = [
      B,
      H * this.stride,
      W * this.stride,
      this.outChannels,
    ];
    return tf.tidy(() =>
      tf.add(tf.conv2dTranspose(x, this.w as tf.Tensor4D, out, this.stride, 'same'), this.b),
    );
  }

  get variables(): tf.Variable[] {
    return [this.w, this.b];
  }
}
