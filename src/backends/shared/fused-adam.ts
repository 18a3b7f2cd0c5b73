/**
 * One Adam update of one variable in a single pass: the formula, the plain loop, and the kernel
 * for the cpu backend (the wasm backend's, a SIMD loop, is ../wasm/wasm-adam; the optimizer that
 * calls them is src/train/fused-adam.ts). TF.js's own Adam builds each update
 * from about ten element-wise kernels, each allocating a tensor and streaming the variable's size
 * through memory; here one loop reads x, m, v and g once and writes x', m', v' once.
 *
 * With step t's accumulated powers a1 = β1ᵗ and a2 = β2ᵗ (inputs, scalars, read from the backend's
 * memory: no host read), and exactly TF.js's AdamOptimizer formula, in float32 like it:
 *   m' = β1·m + (1 − β1)·g
 *   v' = β2·v + (1 − β2)·g²
 *   x' = x − lr · (m' / (1 − a1)) / (√(v' / (1 − a2)) + ε)
 *
 * Inputs: x, m, v, g (float32, one shape), accBeta1, accBeta2 (float32 scalars).
 * Outputs: [x', m', v'] (new tensors; the optimizer assigns them to its variables).
 */
import { registerKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { FUSED_ADAM, type FusedAdamAttrs } from '../../contracts/fused-adam';
import type { CpuBackendLike } from '../cpu/cpu-backend-like';

/**
 * The update's constants, each rounded to float32 as the element-wise kernels' scalars are:
 * [β1, 1 − β1, β2, 1 − β2, 1 − a1, 1 − a2, ε, −lr].
 */
export function adamConstants(
  { learningRate, beta1, beta2, epsilon }: FusedAdamAttrs,
  a1: number,
  a2: number,
): [number, number, number, number, number, number, number, number] {
  const f = Math.fround;
  return [
    f(beta1),
    f(1 - beta1),
    f(beta2),
    f(1 - beta2),
    f(1 - a1),
    f(1 - a2),
    f(epsilon),
    f(-learningRate),
  ];
}

/** The update over plain arrays (see the header); outputs may not alias inputs. */
export function adamUpdate(
  [x, m, v, g]: Float32Array[],
  [x1, m1, v1]: Float32Array[],
  a1: number,
  a2: number,
  attrs: FusedAdamAttrs,
): void {
  const [B1, b1, B2, b2, c1, c2, eps, lr] = adamConstants(attrs, a1, a2);
  const f = Math.fround;
  const n = x!.length;
  for (let i = 0; i < n; i++) {
    const gi = g![i]!;
    const mi = f(f(B1 * m![i]!) + f(b1 * gi));
    const vi = f(f(B2 * v![i]!) + f(b2 * f(gi * gi)));
    const den = f(f(Math.sqrt(f(vi / c2))) + eps);
    const step = f(f(f(mi / c1) / den) * lr);
    m1![i] = mi;
    v1![i] = vi;
    x1![i] = x![i]! + step;
  }
}

const NAMES = ['x', 'm', 'v', 'g'] as const;

/** x, m, v, g; throws unless they are float32 of one shape. */
export function adamInputs(inputs: Record<string, TensorInfo | undefined>): TensorInfo[] {
  const ts = NAMES.map((k) => inputs[k]);
  const [x] = ts;
  const ok = ts.every((t) => t?.dtype === 'float32' && t.shape.join() === x?.shape.join());
  if (!ok) throw new Error(`${FUSED_ADAM}: x, m, v and g must be float32 of one shape`);
  return ts as TensorInfo[];
}

const cpuAdam: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const ts = adamInputs(inputs);
  const backend = anyBackend as unknown as CpuBackendLike;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const size = values(ts[0]!).length;
  const outs = [0, 1, 2].map(() => new Float32Array(size));
  const [a1, a2] = [inputs.accBeta1, inputs.accBeta2].map((t) => values(t!)[0]!) as number[];
  adamUpdate(ts.map(values), outs, a1!, a2!, attrs as unknown as FusedAdamAttrs);
  return outs.map((o) => backend.makeTensorInfo(ts[0]!.shape, 'float32', o));
};

/** Registers the kernel for the cpu backend; again does nothing. */
export function installCpuAdam(): void {
  try {
    registerKernel({ kernelName: FUSED_ADAM, backendName: 'cpu', kernelFunc: cpuAdam });
  } catch {
    // Already registered.
  }
}
