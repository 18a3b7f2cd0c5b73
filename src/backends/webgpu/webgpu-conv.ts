/**
 * Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter on the webgpu backend through the
 * barrier-free programs of ./webgpu-conv-programs, on software adapters only (see
 * ./webgpu-matmul for why: TF.js's Conv2DMMProgram and its gradients' programs tile through
 * workgroup memory with barriers, which SwiftShader runs as coroutine switches). Measured there
 * for the conv VAE (2 cores): one training step's filter gradients took ~30 s, the forward
 * convolutions ~15 s and the input gradients ~8 s the stock way.
 *
 * Handled: float32, NHWC ('channelsLast'). Everything else keeps the stock kernel.
 */
import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  registerKernel,
  unregisterKernel,
  type Conv2DAttrs,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { convLoopBounds, convProgram, type ConvKind } from './webgpu-conv-programs';
import {
  dispatchFits,
  onSoftwareAdapter,
  withShape,
  type WebGpuBackendLike,
  float32Data,
} from './webgpu-program';

type Conv2DInfo = backend_util.Conv2DInfo;

const WEBGPU = 'webgpu';
let installed = false;
let ourCalls = 0;

/** Convolutions (and their gradients) that went through our programs (for tests). */
export function webgpuConvCalls(): number {
  return ourCalls;
}

type Shape4 = [number, number, number, number];

/** The convolution's geometry, or null for a case we leave to the stock kernel. */
function convInfo(
  inShape: number[],
  filterShape: number[],
  attrs: { strides: Conv2DAttrs['strides']; pad: Conv2DAttrs['pad'] } & Partial<Conv2DAttrs>,
): Conv2DInfo | null {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') return null;
  if (inShape.length !== 4 || filterShape.length !== 4) return null;
  return backend_util.computeConv2DInfo(
    inShape as Shape4,
    filterShape as Shape4,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

function run(
  kind: ConvKind,
  backend: WebGpuBackendLike,
  info: Conv2DInfo,
  inputs: TensorInfo[],
  outShape: number[],
): TensorInfo | null {
  if (!float32Data(backend, ...inputs)) return null;
  if (outShape.some((d) => d === 0)) return null;
  const program = convProgram(kind, info);
  if (!dispatchFits(backend, program.dispatch)) return null;
  const out = backend.runWebGPUProgram(program, inputs, 'float32', convLoopBounds(kind, info));
  ourCalls++;
  return withShape(out, outShape);
}

const kernels: Record<
  ConvKind,
  { name: string; ours: (args: Parameters<KernelFunc>[0]) => TensorInfo | null }
> = {
  forward: {
    name: Conv2D,
    ours: ({ inputs, attrs, backend }) => {
      const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
      const info = convInfo(x.shape, filter.shape, attrs as unknown as Conv2DAttrs);
      if (!info) return null;
      return run('forward', backend as never, info, [x, filter], info.outShape);
    },
  },
  inputGrad: {
    name: Conv2DBackpropInput,
    ours: ({ inputs, attrs, backend }) => {
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      const a = attrs as unknown as Conv2DBackpropInputAttrs;
      const info = convInfo(a.inputShape, filter.shape, a);
      if (!info) return null;
      return run('inputGrad', backend as never, info, [dy, filter], info.inShape);
    },
  },
  filterGrad: {
    name: Conv2DBackpropFilter,
    ours: ({ inputs, attrs, backend }) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const a = attrs as unknown as Conv2DBackpropFilterAttrs;
      const info = convInfo(x.shape, a.filterShape, a);
      if (!info) return null;
      return run('filterGrad', backend as never, info, [x, dy], info.filterShape);
    },
  },
};

/** Installs the three wrappers; returns false when the webgpu backend package is not loaded yet. */
export function installWebgpuConv(): boolean {
  if (installed) return true;
  const originals = Object.values(kernels).map((k) => getKernel(k.name, WEBGPU));
  if (originals.some((k) => k === undefined)) return false;
  Object.values(kernels).forEach(({ name, ours }, i) => {
    const original = originals[i]!;
    const kernelFunc: KernelFunc = (args) => {
      const backend = args.backend as unknown as WebGpuBackendLike;
      if (!onSoftwareAdapter(backend)) return original.kernelFunc(args);
      return ours(args) ?? original.kernelFunc(args);
    };
    const config: KernelConfig = { ...original, kernelFunc };
    unregisterKernel(name, WEBGPU);
    registerKernel(config);
  });
  installed = true;
  return true;
}
