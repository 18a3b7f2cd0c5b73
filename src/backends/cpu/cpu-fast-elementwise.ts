/**
 * Add, Sub, Multiply and RealDiv for TF.js's pure-JS `cpu` backend: the same arithmetic as the
 * stock kernels (each element computed in double precision and stored to float32, so results are
 * bit-identical), in one tight loop per operation.
 *
 * The stock kernels share one loop (tfjs-backend-cpu's createSimpleBinaryKernelImpl) that calls
 * the operation through a function value and indexes both operands modulo their lengths:
 *   out[i] = op(a[i % a.length], b[i % b.length])
 * Shared by every binary kernel, that call site is megamorphic, so V8 cannot inline the
 * operation: ~3 ns per element here. After our GEMM (./cpu-fast-matmul) these kernels took 75 %
 * of an MLP VAE training step (Adam's moment updates, the bias adds): 196 of 265 ms per step
 * (`npm run train -- --backend cpu --profile 5`).
 *
 * Handled here: float32 operands where one is the whole output and the other is the same shape,
 * a single value, or repeats along the output's leading axes (after its own leading 1s):
 *   same shape          out[i] = a[i] ∘ b[i]
 *   scalar b (or a)     out[i] = a[i] ∘ s
 *   trailing b (or a)   out[r·L + j] = a[r·L + j] ∘ b[j]   (a bias [L] or [1, L] against [R, L])
 * Everything else (other dtypes, other broadcasts such as [R, 1] against [R, L]) goes to the
 * stock kernel.
 */
import { Add, backend_util, Multiply, RealDiv, Sub, type TensorInfo } from '@tensorflow/tfjs-core';
import { overrideKernel } from '../shared/override-kernel';
import { type CpuBackendLike, float32Values } from './cpu-backend-like';

type F32 = Float32Array;

/** One operation's loops; each is its own function so V8 inlines the arithmetic. */
interface Loops {
  /** out[o + i] = a[ai + i] ∘ b[bi + i] for i < len */
  both(a: F32, ai: number, b: F32, bi: number, out: F32, o: number, len: number): void;
  /** out[i] = a[i] ∘ s */
  right(a: F32, s: number, out: F32): void;
  /** out[i] = s ∘ b[i] */
  left(s: number, b: F32, out: F32): void;
}

const LOOPS: Record<string, Loops> = {
  [Add]: {
    both(a, ai, b, bi, out, o, len) {
      for (let i = 0; i < len; i++) out[o + i] = a[ai + i]! + b[bi + i]!;
    },
    right(a, s, out) {
      for (let i = 0; i < out.length; i++) out[i] = a[i]! + s;
    },
    left(s, b, out) {
      for (let i = 0; i < out.length; i++) out[i] = s + b[i]!;
    },
  },
  [Sub]: {
    both(a, ai, b, bi, out, o, len) {
      for (let i = 0; i < len; i++) out[o + i] = a[ai + i]! - b[bi + i]!;
    },
    right(a, s, out) {
      for (let i = 0; i < out.length; i++) out[i] = a[i]! - s;
    },
    left(s, b, out) {
      for (let i = 0; i < out.length; i++) out[i] = s - b[i]!;
    },
  },
  [Multiply]: {
    both(a, ai, b, bi, out, o, len) {
      for (let i = 0; i < len; i++) out[o + i] = a[ai + i]! * b[bi + i]!;
    },
    right(a, s, out) {
      for (let i = 0; i < out.length; i++) out[i] = a[i]! * s;
    },
    left(s, b, out) {
      for (let i = 0; i < out.length; i++) out[i] = s * b[i]!;
    },
  },
  [RealDiv]: {
    both(a, ai, b, bi, out, o, len) {
      for (let i = 0; i < len; i++) out[o + i] = a[ai + i]! / b[bi + i]!;
    },
    right(a, s, out) {
      for (let i = 0; i < out.length; i++) out[i] = a[i]! / s;
    },
    left(s, b, out) {
      for (let i = 0; i < out.length; i++) out[i] = s / b[i]!;
    },
  },
};

/**
 * Whether `small` repeats along the leading axes of `out`: its shape, leading 1s dropped, is the
 * end of `out`'s shape. Then small[j] pairs with out[r·L + j], L = small's size.
 */
function isTrailing(small: number[], out: number[]): boolean {
  let s = 0;
  while (s < small.length && small[s] === 1) s++;
  const tail = small.length - s;
  if (tail > out.length) return false;
  for (let i = 0; i < tail; i++) if (small[s + i] !== out[out.length - tail + i]) return false;
  return true;
}

/** a ∘ b as a new cpu tensor, or null when the stock kernel should compute it. */
function fast(loops: Loops, backend: CpuBackendLike, a: TensorInfo, b: TensorInfo) {
  const av = float32Values(backend, a);
  const bv = float32Values(backend, b);
  if (av === null || bv === null) return null;
  const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const n = shape.reduce((x, y) => x * y, 1);
  const out = new Float32Array(n);
  if (n > 0) {
    if (av.length === n && bv.length === n) loops.both(av, 0, bv, 0, out, 0, n);
    else if (av.length === n && bv.length === 1) loops.right(av, bv[0]!, out);
    else if (bv.length === n && av.length === 1) loops.left(av[0]!, bv, out);
    else if (av.length === n && isTrailing(b.shape, shape)) {
      for (let o = 0; o < n; o += bv.length) loops.both(av, o, bv, 0, out, o, bv.length);
    } else if (bv.length === n && isTrailing(a.shape, shape)) {
      for (let o = 0; o < n; o += av.length) loops.both(av, 0, bv, o, out, o, av.length);
    } else return null;
  }
  return backend.makeTensorInfo(shape, 'float32', out);
}

/**
 * Installs the overrides (once) over the kernels registered for the cpu backend; returns false
 * when the cpu backend package is not loaded yet. A kernel left out of the build is skipped.
 */
export function installCpuFastElementwise(): boolean {
  let any = false;
  for (const [name, loops] of Object.entries(LOOPS)) {
    const ok = overrideKernel('cpu', name, () => (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      return fast(loops, args.backend as unknown as CpuBackendLike, a, b);
    });
    any ||= ok;
  }
  return any;
}
