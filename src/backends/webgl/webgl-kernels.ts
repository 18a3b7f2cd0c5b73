/**
 * Our replacements for TF.js webgl backend kernels. Call once '@tensorflow/tfjs-backend-webgl'
 * is imported (before or after the backend starts); calling again does nothing. Each avoids work
 * the stock kernel wastes (a plain loop instead of the packed matmul, which does 4 multiply-adds
 * per two RGBA texel reads; an im2col matrix far bigger than needed; a matmul whose every
 * fragment streams the whole batch; copies through unpacked transposes), with the same
 * arithmetic on any GPU, so they are used on real GPUs and software renderers alike.
 *
 *   Conv2DBackpropFilter  ∂L/∂W of conv2d and conv2dTranspose. The stock shader
 *                         (conv_backprop_gpu.js) gives each filter entry one fragment that loops
 *                         over the whole batch and image, one multiply-add per two single-float
 *                         reads (dW 3·3·64·32 over 128·14·14 positions: 18,432 fragments ×
 *                         25,088 iterations). Ours: grouped im2col + batched packed matmul + a
 *                         sum over groups (./webgl-filter-by-im2col), or, for convs with few
 *                         output channels (the decoders' last conv, dW [3,3,32,1]), dY spread
 *                         to the input positions + one batched matmul (./webgl-filter-by-taps).
 *   Conv2DBackpropInput   conv2dTranspose forward and conv2d ∂L/∂x. The stock packed shader
 *                         visits all KH·KW taps per output and skips the (s²−1)/s² that land
 *                         on inserted zeros, with 2 multiply-adds per texel read. Ours: when
 *                         dX has no more channels than dY, tap products on dY's grid + one
 *                         gather-add shader (./webgl-input-by-taps); else one stride-1 Conv2D
 *                         per sub-pixel phase (./conv-input-by-phases), the phases interleaved
 *                         by one shader (./webgl-interleave-phases).
 *   Conv2D                convs with few output channels (the decoders' last conv, 32 → 1) as
 *                         tap products + shift-and-add (./webgl-conv-by-taps) instead of an
 *                         im2col matrix Ci/Co times bigger; other convs keep the stock kernel.
 *   Sum                   sums over all but the last axis (bias gradients) as products with
 *                         ones (./webgl-sum-by-matmul), without the stock kernel's transpose.
 */
import { Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput, Sum } from '@tensorflow/tfjs-core';
import { conv2DBackpropInputByPhases } from '../shared/conv-input-by-phases';
import { overrideKernel } from '../shared/override-kernel';
import { conv2DByTaps } from './webgl-conv-by-taps';
import { conv2DBackpropFilterByIm2col } from './webgl-filter-by-im2col';
import { conv2DBackpropFilterByTaps } from './webgl-filter-by-taps';
import { conv2DBackpropInputByTaps } from './webgl-input-by-taps';
import { interleavePhasesWebgl } from './webgl-interleave-phases';
import { sumByMatMul } from './webgl-sum-by-matmul';

const WEBGL = 'webgl';

/** Installs our webgl kernels; returns false when the webgl backend package is not loaded yet. */
export function installWebglKernels(): boolean {
  const results = [
    overrideKernel(WEBGL, Conv2DBackpropFilter, (stock) => {
      const byTaps = conv2DBackpropFilterByTaps(WEBGL);
      const byIm2col = conv2DBackpropFilterByIm2col(WEBGL, stock);
      return (args) => byTaps(args) ?? byIm2col(args);
    }),
    overrideKernel(WEBGL, Conv2DBackpropInput, (stock) => {
      const byTaps = conv2DBackpropInputByTaps(WEBGL);
      const byPhases = conv2DBackpropInputByPhases(WEBGL, stock, interleavePhasesWebgl);
      return (args) => byTaps(args) ?? byPhases(args);
    }),
    overrideKernel(WEBGL, Conv2D, (stock) => conv2DByTaps(WEBGL, stock)),
    overrideKernel(WEBGL, Sum, (stock) => sumByMatMul(WEBGL, stock)),
  ];
  return results.every(Boolean);
}
