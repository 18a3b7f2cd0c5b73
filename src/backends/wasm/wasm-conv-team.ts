/**
 * Conv2D on two threads (./wasm-conv-gemm's second route): the training worker and the GEMM
 * helper (../gemm/gemm-team) claim blocks of the batch's images in turn and run
 * ../gemm/conv-share on them, im2col blocks written by each thread into its own cols buffer in our shared memory and
 * multiplied there, so the im2col copies are split between the cores as well as the products.
 * Over TF.js's shared heap (./shared-heap) X and W are read and Y written in place, the scratch
 * and cols blocks malloc'ed there; over a memory of our own, X and W are copied into it first and
 * Y back after (memcpy: X and Y are read and written once, the products read each cols block
 * Co/8 times).
 *
 * Our memory: control block | this thread's scratch | the helper's | this thread's cols block |
 * the helper's | X [B,H,W,Ci] | W [KK,Co] | Y [B,P,Co] (byte addresses aligned to 64); in the
 * shared heap only the scratch and cols blocks.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { isPointwise, type ConvJob } from '../gemm/conv-share';
import { TARGET_CHUNKS } from '../gemm/gemm-team';
import type { Geometry } from '../shared/conv-im2col';
import { dropTeam, fitMemory, heapWorkspace, teamScratch } from './wasm-gemm-team';
import { align, gemmState, type Team, type WasmBackendLike } from './wasm-gemm-state';

/** Operands of one conv in TF.js's memory: byte offsets of X and W, and Y's shape. */
export interface ConvOperands {
  xOff: number;
  wOff: number;
  outShape: number[];
}

/**
 * Y as a new wasm tensor, computed on both threads (`inline`: both shares on this thread, for
 * tests), or null when the batch has one image or our memory cannot hold the operands.
 */
export function convOnTeam(
  backend: WasmBackendLike,
  act: Team,
  g: Geometry,
  o: ConvOperands,
  blockFloats: number,
  inline: boolean,
): TensorInfo | null {
  if (g.B < 2) return null;
  const { memory, team } = act;
  const P = g.OH * g.OW;
  const KK = g.KH * g.KW * g.Ci;
  // Blocks within the L2-sized block, and enough of them for the threads to share out.
  const most = Math.ceil(g.B / TARGET_CHUNKS);
  const imgs = Math.min(most, Math.max(1, Math.floor(blockFloats / (P * KK))));
  const colsBytes = isPointwise(g) ? 0 : align(imgs * P * KK * 4);
  if (act.heap !== null) {
    const start = heapWorkspace(act, backend, teamScratch(KK, 0).next + 2 * colsBytes);
    if (start === null) return null;
    const { own, helper, next } = teamScratch(KK, start);
    const out = backend.makeOutput(o.outShape, 'float32');
    const y = backend.dataIdMap.get(out.dataId)?.memoryOffset as number;
    const job = (cols: number, b0: number, b1: number): ConvJob => {
      return { x: o.xOff, w: o.wOff, y, cols, g, b0, b1, imgs };
    };
    const t0 = performance.now();
    team.inline = inline || act.worker === null;
    team.runConv(job(next, 0, g.B), own, job(next + colsBytes, 0, g.B), helper);
    if (team.broken) dropTeam();
    count(performance.now() - t0, 0, team.inline, true);
    return out;
  }
  const { own, helper, next: colsOwn } = teamScratch(KK);
  const colsHelper = colsOwn + colsBytes;
  const xSize = g.B * g.H * g.W * g.Ci;
  const X = colsHelper + colsBytes;
  const W = X + align(xSize * 4);
  const Y = W + align(KK * g.Co * 4);
  if (!fitMemory(memory, Y + align(g.B * P * g.Co * 4))) return null;
  const t0 = performance.now();
  const ours = new Float32Array(memory.buffer);
  let heap = backend.wasm.HEAPF32;
  ours.set(heap.subarray(o.xOff / 4, o.xOff / 4 + xSize), X / 4);
  ours.set(heap.subarray(o.wOff / 4, o.wOff / 4 + KK * g.Co), W / 4);
  const t1 = performance.now();
  const job = (cols: number, b0: number, b1: number): ConvJob => ({
    x: X,
    w: W,
    y: Y,
    cols,
    g,
    b0,
    b1,
    imgs,
  });
  team.inline = inline || act.worker === null;
  team.runConv(job(colsOwn, 0, g.B), own, job(colsHelper, 0, g.B), helper);
  if (team.broken) dropTeam(); // the helper died: one thread from now on
  const t2 = performance.now();
  const out = backend.makeOutput(o.outShape, 'float32');
  const outOff = backend.dataIdMap.get(out.dataId)?.memoryOffset as number;
  heap = backend.wasm.HEAPF32; // makeOutput may have grown (replaced) the heap
  heap.set(ours.subarray(Y / 4, Y / 4 + g.B * P * g.Co), outOff / 4);
  count(t2 - t1, t1 - t0 + (performance.now() - t2), team.inline, false);
  return out;
}

/** Books one job on the team route: its compute and copy time, and how it ran. */
export function count(computeMs: number, copyMs: number, inline: boolean, inPlace: boolean) {
  const counts = gemmState.counts;
  counts.copyMs += copyMs;
  counts.computeMs += computeMs;
  counts.sharedCalls++;
  if (inPlace) counts.inPlaceCalls++;
  if (!inline) counts.twoThreadCalls++;
}
