/**
 * Conv2DBackpropFilter (∂L/∂W) for the TF.js wasm backend from im2col blocks and our GEMM, with
 * no transposes: dW [KK, Co] = Σ_blocks cols[b:e]ᵀ · dY[b:e] (../gemm/conv-share's filterShare;
 * dW [KH,KW,Ci,Co] is [KK, Co] as it lies). On two threads each claims blocks of the batch's
 * images in turn, summing them into a dW of its own (in TF.js's shared heap, or in our memory
 * with X and dY copied in), and the caller adds the helper's dW to its own; on one thread the
 * same code runs over TF.js's memory in place.
 *
 * It replaces, where it applies, ../shared/conv-filter-by-conv (a dilated Conv2D with batch and
 * channel roles swapped, after transposing X and dY), which stays the fallback: where neither
 * route is ready (no relaxed SIMD, mode 'off'), for thin shapes (KK < MIN_FILTER_KK, 1 < Co <
 * MIN_CO) and for small ones. One output channel (the output layer's Co = 1) takes the direct loop
 * of ./wasm-thin-filter instead.
 */
import { Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs-core';
import type { DataId, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { convShare, type ConvJob } from '../gemm/conv-share';
import { TARGET_CHUNKS } from '../gemm/gemm-team';
import { geometry, type Geometry } from '../shared/conv-im2col';
import { filterGradInfo, matchesOutput } from '../shared/conv-geometry';
import { nhwcFloat32Pair } from '../shared/conv-inputs';
import { overrideKernel, type KernelArgs } from '../shared/override-kernel';
import { MIN_CO, wasmConvBlockFloats } from './wasm-conv-gemm';
import { dropTeam, fitMemory, heapWorkspace, teamScratch } from './wasm-gemm-team';
import { count } from './wasm-conv-team';
import { localGemm } from './wasm-gemm-local';
import {
  align,
  autoFor,
  chooseWay,
  gemmState,
  recordWay,
  type Team,
  type WasmBackendLike as GemmBackendLike,
} from './wasm-gemm-state';
import { MIN_PARALLEL_FLOPS } from './wasm-parallel-matmul';
import { thinFilterGrad } from './wasm-thin-filter';

type WasmBackendLike = GemmBackendLike & {
  disposeData(id: DataId): boolean;
  wasm: { asm?: { memory?: unknown } };
};

/**
 * Smallest KH·KW·Ci: dW's rows here (the forward conv's depth), so a first layer's 3×3×1 = 9
 * still fills the micro-tiles' rows; its im2col copies runs of KW floats by a loop.
 */
const MIN_FILTER_KK = 8;

/** Operands in TF.js's memory: byte offsets of X and dY. */
interface Operands {
  xOff: number;
  dyOff: number;
}

/** Images per block: cols of a block within the L2-sized block the forward conv uses. */
const blockImages = (g: Geometry, most: number) =>
  Math.min(
    most,
    Math.max(1, Math.floor(wasmConvBlockFloats() / (g.OH * g.OW * g.KH * g.KW * g.Ci))),
  );

/** dW on this thread over TF.js's memory, or null where the kernel is not ready. */
function oneThread(backend: WasmBackendLike, g: Geometry, o: Operands, shape: number[]) {
  const memory = backend.wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const P = g.OH * g.OW;
  const KK = g.KH * g.KW * g.Ci;
  const imgs = blockImages(g, g.B);
  const local = localGemm(backend, imgs * P);
  if (local === null) return null;
  const [gemm, pbuf, tmp] = local;
  const dw = backend.makeOutput(shape, 'float32');
  const part = backend.makeOutput([KK * g.Co], 'float32');
  const cols = backend.makeOutput([imgs * P * KK], 'float32');
  const at = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)?.memoryOffset as number;
  const job: ConvJob = {
    ...{ x: o.xOff, w: o.dyOff, y: at(dw), cols: at(cols), g, b0: 0, b1: g.B, imgs },
    ...{ filter: true, part: at(part) },
  };
  convShare(memory, gemm, job, { pbuf, tmp });
  backend.disposeData(part.dataId);
  backend.disposeData(cols.dataId);
  return dw;
}

/**
 * dW on both threads through our shared memory (`inline`: both shares here, for tests), or null
 * when the batch has one image or the operands do not fit.
 * Our memory: control block | scratch ×2 | cols ×2 | dW ×2 | part ×2 | X | dY.
 */
function twoThreads(
  backend: WasmBackendLike,
  act: Team,
  g: Geometry,
  o: Operands,
  shape: number[],
): TensorInfo | null {
  if (g.B < 2) return null;
  const { memory, team } = act;
  const P = g.OH * g.OW;
  const KK = g.KH * g.KW * g.Ci;
  const imgs = blockImages(g, Math.ceil(g.B / TARGET_CHUNKS));
  const blocks = [align(imgs * P * KK * 4), align(KK * g.Co * 4), align(KK * g.Co * 4)];
  const span = blocks.reduce((a, b) => a + b, 0);
  // Over the shared heap, scratch and these blocks malloc'ed there; X and dY read in place.
  const inHeap = act.heap !== null;
  const start = inHeap
    ? heapWorkspace(act, backend, teamScratch(imgs * P, 0).next + 2 * span)
    : undefined;
  if (start === null) return null;
  const { own, helper, next: base } = teamScratch(imgs * P, start);
  // [cols, dW, part] for this thread, then for the helper.
  const mine = blocks.map((_, i) => base + blocks.slice(0, i).reduce((a, b) => a + b, 0));
  const theirs = mine.map((a) => a + span);
  const xSize = g.B * g.H * g.W * g.Ci;
  const dySize = g.B * P * g.Co;
  let [X, DY] = [o.xOff, o.dyOff];
  const t0 = performance.now();
  if (!inHeap) {
    X = base + 2 * span;
    DY = X + align(xSize * 4);
    if (!fitMemory(memory, DY + align(dySize * 4))) return null;
    const ours = new Float32Array(memory.buffer);
    const heap = backend.wasm.HEAPF32;
    ours.set(heap.subarray(o.xOff / 4, o.xOff / 4 + xSize), X / 4);
    ours.set(heap.subarray(o.dyOff / 4, o.dyOff / 4 + dySize), DY / 4);
  }
  const t1 = performance.now();
  const job = ([cols, y, part]: number[], b0: number, b1: number): ConvJob => ({
    ...{ x: X, w: DY, y: y!, cols: cols!, g, b0, b1, imgs },
    ...{ filter: true, part },
  });
  team.inline = act.worker === null;
  team.runConv(job(mine, 0, g.B), own, job(theirs, 0, g.B), helper);
  if (team.broken) dropTeam(); // the helper died: one thread from now on
  const t2 = performance.now();
  const out = backend.makeOutput(shape, 'float32');
  const outOff = backend.dataIdMap.get(out.dataId)?.memoryOffset as number;
  // Views after makeOutput: it may have grown (replaced) a plain heap.
  const heap = backend.wasm.HEAPF32;
  const ours = inHeap ? heap : new Float32Array(memory.buffer);
  const n = KK * g.Co;
  const [a, b] = [mine[1]! / 4, theirs[1]! / 4];
  const dw = heap.subarray(outOff / 4, outOff / 4 + n);
  for (let i = 0; i < n; i++) dw[i] = ours[a + i]! + ours[b + i]!;
  count(t2 - t1, inHeap ? 0 : t1 - t0 + (performance.now() - t2), team.inline, inHeap);
  return out;
}

/** dW through our GEMM on one thread or two, or null for the fallback (see the header). */
function viaGemm(args: KernelArgs, stock: KernelFunc): TensorInfo | TensorInfo[] | null {
  const a = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const inputs = nhwcFloat32Pair(args.inputs.x, args.inputs.dy, a.dataFormat);
  if (inputs === null) return null;
  const [x, dy] = inputs;
  const info = filterGradInfo(x.shape, a);
  const g = geometry(info);
  if (g === null || !matchesOutput(dy.shape, info)) return null;
  const backend = args.backend as unknown as WasmBackendLike;
  const xOff = backend.dataIdMap.get(x.dataId)?.memoryOffset;
  const dyOff = backend.dataIdMap.get(dy.dataId)?.memoryOffset;
  if (xOff == null || dyOff == null) return null;
  const shape = [...info.filterShape];
  const { mode, team } = gemmState;
  if (mode === 'off') return null;
  // One output channel (a last layer): a direct SIMD loop, no im2col (./wasm-thin-filter).
  if (g.Co === 1) return thinFilterGrad(backend, g, xOff, dyOff, shape);
  const KK = g.KH * g.KW * g.Ci;
  const flops = 2 * g.B * g.OH * g.OW * KK * g.Co;
  if (KK < MIN_FILTER_KK || g.Co < MIN_CO || flops < MIN_PARALLEL_FLOPS) return null;
  const o = { xOff, dyOff };
  if (team !== null && (mode === 'two-threads' || (mode === 'auto' && team.worker !== null))) {
    // Timings per shape in 'auto' only (the key is built per call, so not in other modes).
    const auto = mode === 'auto' ? autoFor(`dw ${Object.values(g).join(' ')}`) : null;
    const way = auto !== null ? chooseWay(auto) : 'two';
    const t0 = performance.now();
    if (way === 'two') {
      const out = twoThreads(backend, team, g, o, shape);
      if (out !== null && auto !== null) recordWay(auto, 'two', performance.now() - t0, flops);
      // null: one image, or too big for our memory; one thread below.
      if (out !== null) return out;
    } else {
      const out = oneThread(backend, g, o, shape) ?? stock(args);
      if (auto !== null) recordWay(auto, 'one', performance.now() - t0, flops);
      return out;
    }
  }
  return oneThread(backend, g, o, shape);
}

/** Installs the override over the registered (fallback) kernel; false when there is none yet. */
export function installWasmConvFilter(): boolean {
  return overrideKernel('wasm', Conv2DBackpropFilter, (stock) => (args) => viaGemm(args, stock));
}
