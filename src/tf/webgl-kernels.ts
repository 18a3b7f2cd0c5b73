/**
 * Our replacements for TF.js webgl backend kernels. Call once '@tensorflow/tfjs-backend-webgl'
 * is imported (before or after the backend starts); calling again does nothing. Both rewrite a
 * convolution gradient whose stock shader is a plain loop into the backend's own forward Conv2D,
 * which webgl runs as im2col + packed matmul (4 multiply-adds per two RGBA texel reads). Same
 * arithmetic on any GPU, so they are used on real GPUs and software renderers alike.
 *
 *   Conv2DBackpropFilter  ∂L/∂W of conv2d and conv2dTranspose as one dilated Conv2D
 *                         (./conv-filter-by-conv). The stock shader (conv_backprop_gpu.js) gives
 *                         each filter entry one fragment that loops over the whole batch and
 *                         image, one multiply-add per two single-float reads: for the decoder's
 *                         last transposed conv (dW 3·3·64·32, B·OH·OW = 128·14·14) 18,432
 *                         fragments × 25,088 iterations. Filters with Co < 4 keep the stock
 *                         kernel (MIN_FILTER_OUT_CHANNELS).
 *   Conv2DBackpropInput   conv2dTranspose forward and conv2d ∂L/∂x as one stride-1 Conv2D per
 *                         sub-pixel phase (./conv-input-by-phases). The stock packed shader
 *                         visits all KH·KW taps per output and skips the (s²−1)/s² that land
 *                         on inserted zeros, with 2 multiply-adds per texel read.
 */
import {
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  registerKernel,
  unregisterKernel,
  type Conv2DBackpropFilterAttrs,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterByConv } from './conv-filter-by-conv';
import { conv2DBackpropInputByPhases } from './conv-input-by-phases';

const WEBGL = 'webgl';
/**
 * Filters with fewer output channels keep the stock Conv2DBackpropFilter: the im2col matrix
 * (B·OH·OW·KH·KW·Ci values) is reused by only Co multiply-adds per value, and at Co = 1 building
 * it costs more than the stock loop (the decoder's last conv, dW [3,3,32,1] at batch 128 on
 * SwiftShader: ~0.9 s stock, ~1.8 s composed).
 */
const MIN_FILTER_OUT_CHANNELS = 4;
let installed = false;

/** Installs our webgl kernels; returns false when the webgl backend package is not loaded yet. */
export function installWebglKernels(): boolean {
  if (installed) return true;
  const stockFilter = getKernel(Conv2DBackpropFilter, WEBGL);
  const stockInput = getKernel(Conv2DBackpropInput, WEBGL);
  if (stockFilter === undefined || stockInput === undefined) return false;
  const byConv = conv2DBackpropFilterByConv(WEBGL);
  const filterKernel: KernelFunc = (args) => {
    const { filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const composed = (filterShape[3] ?? 0) >= MIN_FILTER_OUT_CHANNELS;
    return composed ? byConv(args) : stockFilter.kernelFunc(args);
  };
  unregisterKernel(Conv2DBackpropFilter, WEBGL);
  registerKernel({ ...stockFilter, kernelFunc: filterKernel });
  unregisterKernel(Conv2DBackpropInput, WEBGL);
  registerKernel({
    ...stockInput,
    kernelFunc: conv2DBackpropInputByPhases(WEBGL, stockInput.kernelFunc),
  });
  installed = true;
  return true;
}
