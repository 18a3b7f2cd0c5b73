/**
 * Where a training step's time goes, by kind of kernel: one table from TF.js kernel names to a
 * few categories, and a per-step summary of a kernel profile (kernel-profile.ts). Every kernel's
 * self time is booked once, to the category of the kernel the model asked for: its own when it
 * ran at the top level, else that of the outermost kernel running (a filter gradient's
 * transposes count as convolution time, the AvgPool inside our fast Sum as reduction time), so
 * the categories add up to the time spent in kernels. Wall time less kernel time is the step's
 * time outside kernels: JS, the tape, the optimizer's bookkeeping, reading the loss.
 */
import type { KernelTime } from './kernel-profile';

export const KERNEL_CATEGORIES = [
  'convolutions',
  'products',
  'transposes',
  'element-wise',
  'reductions',
  'gathers',
  'other',
] as const;
export type KernelCategory = (typeof KERNEL_CATEGORIES)[number];

const NAMES: Record<Exclude<KernelCategory, 'other'>, string[]> = {
  convolutions: [
    'Conv2D',
    'Conv2DBackpropInput',
    'Conv2DBackpropFilter',
    'FusedConv2D',
    'DepthwiseConv2dNative',
    'DepthwiseConv2dNativeBackpropInput',
    'DepthwiseConv2dNativeBackpropFilter',
    'FusedDepthwiseConv2D',
    'Conv3D',
    'Conv3DBackpropInputV2',
    'Conv3DBackpropFilterV2',
    'AvgPool',
    'AvgPoolGrad',
    'MaxPool',
    'MaxPoolGrad',
    'MaxPoolWithArgmax',
  ],
  products: ['BatchMatMul', '_FusedMatMul', 'Einsum'],
  // Moving or copying values without arithmetic.
  transposes: [
    'Transpose',
    'PadV2',
    'MirrorPad',
    'Slice',
    'StridedSlice',
    'Concat',
    'Pack',
    'Unpack',
    'SplitV',
    'Identity',
    'Reshape',
    'Cast',
    'Tile',
    'Reverse',
    'BroadcastTo',
    'DepthToSpace',
    'SpaceToBatchND',
    'BatchToSpaceND',
    'ResizeNearestNeighbor',
    'ResizeNearestNeighborGrad',
    'ResizeBilinear',
    'ResizeBilinearGrad',
  ],
  'element-wise': [
    'Abs',
    'Add',
    'AddN',
    'Atan2',
    'Ceil',
    'ClipByValue',
    'Cos',
    'Div',
    'Elu',
    'EluGrad',
    'Equal',
    'Erf',
    'Exp',
    'Expm1',
    'Fill',
    'Floor',
    'FloorDiv',
    'FusedBatchNorm',
    'Greater',
    'GreaterEqual',
    'IsFinite',
    'IsInf',
    'IsNan',
    'LeakyRelu',
    'Less',
    'LessEqual',
    'Log',
    'Log1p',
    'LogicalAnd',
    'LogicalNot',
    'LogicalOr',
    'Maximum',
    'Minimum',
    'Mod',
    'Multiply',
    'Neg',
    'NotEqual',
    'OnesLike',
    'Pow',
    'Prelu',
    'RealDiv',
    'Reciprocal',
    'Relu',
    'Relu6',
    'Round',
    'Rsqrt',
    'Select',
    'Selu',
    'Sigmoid',
    'Sign',
    'Sin',
    'Softplus',
    'Sqrt',
    'Square',
    'SquaredDifference',
    'Step',
    'Sub',
    'Tan',
    'Tanh',
    'ZerosLike',
  ],
  // Softmax: a max and a sum along the last axis around its exp.
  reductions: [
    'Sum',
    'Mean',
    'Max',
    'Min',
    'ArgMin',
    'ArgMax',
    'Prod',
    'All',
    'Any',
    'Cumsum',
    'Cumprod',
    'Softmax',
  ],
  gathers: [
    'GatherV2',
    'GatherNd',
    'UnsortedSegmentSum',
    'ScatterNd',
    'TensorScatterUpdate',
    'OneHot',
    'SparseToDense',
    'Bincount',
    'DenseBincount',
  ],
};

const CATEGORY_OF = new Map<string, KernelCategory>(
  Object.entries(NAMES).flatMap(([c, names]) => names.map((n) => [n, c as KernelCategory])),
);

/** The category of a TF.js kernel name; 'other' for any not in the table (random, range…). */
export function kernelCategory(kernel: string): KernelCategory {
  return CATEGORY_OF.get(kernel) ?? 'other';
}

/** A kernel profile of `steps` training steps, per step. */
export interface StepProfile {
  steps: number;
  /** Wall ms per step while profiled (the timers' own cost included). */
  stepMs: number;
  /** Sum of the kernels' self ms per step (≤ stepMs; the rest is outside kernels). */
  kernelMs: number;
  /**
   * Ms per step of the kernels the model asked for, by category, the kernels they ran included
   * (each kernel's self time booked to its outermost kernel's category; they add up to kernelMs).
   */
  categories: Record<KernelCategory, number>;
  /**
   * Of categories.convolutions, the ms per step in kernels of other categories that the
   * convolution kernels ran (e.g. the transposes and pads of a filter gradient).
   */
  underConvolutions: number;
  /**
   * Every kernel that ran, slowest self time first: calls, self and inclusive ms per step, and
   * its self ms run from inside other kernels, by the outermost one.
   */
  kernels: {
    kernel: string;
    category: KernelCategory;
    calls: number;
    ms: number;
    totalMs: number;
    underMs: Record<string, number>;
  }[];
}

export function summarizeProfile(rows: KernelTime[], steps: number, wallMs: number): StepProfile {
  const per = (x: number) => x / steps;
  const categories = Object.fromEntries(KERNEL_CATEGORIES.map((c) => [c, 0])) as Record<
    KernelCategory,
    number
  >;
  const kernels = rows.map((r) => ({
    kernel: r.kernel,
    category: kernelCategory(r.kernel),
    calls: per(r.calls),
    ms: per(r.ms),
    totalMs: per(r.totalMs),
    underMs: Object.fromEntries(Object.entries(r.underMs).map(([root, ms]) => [root, per(ms)])),
  }));
  let underConvolutions = 0;
  for (const k of kernels) {
    let nested = 0;
    for (const [root, ms] of Object.entries(k.underMs)) {
      const c = kernelCategory(root);
      categories[c] += ms;
      nested += ms;
      if (c === 'convolutions' && k.category !== 'convolutions') underConvolutions += ms;
    }
    categories[k.category] += k.ms - nested; // its calls at the top level
  }
  return {
    steps,
    stepMs: per(wallMs),
    kernelMs: kernels.reduce((a, k) => a + k.ms, 0),
    categories,
    underConvolutions,
    kernels,
  };
}

/**
 * "246 ms/step, 214 in kernels — convolutions 61 % (12 % in other kernels they run), …,
 * other 1 %, outside kernels 13 %": each share a percentage of the wall time per step (they add
 * up to 100 %, up to rounding).
 */
export function formatStepProfile(p: StepProfile): string {
  const pct = (ms: number) => `${Math.round((100 * ms) / p.stepMs)} %`;
  const shares = KERNEL_CATEGORIES.map((c) => `${c} ${pct(p.categories[c])}`);
  if (p.underConvolutions > 0)
    shares[0] += ` (${pct(p.underConvolutions)} in other kernels they run)`;
  shares.push(`outside kernels ${pct(Math.max(0, p.stepMs - p.kernelMs))}`);
  const ms = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
  return `${ms(p.stepMs)} ms/step, ${ms(p.kernelMs)} in kernels — ${shares.join(', ')}`;
}
