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
  Log,
  Log1p,
  Neg,
  Relu,
  Sigmoid,
  Sqrt,
  Step,
  Tanh,
  type StepAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { overrideKernel } from '../shared/override-kernel';
import { type CpuBackendLike, float32Values } from './cpu-backend-like';

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

/**
 * Installs the overrides (once) over the kernels registered for the cpu backend; returns false
 * when the cpu backend package is not loaded yet. A kernel left out of the build is skipped.
 */
export function installCpuFastUnary(): boolean {
  let any = false;
  for (const [name, loop] of Object.entries(LOOPS)) {
    const ok = overrideKernel('cpu', name, () => (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const backend = args.backend as unknown as CpuBackendLike;
      const values = float32Values(backend, x);
      if (values === null) return null;
      const out = new Float32Array(values.length);
      loop(values, out, args.attrs ?? {});
      return backend.makeTensorInfo(x.shape, 'float32', out);
    });
    any ||= ok;
  }
  return any;
}
