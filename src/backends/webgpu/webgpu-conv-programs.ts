/**
 * Barrier-free WGSL programs for 2-D convolution and its two gradients on the webgpu backend
 * (NHWC, float32), each an implicit matrix product tiled like ./webgpu-matmul-program: an
 * invocation computes TILE_M rows × 4·tileN4 columns of its output straight from the storage
 * buffers (scalar reads, vec4 accumulators), with no workgroup memory and no barriers.
 *
 * With x [B, H, W, Ci], w [KH, KW, Ci, Co], dy [B, OH, OW, Co], strides (sh, sw), dilations
 * (dh, dw), padding (pt, pl), and (iy, ix) = (oy·sh − pt + ky·dh, ox·sw − pl + kx·dw):
 *   forward      y[b, oy, ox, co]  = Σ_{ky, kx, ci} x[b, iy, ix, ci] · w[ky, kx, ci, co]
 *                rows (b, oy, ox), columns co, inner (ky, kx, ci)
 *   input grad   dx[b, iy, ix, ci] = Σ_{ky, kx, co} dy[b, oy, ox, co] · w[ky, kx, ci, co]
 *                rows (b, iy, ix), columns ci, inner (ky, kx, co), over the (oy, ox) that reach
 *                (iy, ix): oy = (iy + pt − ky·dh) / sh when that divides exactly and is in range
 *   filter grad  dw[ky, kx, ci, co] = Σ_{b, oy, ox} x[b, iy, ix, ci] · dy[b, oy, ox, co]
 *                rows (ky, kx, ci), columns co, inner (b, oy, ox)
 * Taps outside x (padding) read 0. Sums run in the order of the inner index, as written.
 */
import type { backend_util } from '@tensorflow/tfjs-core';
import type { ProgramUniform, WebGpuProgramLike } from './webgpu-program';

type Conv2DInfo = backend_util.Conv2DInfo;

export type ConvKind = 'forward' | 'inputGrad' | 'filterGrad';

/**
 * Rows per invocation. 8 (as in the matrix product) ran ~25 % faster but took SwiftShader ~20 s
 * to compile per shader (the many per-row values live across three nested loops); 4 compiles in
 * ~0.2 s.
 */
export const TILE_M = 4;
const WORKGROUP = 32;

/** Rows and columns of the output matrix of `kind`. */
export function convMatrix(kind: ConvKind, c: Conv2DInfo): { rows: number; cols: number } {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci } = c;
  const { outHeight: OH, outWidth: OW, outChannels: Co, filterHeight: KH, filterWidth: KW } = c;
  if (kind === 'forward') return { rows: B * OH * OW, cols: Co };
  if (kind === 'inputGrad') return { rows: B * H * W, cols: Ci };
  return { rows: KH * KW * Ci, cols: Co };
}

/** vec4 column groups per invocation: 2 (8 columns) where there are 8 or more. */
export const convTileN4 = (cols: number) => (cols >= 8 ? 2 : 1);

/** Workgroups for `kind`: columns along x, row blocks along y, 32 invocations each. */
export function convDispatch(kind: ConvKind, c: Conv2DInfo): [number, number, number] {
  const { rows, cols } = convMatrix(kind, c);
  const colGroups = Math.ceil(cols / (4 * convTileN4(cols)));
  const wx = Math.min(WORKGROUP, 2 ** Math.ceil(Math.log2(colGroups)));
  const S = rowSpacing(kind, c);
  const rowTiles = Math.ceil(rows / (TILE_M * S)) * S;
  return [Math.ceil(colGroups / wx), Math.ceil(rowTiles / (WORKGROUP / wx)), 1];
}

/**
 * Spacing of an invocation's rows. For the input gradient with column stride sw > 1, a tap
 * (ky, kx) reaches only the input columns ix with (ix + pl − kx) divisible by sw; an invocation
 * whose rows are sw apart (…, ix, ix + sw, …) finds a tap valid for all of its rows or, mostly,
 * for none, and then skips the tap's whole channel loop (3 of 4 taps at stride 2).
 * Rows are grouped in blocks of TILE_M·S; invocation t takes rows block(t / S) + t mod S + i·S.
 */
export function rowSpacing(kind: ConvKind, c: Conv2DInfo): number {
  return kind === 'inputGrad' ? c.strideWidth : 1;
}

function workgroupOf(kind: ConvKind, c: Conv2DInfo): [number, number, number] {
  const { cols } = convMatrix(kind, c);
  const colGroups = Math.ceil(cols / (4 * convTileN4(cols)));
  const wx = Math.min(WORKGROUP, 2 ** Math.ceil(Math.log2(colGroups)));
  return [wx, WORKGROUP / wx, 1];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** WGSL for fn main() of `kind`; inputs are X, W (forward), DY, W (inputGrad) or X, DY. */
export function convSource(kind: ConvKind, c: Conv2DInfo): string {
  const { inHeight: H, inWidth: W, inChannels: Ci } = c;
  const { outHeight: OH, outWidth: OW, outChannels: Co, filterWidth: KW } = c;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = c;
  const { top: pt, left: pl } = c.padInfo;
  const { rows: M, cols: N } = convMatrix(kind, c);
  const tileN4 = convTileN4(N);
  const rows = range(TILE_M);
  const groups = range(tileN4);
  const L: string[] = [];
  L.push(`if (uniforms.outShape.x < 1) { return; }`); // keeps the uniform binding
  const S = rowSpacing(kind, c);
  L.push(`let t = i32(globalId.y);`);
  L.push(`let row0 = (t / ${S}) * ${TILE_M * S} + t % ${S};`);
  L.push(`let col0 = i32(globalId.x) * ${4 * tileN4};`);
  L.push(`if (row0 >= ${M} || col0 >= ${N}) { return; }`);
  for (const i of rows) L.push(`let r${i} = min(row0 + ${i * S}, ${M - 1});`);
  for (const j of range(4 * tileN4)) L.push(`let c${j} = min(col0 + ${j}, ${N - 1});`);
  for (const i of rows) for (const g of groups) L.push(`var acc${i}_${g} = vec4<f32>(0.0);`);
  const fma = () => {
    for (const i of rows)
      for (const g of groups) L.push(`acc${i}_${g} = fma(vec4<f32>(a${i}), f${g}, acc${i}_${g});`);
  };
  const vec = (at: (j: number) => string) =>
    groups.map(
      (g) =>
        `let f${g} = vec4<f32>(${range(4)
          .map((j) => at(4 * g + j))
          .join(', ')});`,
    );
  if (kind === 'filterGrad') {
    // Row r = (ky, kx, ci); inner (b, oy, ox); a = x tap, b = dy row.
    for (const i of rows) {
      L.push(`let ky${i} = r${i} / ${KW * Ci}; let kx${i} = (r${i} / ${Ci}) % ${KW};`);
      L.push(`let ci${i} = r${i} % ${Ci};`);
      L.push(`let oyOff${i} = ky${i} * ${dh} - ${pt}; let oxOff${i} = kx${i} * ${dw} - ${pl};`);
    }
    L.push(
      `for (var b = 0; b < uniforms.loop0; b++) { for (var oy = 0; oy < uniforms.loop1; oy++) {`,
    );
    for (const i of rows) {
      L.push(`let iy${i} = oy * ${sh} + oyOff${i};`);
      L.push(`let yOk${i} = iy${i} >= 0 && iy${i} < ${H};`);
      L.push(`let xRow${i} = (b * ${H} + iy${i}) * ${W};`);
    }
    L.push(`for (var ox = 0; ox < uniforms.loop2; ox++) {`);
    L.push(`let q = ((b * ${OH} + oy) * ${OW} + ox) * ${Co};`);
    L.push(...vec((j) => `DY[q + c${j}]`));
    for (const i of rows) {
      L.push(`let ix${i} = ox * ${sw} + oxOff${i};`);
      L.push(`let ok${i} = yOk${i} && ix${i} >= 0 && ix${i} < ${W};`);
      L.push(
        `let a${i} = select(0.0, X[select(0, (xRow${i} + ix${i}) * ${Ci} + ci${i}, ok${i})], ok${i});`,
      );
    }
    fma();
    L.push(`}}}`);
  } else {
    // Row r = (b, py, px) of the output grid; inner (ky, kx, channel).
    const [PH, PW] = kind === 'forward' ? [OH, OW] : [H, W];
    for (const i of rows) {
      L.push(`let b${i} = r${i} / ${PH * PW}; let py${i} = (r${i} / ${PW}) % ${PH};`);
      L.push(`let px${i} = r${i} % ${PW};`);
    }
    L.push(
      `for (var ky = 0; ky < uniforms.loop0; ky++) { for (var kx = 0; kx < uniforms.loop1; kx++) {`,
    );
    for (const i of rows) {
      if (kind === 'forward') {
        L.push(`let sy${i} = py${i} * ${sh} - ${pt} + ky * ${dh};`);
        L.push(`let sx${i} = px${i} * ${sw} - ${pl} + kx * ${dw};`);
        L.push(`let ok${i} = sy${i} >= 0 && sy${i} < ${H} && sx${i} >= 0 && sx${i} < ${W};`);
        L.push(`let base${i} = ((b${i} * ${H} + sy${i}) * ${W} + sx${i}) * ${Ci};`);
      } else {
        L.push(
          `let ty${i} = py${i} + ${pt} - ky * ${dh}; let tx${i} = px${i} + ${pl} - kx * ${dw};`,
        );
        L.push(
          `let ok${i} = ty${i} >= 0 && tx${i} >= 0 && ty${i} % ${sh} == 0 && tx${i} % ${sw} == 0` +
            ` && ty${i} / ${sh} < ${OH} && tx${i} / ${sw} < ${OW};`,
        );
        L.push(
          `let base${i} = ((b${i} * ${OH} + ty${i} / ${sh}) * ${OW} + tx${i} / ${sw}) * ${Co};`,
        );
      }
    }
    if (kind === 'inputGrad')
      L.push(`if (!(${rows.map((i) => `ok${i}`).join(' || ')})) { continue; }`);
    L.push(`let tap = ky * ${KW} + kx;`);
    L.push(`for (var ch = 0; ch < uniforms.loop2; ch++) {`);
    const src = kind === 'forward' ? 'X' : 'DY';
    for (const i of rows)
      L.push(`let a${i} = select(0.0, ${src}[select(0, base${i} + ch, ok${i})], ok${i});`);
    if (kind === 'forward') L.push(...vec((j) => `W[(tap * ${Ci} + ch) * ${Co} + c${j}]`));
    else L.push(...vec((j) => `W[(tap * ${Ci} + c${j}) * ${Co} + ch]`));
    fma();
    L.push(`}}}`);
  }
  for (const i of rows)
    for (const j of range(4 * tileN4))
      L.push(
        `if (row0 + ${i * S} < ${M} && col0 + ${j} < ${N}) { ` +
          `result[(row0 + ${i * S}) * ${N} + col0 + ${j}] = acc${i}_${j >> 2}.${'xyzw'[j & 3]}; }`,
      );
  return `fn main() {\n  ${L.join('\n  ')}\n}\n`;
}

/**
 * The loop bounds, passed as uniforms (loop0, loop1, loop2) rather than written into the source:
 * SwiftShader's compiler fully unrolls short constant loops (3 × 3 taps × a few channels × the
 * 8-row body), which took ~20 s per shader; with uniform bounds it compiles in well under one.
 *   filterGrad: (B, OH, OW)    forward: (KH, KW, Ci)    inputGrad: (KH, KW, Co)
 */
export function convLoopBounds(kind: ConvKind, c: Conv2DInfo): ProgramUniform[] {
  const bounds =
    kind === 'filterGrad'
      ? [c.batchSize, c.outHeight, c.outWidth]
      : [c.filterHeight, c.filterWidth, kind === 'forward' ? c.inChannels : c.outChannels];
  return bounds.map((b) => ({ type: 'int32', data: [b] }));
}

/**
 * The program for backend.runWebGPUProgram(program, inputs, 'float32', convLoopBounds(…));
 * output [rows, cols].
 */
export function convProgram(kind: ConvKind, c: Conv2DInfo): WebGpuProgramLike {
  const { rows, cols } = convMatrix(kind, c);
  const key = [
    kind,
    ...c.inShape,
    ...c.filterShape,
    ...c.outShape,
    c.strideHeight,
    c.strideWidth,
    c.dilationHeight,
    c.dilationWidth,
    c.padInfo.top,
    c.padInfo.left,
  ];
  const names = { forward: ['X', 'W'], inputGrad: ['DY', 'W'], filterGrad: ['X', 'DY'] }[kind];
  return {
    variableNames: names,
    variableComponents: [1, 1],
    outputShape: [rows, cols],
    outputComponent: 1,
    shaderKey: `latentLabConv_${key.join('_')}`,
    uniforms: 'loop0 : i32, loop1 : i32, loop2 : i32,',
    dispatchLayout: { x: [1], y: [0] },
    dispatch: convDispatch(kind, c),
    workgroupSize: workgroupOf(kind, c),
    getUserCode: () => convSource(kind, c),
  };
}
