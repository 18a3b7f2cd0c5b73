/**
 * Elementwise unary kernels for TF.js's pure-JS `cpu` backend (Sqrt, Exp, Log, Log1p, Neg, Relu,
 * Step, Sigmoid, Tanh): the stock kernels' formulas, one loop per kernel, bit-identical results.
 *
 * The stock kernels share one loop (tfjs-backend-cpu's createSimpleUnaryImpl):
 *   out[i] = op(x[i], attrs)
 * whose call of `op` sees every unary kernel's function, so V8 does not inline it. Adam's
 * √v̂ (Sqrt over every weight, 10 calls per MLP VAE step) took 29 ms per step that way, as much
 * as all its products on our GEMM (CPU time, `npm run train -- --backend cpu --profile 10`).
 *
 * float32 inputs only; other dtypes (and complex) go to the stock kernels.
 */
import {
  Exp,
  getKernel,
  Log,
  Log1p,
  Neg,
  registerKernel,
  Relu,
  Sigmoid,
  Sqrt,
  Step,
  Tanh,
  unregisterKernel,
  type KernelFunc,
  type StepAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type CpuBackendLike } from './cpu-backend-like';

const CPU = 'cpu';

type Loop = (x: Float32Array, out: Float32Array, attrs: Record<string, unknown>) => void;

/** Each kernel's loop, with the stock kernel's formula (tfjs-backend-cpu/src/kernels/<name>.ts). */
const LOOPS: Record<string, Loop> = {
  [Sqrt]: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]!);
  },
  [Exp]: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!);
  },
  [Log]: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!);
  },
  [Log1p]: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.log1p(x[i]!);
  },
  // Stock: multiplyImpl with the scalar −1 first.
  [Neg]: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = -1 * x[i]!;
  },
  [Relu]: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.max(0, x[i]!);
  },
  [Step]: (x, out, attrs) => {
    const alpha = (attrs as unknown as StepAttrs).alpha;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = isNaN(v) ? NaN : v > 0 ? 1 : alpha;
    }
  },
  [Sigmoid]: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = 1 / (1 + Math.exp(-x[i]!));
  },
  [Tanh]: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!);
  },
};

let installed = false;
let enabled = true;
const stats = { fastCalls: 0, stockCalls: 0 };

/** Sends every call to the stock kernels while false (tests compare the two). */
export function setCpuUnaryEnabled(on: boolean): void {
  enabled = on;
}

export function cpuUnaryStats() {
  return { ...stats };
}

/**
 * Installs the wrappers (once) over the kernels registered for the cpu backend; returns false
 * when the cpu backend package is not loaded yet. A kernel left out of the build is skipped.
 */
export function installCpuFastUnary(): boolean {
  if (installed) return true;
  if (getKernel(Sqrt, CPU) === undefined) return false;
  for (const name of Object.keys(LOOPS)) {
    const original = getKernel(name, CPU);
    if (original === undefined) continue;
    const loop = LOOPS[name]!;
    const kernelFunc: KernelFunc = (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const backend = args.backend as unknown as CpuBackendLike;
      const values = x.dtype === 'float32' ? backend.data.get(x.dataId).values : null;
      if (enabled && values instanceof Float32Array) {
        const out = new Float32Array(values.length);
        loop(values, out, args.attrs ?? {});
        stats.fastCalls++;
        return backend.makeTensorInfo(x.shape, 'float32', out);
      }
      stats.stockCalls++;
      return original.kernelFunc(args);
    };
    unregisterKernel(name, CPU);
    registerKernel({ ...original, kernelFunc });
  }
  installed = true;
  return true;
}
