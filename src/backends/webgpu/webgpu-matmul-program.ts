/**
 * A barrier-free, register-tiled matrix product for TF.js's webgpu backend (WGSL source and the
 * program object that backend.runWebGPUProgram takes), plus its pure tiling plan.
 *
 *   C[b, m, n] = Σ_k A(b, m, k) · B(b, k, n)          C: [batch, M, N]
 *   A(b, m, k) = a[b, m, k]   or, transposeA, a[b, k, m]
 *   B(b, k, n) = b[b, k, n]   or, transposeB, b[b, n, k]
 *   (an operand with batch 1 is broadcast over the batch).
 *
 * Each invocation computes a tileM × (4·tileN4) block of C straight from the storage buffers,
 * reading A and B as vec4 along a contiguous axis, four k at a time; nothing is shared between
 * invocations, so the shader has no workgroup memory and no workgroupBarrier(). The vec4 reads
 * need every contiguous axis that is read four at a time to be a multiple of 4:
 *   K (a untransposed, or b transposed), M (a transposed), N (b untransposed, and C).
 * Rows and column groups past the edge are clamped for reading and skipped for writing.
 * Other dimensions take a scalar version of the same program (matMulScalarSource).
 */
import type { WebGpuProgramLike } from './webgpu-program';

export interface MatMulDims {
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
}

export interface MatMulTiling {
  /** Rows of C per invocation (a multiple of 4 when A is transposed). */
  tileM: number;
  /** vec4 column groups of C per invocation (4·tileN4 columns). */
  tileN4: number;
  workgroupSize: [number, number, number];
}

/** Whether the vec4 reads and writes above are possible for these dimensions. */
export function vec4MatMulFits(d: MatMulDims): boolean {
  const kOk = d.k % 4 === 0;
  const mOk = !d.transposeA || d.m % 4 === 0;
  return kOk && mOk && d.n % 4 === 0 && d.k > 0 && d.m > 0 && d.n > 0;
}

/**
 * The tiling we use: 8 rows × 8 columns per invocation (64 accumulators: few reads per
 * multiply-add, still in registers), fewer where C is smaller; 32 invocations per workgroup.
 * Measured on SwiftShader (2 cores, [128,784]×[784,512] and its two gradient products): 4×4
 * blocks ran at 1.5 GFLOP/s, 8×8 at 3.5–4.7, 8×16 and 16×8 no better; TF.js's tiled shared-memory
 * program at 0.3–0.6.
 */
export function planMatMul(d: MatMulDims): MatMulTiling {
  const vec4 = vec4MatMulFits(d);
  const tileM = vec4 && d.m >= 8 ? 8 : 4;
  const tileN4 = vec4 && d.n >= 8 ? 2 : 1;
  // Invocations: one per block. Workgroups of 32, shaped to the blocks (no idle columns), and
  // smaller when there are few blocks, so that several workgroups share the CPU's cores.
  const colGroups = Math.ceil(d.n / 4 / tileN4);
  const blocks = colGroups * Math.ceil(d.m / tileM) * Math.max(d.batchA, d.batchB);
  const size = blocks >= 128 ? 32 : Math.max(4, floorPow2(blocks / 4));
  const wx = Math.min(size, ceilPow2(colGroups));
  return { tileM, tileN4, workgroupSize: [wx, size / wx, 1] };
}

const floorPow2 = (x: number) => 2 ** Math.floor(Math.log2(Math.max(1, x)));
const ceilPow2 = (x: number) => 2 ** Math.ceil(Math.log2(Math.max(1, x)));

/** Workgroups along x (column groups), y (row blocks) and z (batch) for `t`. */
export function matMulDispatch(d: MatMulDims, t: MatMulTiling): [number, number, number] {
  const batch = Math.max(d.batchA, d.batchB);
  const colGroups = Math.ceil(d.n / 4 / t.tileN4);
  const rowBlocks = Math.ceil(d.m / t.tileM);
  return [
    Math.ceil(colGroups / t.workgroupSize[0]),
    Math.ceil(rowBlocks / t.workgroupSize[1]),
    Math.ceil(batch / t.workgroupSize[2]),
  ];
}

/** The WGSL body (fn main) for `d` and `t`; A, B are vec4 arrays, result a vec4 array. */
export function matMulSource(d: MatMulDims, t: MatMulTiling): string {
  const { m, n, k, transposeA, transposeB } = d;
  const { tileM, tileN4 } = t;
  const n4 = n / 4;
  const k4 = k / 4;
  const m4 = m / 4;
  const lines: string[] = [];
  const rows = Array.from({ length: tileM }, (_, i) => i);
  const groups = Array.from({ length: tileN4 }, (_, g) => g);
  // Offsets (in vec4s) of this batch's matrices.
  // The uniform outShape also keeps the uniform buffer in the pipeline's bind group layout.
  lines.push(`let batch = i32(globalId.z);`);
  lines.push(`if (batch >= uniforms.outShape.x) { return; }`);
  lines.push(`let aBase = ${d.batchA === 1 ? '0' : `batch * ${(m * k) / 4}`};`);
  lines.push(`let bBase = ${d.batchB === 1 ? '0' : `batch * ${(k * n) / 4}`};`);
  lines.push(`let cBase = batch * ${(m * n) / 4};`);
  lines.push(`let row0 = i32(globalId.y) * ${tileM};`);
  lines.push(`let g0 = i32(globalId.x) * ${tileN4};`);
  lines.push(`if (row0 >= ${m} || g0 >= ${n4}) { return; }`);
  // Clamped read positions: rows (A untransposed) or row quads (A transposed), column groups.
  if (transposeA) {
    for (let q = 0; q < tileM / 4; q++) lines.push(`let rq${q} = min(row0 / 4 + ${q}, ${m4 - 1});`);
  } else {
    for (const i of rows) lines.push(`let r${i} = min(row0 + ${i}, ${m - 1});`);
  }
  for (const g of groups) lines.push(`let c${g} = min(g0 + ${g}, ${n4 - 1});`);
  for (const i of rows) for (const g of groups) lines.push(`var acc${i}_${g} = vec4<f32>(0.0);`);
  lines.push(`for (var kk = 0; kk < ${k4}; kk++) {`);
  // a{i}: A(row i, 4kk .. 4kk+3) as a vec4.
  if (transposeA) {
    // a[k, m] stored: one vec4 holds 4 rows at one k.
    for (let q = 0; q < tileM / 4; q++)
      for (let j = 0; j < 4; j++)
        lines.push(`let at${q}_${j} = A[aBase + (kk * 4 + ${j}) * ${m4} + rq${q}];`);
    for (const i of rows) {
      const q = i >> 2;
      const c = 'xyzw'[i & 3];
      lines.push(
        `let a${i} = vec4<f32>(at${q}_0.${c}, at${q}_1.${c}, at${q}_2.${c}, at${q}_3.${c});`,
      );
    }
  } else {
    for (const i of rows) lines.push(`let a${i} = A[aBase + r${i} * ${k4} + kk];`);
  }
  // b{g}_{j}: B(4kk + j, columns of group g) as a vec4.
  for (const g of groups) {
    if (transposeB) {
      for (let j = 0; j < 4; j++)
        lines.push(`let bt${g}_${j} = B[bBase + (c${g} * 4 + ${j}) * ${k4} + kk];`);
      for (let j = 0; j < 4; j++) {
        const c = 'xyzw'[j];
        lines.push(
          `let b${g}_${j} = vec4<f32>(bt${g}_0.${c}, bt${g}_1.${c}, bt${g}_2.${c}, bt${g}_3.${c});`,
        );
      }
    } else {
      for (let j = 0; j < 4; j++)
        lines.push(`let b${g}_${j} = B[bBase + (kk * 4 + ${j}) * ${n4} + c${g}];`);
    }
  }
  for (const i of rows)
    for (const g of groups)
      lines.push(
        `acc${i}_${g} = fma(vec4<f32>(a${i}.x), b${g}_0, fma(vec4<f32>(a${i}.y), b${g}_1, ` +
          `fma(vec4<f32>(a${i}.z), b${g}_2, fma(vec4<f32>(a${i}.w), b${g}_3, acc${i}_${g}))));`,
      );
  lines.push(`}`);
  for (const i of rows)
    for (const g of groups)
      lines.push(
        `if (row0 + ${i} < ${m} && g0 + ${g} < ${n4}) { result[cBase + (row0 + ${i}) * ${n4} + g0 + ${g}] = acc${i}_${g}; }`,
      );
  return `fn main() {\n  ${lines.join('\n  ')}\n}\n`;
}

/**
 * The WGSL body for any dimensions (vec4MatMulFits false, e.g. a latent size of 2): the same
 * blocks of C, read one float at a time, one k per iteration; A, B and result are f32 arrays.
 */
export function matMulScalarSource(d: MatMulDims, t: MatMulTiling): string {
  const { m, n, k, transposeA, transposeB } = d;
  const { tileM, tileN4 } = t;
  const rows = Array.from({ length: tileM }, (_, i) => i);
  const cols = Array.from({ length: 4 * tileN4 }, (_, j) => j);
  const groups = Array.from({ length: tileN4 }, (_, g) => g);
  const lines: string[] = [];
  lines.push(`let batch = i32(globalId.z);`);
  lines.push(`if (batch >= uniforms.outShape.x) { return; }`);
  lines.push(`let aBase = ${d.batchA === 1 ? '0' : `batch * ${m * k}`};`);
  lines.push(`let bBase = ${d.batchB === 1 ? '0' : `batch * ${k * n}`};`);
  lines.push(`let cBase = batch * ${m * n};`);
  lines.push(`let row0 = i32(globalId.y) * ${tileM};`);
  lines.push(`let col0 = i32(globalId.x) * ${4 * tileN4};`);
  lines.push(`if (row0 >= ${m} || col0 >= ${n}) { return; }`);
  for (const i of rows) lines.push(`let r${i} = min(row0 + ${i}, ${m - 1});`);
  for (const j of cols) lines.push(`let c${j} = min(col0 + ${j}, ${n - 1});`);
  for (const i of rows) for (const g of groups) lines.push(`var acc${i}_${g} = vec4<f32>(0.0);`);
  lines.push(`for (var kk = 0; kk < ${k}; kk++) {`);
  for (const i of rows)
    lines.push(`let a${i} = A[aBase + ${transposeA ? `kk * ${m} + r${i}` : `r${i} * ${k} + kk`}];`);
  const bAt = (j: number) => `B[bBase + ${transposeB ? `c${j} * ${k} + kk` : `kk * ${n} + c${j}`}]`;
  for (const g of groups)
    lines.push(`let b${g} = vec4<f32>(${[0, 1, 2, 3].map((j) => bAt(4 * g + j)).join(', ')});`);
  for (const i of rows)
    for (const g of groups)
      lines.push(`acc${i}_${g} = fma(vec4<f32>(a${i}), b${g}, acc${i}_${g});`);
  lines.push(`}`);
  for (const i of rows)
    for (const j of cols)
      lines.push(
        `if (row0 + ${i} < ${m} && col0 + ${j} < ${n}) { ` +
          `result[cBase + (row0 + ${i}) * ${n} + col0 + ${j}] = acc${i}_${j >> 2}.${'xyzw'[j & 3]}; }`,
      );
  return `fn main() {\n  ${lines.join('\n  ')}\n}\n`;
}

/**
 * The program object for backend.runWebGPUProgram(program, [a, b], 'float32'): the vec4 one
 * where vec4MatMulFits, else the scalar one.
 */
export function matMulProgram(d: MatMulDims, t: MatMulTiling): WebGpuProgramLike {
  const batch = Math.max(d.batchA, d.batchB);
  const vec4 = vec4MatMulFits(d);
  const key = [d.batchA, d.batchB, d.m, d.n, d.k, +d.transposeA, +d.transposeB, t.tileM, t.tileN4];
  const c = vec4 ? 4 : 1;
  return {
    variableNames: ['A', 'B'],
    variableComponents: [c, c],
    outputShape: [batch, d.m, d.n],
    outputComponent: c,
    shaderKey: `latentLabMatMul${vec4 ? 'Vec4' : 'Scalar'}_${key.join('_')}_${t.workgroupSize.join('x')}`,
    dispatchLayout: { x: [2], y: [1], z: [0] },
    dispatch: matMulDispatch(d, t),
    workgroupSize: t.workgroupSize,
    getUserCode: () => (vec4 ? matMulSource(d, t) : matMulScalarSource(d, t)),
  };
}
