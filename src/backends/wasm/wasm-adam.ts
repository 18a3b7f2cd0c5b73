/**
 * The fused Adam kernel for the wasm backend (../shared/fused-adam has the formula and the
 * cpu kernel): a generated WebAssembly SIMD loop over TF.js's own memory, four floats at a time,
 * reading x, m, v, g where they are and writing the three outputs in place; the last n mod 4
 * floats (and every float where the loop cannot be instantiated) by the plain JS loop. Each
 * operation is an f32x4 op of the same kind and order as the element-wise kernels' (no
 * reciprocal, no fused multiply-add), so the results are float32-exact against TF.js's Adam.
 *
 *   adam(x, m, v, g, x1, m1, v1, n4; B1, b1, B2, b2, c1, c2, eps, lr)   byte addresses, n4 floats
 *     m1 = B1·m + b1·g;  v1 = B2·v + b2·g²;  x1 = x + ((m1 / c1) / (√(v1 / c2) + eps))·lr
 */
import {
  registerKernel,
  type DataId,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { FUSED_ADAM, type FusedAdamAttrs } from '../../contracts/fused-adam';
import { flat, incConst, Locals, whileLt } from '../gemm/gemm-codegen';
import { encodeModule, F32, I32, op, V128, type Bytes } from '../gemm/wasm-asm';
import { adamConstants, adamInputs, adamUpdate } from '../shared/fused-adam';
import { HEAP_MAX_PAGES, isSharedMemory } from './shared-heap';
import { heapMemory } from './thin-taps';

type AdamFn = (...args: number[]) => void;

/**
 * The module's bytes (one exported function, `adam`; imports env.memory: a plain one, or with
 * `sharedMaxPages` a shared one of that maximum, TF.js's shared heap: ./shared-heap).
 */
export function buildAdamModule(sharedMaxPages?: number): Uint8Array<ArrayBuffer> {
  const params = [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32];
  const [x, m, v, g, x1, m1, v1, n4] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = new Locals(params.length);
  const i = L.add(I32);
  const end = L.add(I32);
  // Splatted constants B1 … lr (params 8 … 15), then this lane group's g, m1, v1.
  const consts = Array.from({ length: 8 }, () => L.add(V128));
  const [cB1, cb1, cB2, cb2, cc1, cc2, ceps, clr] = consts as number[];
  const [vg, vm, vv] = [L.add(V128), L.add(V128), L.add(V128)];
  const at = (base: number): Bytes => flat(op.get(base), op.get(i), op.add);
  const load = (base: number): Bytes => flat(at(base), op.v128Load());
  const body = flat(
    ...consts.map((c, k) => flat(op.get(8 + k), op.f32x4Splat, op.set(c))),
    op.get(n4),
    op.i32(4),
    op.mul,
    op.set(end),
    whileLt(
      i,
      end,
      flat(
        load(g),
        op.set(vg),
        // m1 = B1·m + b1·g
        op.get(cB1!),
        load(m),
        op.f32x4Mul,
        op.get(cb1!),
        op.get(vg),
        op.f32x4Mul,
        op.f32x4Add,
        op.set(vm),
        at(m1),
        op.get(vm),
        op.v128Store(),
        // v1 = B2·v + b2·(g·g)
        op.get(cB2!),
        load(v),
        op.f32x4Mul,
        op.get(cb2!),
        op.get(vg),
        op.get(vg),
        op.f32x4Mul,
        op.f32x4Mul,
        op.f32x4Add,
        op.set(vv),
        at(v1),
        op.get(vv),
        op.v128Store(),
        // x1 = x + ((m1 / c1) / (√(v1 / c2) + eps))·lr
        at(x1),
        load(x),
        op.get(vm),
        op.get(cc1!),
        op.f32x4Div,
        op.get(vv),
        op.get(cc2!),
        op.f32x4Div,
        op.f32x4Sqrt,
        op.get(ceps!),
        op.f32x4Add,
        op.f32x4Div,
        op.get(clr!),
        op.f32x4Mul,
        op.f32x4Add,
        op.v128Store(),
        incConst(i, 16),
      ),
    ),
  );
  return encodeModule({
    memory: heapMemory(sharedMaxPages),
    funcs: [{ params, results: [], locals: L.types, body, export: 'adam' }],
  });
}

interface WasmLike {
  wasm: { HEAPF32: Float32Array; asm?: { memory?: unknown } };
  dataIdMap: { get(id: DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

const modules: { plain?: WebAssembly.Module | null; shared?: WebAssembly.Module | null } = {};
let instance: { memory: WebAssembly.Memory; adam: AdamFn } | null = null;

/** The SIMD loop over `backend`'s memory (compiled once, instantiated per memory), or null. */
function simdFor(backend: WasmLike): AdamFn | null {
  const memory = backend.wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  if (instance?.memory === memory) return instance.adam;
  const kind = isSharedMemory(memory) ? 'shared' : 'plain';
  if (modules[kind] === null) return null;
  try {
    const module = (modules[kind] ??= new WebAssembly.Module(
      buildAdamModule(kind === 'shared' ? HEAP_MAX_PAGES : undefined),
    ));
    const adam = new WebAssembly.Instance(module, { env: { memory } }).exports.adam as AdamFn;
    instance = { memory, adam };
    return adam;
  } catch {
    modules[kind] = null; // no SIMD here: the JS loop from now on
    return null;
  }
}

const wasmAdam: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const ts = adamInputs(inputs);
  const backend = anyBackend as unknown as WasmLike;
  const shape = ts[0]!.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  const outs = [0, 1, 2].map(() => backend.makeOutput(shape, 'float32'));
  const offset = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)?.memoryOffset as number;
  // Views made after the outputs exist: makeOutput may grow (replace) the heap.
  const heap = backend.wasm.HEAPF32;
  const view = (t: TensorInfo, from: number, to: number) =>
    heap.subarray(offset(t) / 4 + from, offset(t) / 4 + to);
  const [a1, a2] = [inputs.accBeta1, inputs.accBeta2].map((t) => view(t!, 0, 1)[0]!);
  const a = attrs as unknown as FusedAdamAttrs;
  const simd = simdFor(backend);
  const n4 = simd === null ? 0 : size - (size % 4);
  if (n4 > 0) simd!(...ts.map(offset), ...outs.map(offset), n4, ...adamConstants(a, a1!, a2!));
  if (n4 < size) {
    const part = (t: TensorInfo) => view(t, n4, size);
    adamUpdate(ts.map(part), outs.map(part), a1!, a2!, a);
  }
  return outs;
};

/** Registers the kernel for the wasm backend; again does nothing. */
export function installWasmAdam(): void {
  try {
    registerKernel({ kernelName: FUSED_ADAM, backendName: 'wasm', kernelFunc: wasmAdam });
  } catch {
    // Already registered.
  }
}
