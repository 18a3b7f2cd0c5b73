/**
 * Makes 2-D convolutions trainable on the TF.js wasm backend (side-effect module).
 *
 * tfjs-backend-wasm 4.22 registers Conv2D (XNNPACK) and Conv2DBackpropInput (which is both
 * ∂L/∂x of conv2d and the forward pass of conv2dTranspose), but no Conv2DBackpropFilter kernel.
 * The registered gradients of Conv2D and of Conv2DBackpropInput (= conv2dTranspose) both call
 * conv2DBackpropFilter for ∂L/∂W, so any conv model throws on wasm as soon as it trains. This
 * module registers the missing kernel for backendName 'wasm' only; cpu/webgl/webgpu keep theirs,
 * and if a future wasm build ships its own kernel we leave it alone.
 *
 * With it, on wasm (NHWC, dilation 1, any stride, 'same' | 'valid' | explicit padding):
 *   conv2d           forward: Conv2D (wasm)              ∂x: Conv2DBackpropInput (wasm)   ∂W: here
 *   conv2dTranspose  forward: Conv2DBackpropInput (wasm) ∂dy: Conv2D (wasm)               ∂W: here
 *
 * The kernel is conv2DBackpropFilterByConv('wasm') (./conv-filter-by-conv, with the formula):
 * dW as one stride-1 dilated Conv2D with batch and channel roles swapped, run by the wasm
 * backend's own XNNPACK Conv2D kernel; the rest is Slice/PadV2/Transpose copies of X and dY.
 * Measured on wasm+SIMD (Node, one thread) for X [128,14,14,32], W [3,3,32,64], stride 2: ~25 ms,
 * against ~385 ms for an im2col + BatchMatMul formulation and ~220 ms (and wrong for stride 2
 * 'same') through the wasm Conv3DBackpropFilterV2 kernel with depth 1.
 *
 * Limitations: NHWC only (the wasm Conv2D kernel itself rejects NCHW, so an NCHW conv cannot
 * train on wasm anyway); dilation 1 (tfjs's Conv2D gradient asserts this for every backend);
 * float32 only.
 */
import { Conv2DBackpropFilter, getKernel, registerKernel } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterByConv } from '../shared/conv-filter-by-conv';
// ∂L/∂W needs the gradient functions themselves registered (tfjs-core registers none).
import '@tensorflow/tfjs-core/dist/register_all_gradients';

const WASM = 'wasm';

if (getKernel(Conv2DBackpropFilter, WASM) === undefined) {
  registerKernel({
    kernelName: Conv2DBackpropFilter,
    backendName: WASM,
    kernelFunc: conv2DBackpropFilterByConv(WASM),
  });
}
