/**
 * Conv2DBackpropInput (∂L/∂x of conv2d, and the forward pass of conv2dTranspose) composed of a
 * backend's own kernels: conv2DBackpropInputByPhases(name) is the kernel function for backend
 * `name`. One stride-1 Conv2D per sub-pixel phase, so no multiply-adds are spent on the zeros a
 * stride-s transposed convolution inserts; the formula and the phase plan are those of
 * ./conv-wasm-backprop-input (see its header; the plan is ./conv-phases). Used for webgl
 * (./webgl-kernels), where Conv2D runs as im2col + packed matmul.
 *
 * Shapes: dY [B,OH,OW,Co], W [KH,KW,Ci,Co], dX [B,H,W,Ci], strides (sh,sw). Per phase (rh,rw)
 * with M_rh·M_rw > 0 taps:
 *   G   = W[rh + (M_rh−1)·sh, …, rh : −sh][rw + (M_rw−1)·sw, …, rw : −sw]   StridedSlice  [M_rh,M_rw,Ci,Co]
 *       → transpose (0,1,3,2)                                                             [M_rh,M_rw,Co,Ci]
 *   Y   = Conv2D(dY, G, stride 1, pad [M−1−q0, q1−OH] per axis)                           [B,Qh,Qw,Ci]
 * (a phase without taps is zeros). Then the interleave and crop, all phases having one shape:
 *   S   = Pack(Y_(0,0), Y_(0,1), …) reshaped to [sh, sw, B·Qh, Qw, Ci]
 *   T   = transpose (2,0,3,1,4)                                    [B·Qh, sh, Qw, sw, Ci]
 *       = reshape                                                   [B, Qh·sh, Qw·sw, Ci]
 *   dX  = Slice(T, [0, offH, offW, 0], [B, H, W, Ci])   (interleaved row i + off = q·s + r)
 * Stride 1 is the single-phase case (no interleave; no crop for 'same'). A backend may pass its
 * own `interleave` (webgl: ./webgl-interleave-phases, one shader) for the Pack … Slice steps.
 *
 * Kernels used: StridedSlice, Transpose, Conv2D, Fill, Pack, Reshape, Slice. NHWC float32 only;
 * other layouts and dtypes go to `fallback` (the backend's stock kernel). Every intermediate is
 * freed with backend.disposeData; nothing is recorded on the gradient tape.
 */
import {
  Conv2D,
  Fill,
  Pack,
  Reshape,
  Slice,
  StridedSlice,
  Transpose,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { planAxis, phaseConvAttrs } from './conv-phases';
import type { Interleave } from './conv-interleave';
import { runBackendKernel } from './run-kernel';
import { nhwcFloat32Pair } from './conv-inputs';
import { inputGradInfo, matchesOutput } from './conv-geometry';

export function conv2DBackpropInputByPhases(
  name: string,
  fallback?: KernelFunc,
  interleave?: Interleave,
): KernelFunc {
  return (args) => {
    const backend = args.backend as KernelBackend;
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const inputs = nhwcFloat32Pair(args.inputs.dy, args.inputs.filter, attrs.dataFormat);
    if (inputs === null) {
      if (fallback) return fallback(args);
      throw new Error(`Conv2DBackpropInput (${name}): expected NHWC float32 dy and filter.`);
    }
    const [dy, filter] = inputs;
    const info = inputGradInfo(filter.shape, attrs);
    if (!matchesOutput(dy.shape, info)) {
      throw new Error(
        `Conv2DBackpropInput (${name}): dy shape ${dy.shape} does not match the conv output ${info.outShape}.`,
      );
    }
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co } = info;
    const { strideHeight: sh, strideWidth: sw } = info;
    const rows = planAxis(info.filterHeight, sh, info.padInfo.top, H, info.outHeight);
    const cols = planAxis(info.filterWidth, sw, info.padInfo.left, W, info.outWidth);
    const outShape = [B, H, W, Ci];

    const temps: TensorInfo[] = [];
    const run = (kernel: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap) => {
      const out = runBackendKernel(name, kernel, backend, inputs, attrs);
      temps.push(out);
      return out;
    };
    /** Hands `t` to the caller: it is no longer freed with the temporaries. */
    const release = (t: TensorInfo): TensorInfo => {
      temps.splice(temps.indexOf(t), 1);
      return t;
    };
    try {
      // Y_(rh,rw): [B, Qh, Qw, Ci], or null for a phase without taps.
      const phases: (TensorInfo | null)[] = [];
      for (let rh = 0; rh < sh; rh++) {
        for (let rw = 0; rw < sw; rw++) {
          const Mh = rows.taps[rh]!;
          const Mw = cols.taps[rw]!;
          if (Mh === 0 || Mw === 0) {
            phases.push(null);
            continue;
          }
          // W rows rh + (Mh−1)·sh down to rh in steps of sh (endMask: down to row 0 inclusive).
          const picked = run(
            StridedSlice,
            { x: filter },
            {
              begin: [rh + (Mh - 1) * sh, rw + (Mw - 1) * sw, 0, 0],
              end: [rh - 1, rw - 1, Ci, Co],
              strides: [-sh, -sw, 1, 1],
              beginMask: 0,
              endMask: (rh === 0 ? 1 : 0) | (rw === 0 ? 2 : 0),
              ellipsisMask: 0,
              newAxisMask: 0,
              shrinkAxisMask: 0,
            },
          );
          const g = run(Transpose, { x: picked }, { perm: [0, 1, 3, 2] }); // [Mh, Mw, Co, Ci]
          phases.push(run(Conv2D, { x: dy, filter: g }, phaseConvAttrs(rows, cols, Mh, Mw)));
        }
      }
      const Qh = rows.rows;
      const Qw = cols.rows;
      const only = phases[0];
      if (phases.length === 1 && only) {
        if (rows.offset === 0 && cols.offset === 0 && only.shape.join() === outShape.join()) {
          return release(only); // stride 1 without a crop: the conv's output is dX
        }
        return release(
          run(Slice, { x: only }, { begin: [0, rows.offset, cols.offset, 0], size: outShape }),
        );
      }
      if (interleave) {
        return interleave(backend, {
          phases,
          strides: [sh, sw],
          offsets: [rows.offset, cols.offset],
          outShape,
        });
      }
      const phaseShape = [B, Qh, Qw, Ci];
      let zeros: TensorInfo | null = null;
      const full = phases.map(
        (y) => y ?? (zeros ??= run(Fill, {}, { shape: phaseShape, value: 0, dtype: 'float32' })),
      );
      // Pack takes its inputs as an array.
      const stacked = run(Pack, full as unknown as NamedTensorInfoMap, { axis: 0 });
      const s5 = run(Reshape, { x: stacked }, { shape: [sh, sw, B * Qh, Qw, Ci] });
      const t5 = run(Transpose, { x: s5 }, { perm: [2, 0, 3, 1, 4] }); // [B·Qh, sh, Qw, sw, Ci]
      const t4 = run(Reshape, { x: t5 }, { shape: [B, Qh * sh, Qw * sw, Ci] });
      if (rows.offset === 0 && cols.offset === 0 && Qh * sh === H && Qw * sw === W) {
        return release(t4);
      }
      return release(
        run(Slice, { x: t4 }, { begin: [0, rows.offset, cols.offset, 0], size: outShape }),
      );
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}
