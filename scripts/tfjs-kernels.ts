/**
 * Build plugin: the built app's TF.js carries only the kernels our models run (TFJS_KERNELS
 * below) instead of all ~170 per backend, about 100 kB gzip less. In `vite build` of the worker:
 * - `import '@tensorflow/tfjs-backend-webgl'` (and cpu, webgpu, wasm) resolves to a module that
 *   re-exports the package's base (the backend and its API, as the package's index does) and
 *   registers those of its kernels that are on the list;
 * - '@tensorflow/tfjs-core/dist/register_all_gradients' registers the gradients of those kernels
 *   only (the others' gradient code, and the ops only it uses, drop out);
 * - the webgl and webgpu backends' kernel_utils/shared.js take tfjs-backend-cpu's shared kernel
 *   code by named re-exports rather than a destructured namespace, so that what no registered
 *   kernel uses is tree-shaken (string, ragged and sparse kernels, and the `long` library);
 * - tfjs-core's `import * as seedrandom from 'seedrandom'` gets the one generator it calls (alea)
 *   rather than all seven.
 * The dev server and the unit tests keep the full packages.
 *
 * The list is checked: tests/unit/tf-setup.ts records every kernel the unit tests run and fails
 * a test file that runs one not on it. A kernel missing from the list fails in the built app with
 * "Kernel 'X' not registered for backend 'webgl'": add it here (one line) when a model starts
 * using a new op. Deep imports (e.g. '@tensorflow/tfjs-backend-cpu/dist/shared') are untouched.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** Kernel names (tfjs-core's kernel_names), by why they are here. */
export const TFJS_KERNELS: readonly string[] = [
  // Run by training, evaluation and the inspections (recorded from the unit tests).
  ...['Abs', 'Add', 'AddN', 'ArgMax', 'ArgMin', 'BatchMatMul', 'Cast', 'ClipByValue', 'Concat'],
  ...['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Exp', 'ExpandDims', 'Fill'],
  ...['Floor', 'GatherV2', 'Greater', 'Identity', 'Less', 'Log', 'Log1p', 'Max', 'Maximum'],
  ...['Mean', 'Multiply', 'Neg', 'OneHot', 'OnesLike', 'Pack', 'Pow', 'Range', 'RealDiv'],
  ...['Relu', 'Reshape', 'Select', 'Sigmoid', 'Slice', 'Softmax', 'Sqrt', 'Square'],
  ...['SquaredDifference', 'Step', 'Sub', 'Sum', 'Tanh', 'Tile', 'ZerosLike'],
  // What the gradients of those ops run (tfjs-core's gradients/*_grad).
  ...['SplitV', 'PadV2', 'UnsortedSegmentSum', 'Transpose', 'Equal', 'Unpack', 'LogicalAnd'],
  ...['LogicalNot', 'GreaterEqual', 'LessEqual'],
  // Small and common, so that a minor change to a model does not need this list at once.
  ...['Minimum', 'Min', 'Prod', 'NotEqual', 'LogicalOr', 'Sign', 'Reciprocal', 'Rsqrt'],
  ...['Softplus', 'StridedSlice', 'IsNan', 'Round'],
  // GLO's sparse code steps (ops/sparse-rows.ts).
  'TensorScatterUpdate',
  // The token prior's sampling (models/token-prior.ts generate: top-k, then a categorical draw).
  ...['TopK', 'Multinomial'],
];

/** Kernel file names (dist/kernels/<file>.js) that differ from the kernel's name. */
const FILE_OF: Record<string, string> = { IsNan: 'IsNaN', FusedBatchNorm: 'BatchNorm' };

const BACKENDS = ['cpu', 'webgl', 'webgpu', 'wasm'] as const;
const PREFIX = '\0tfjs-backend-';
const GRADIENTS = '\0tfjs-gradients';
const SEEDRANDOM = '\0tfjs-seedrandom';
const ALL_GRADIENTS = /^@tensorflow\/tfjs-core\/dist\/register_all_gradients(\.js)?$/;
const SHARED =
  /[\\/]@tensorflow[\\/]tfjs-backend-(webgl|webgpu)[\\/]dist[\\/]kernel_utils[\\/]shared\.js$/;

/** The code of the module that stands in for '@tensorflow/tfjs-backend-<name>'. */
export function backendModule(dist: string, kernels: readonly string[]): string {
  const all = readFileSync(join(dist, 'register_all_kernels.js'), 'utf8');
  const files = new Set(kernels.map((k) => FILE_OF[k] ?? k));
  const imports: string[] = [];
  const configs: string[] = [];
  for (const m of all.matchAll(/import \{ (\w+) \} from '\.\/kernels\/(\w+)';/g)) {
    const [, config, file] = m as unknown as [string, string, string];
    if (!files.has(file)) continue;
    imports.push(
      `import { ${config} } from ${JSON.stringify(join(dist, 'kernels', file + '.js'))};`,
    );
    configs.push(config);
  }
  if (configs.length === 0) throw new Error(`tfjs-kernels: no kernel of the list found in ${dist}`);
  return [
    `export * from ${JSON.stringify(join(dist, 'base.js'))};`,
    "import { registerKernel } from '@tensorflow/tfjs-core';",
    ...imports,
    `for (const config of [${configs.join(', ')}]) registerKernel(config);`,
  ].join('\n');
}

/** The code that stands in for tfjs-core's register_all_gradients. */
export function gradientsModule(dist: string, kernels: readonly string[]): string {
  const all = readFileSync(join(dist, 'register_all_gradients.js'), 'utf8');
  const wanted = new Set(kernels);
  const imports: string[] = [];
  const configs: string[] = [];
  for (const m of all.matchAll(/import \{ (\w+) \} from '\.\/gradients\/(\w+)_grad';/g)) {
    const [, config, kernel] = m as unknown as [string, string, string];
    if (!wanted.has(kernel)) continue;
    imports.push(
      `import { ${config} } from ${JSON.stringify(join(dist, 'gradients', kernel + '_grad.js'))};`,
    );
    configs.push(config);
  }
  if (configs.length === 0) throw new Error(`tfjs-kernels: no gradient of the list in ${dist}`);
  return [
    "import { registerGradient } from '@tensorflow/tfjs-core';",
    ...imports,
    `for (const config of [${configs.join(', ')}]) registerGradient(config);`,
  ].join('\n');
}

/**
 * kernel_utils/shared.js of webgl/webgpu: `import * as shared from X; const { a: b, … } = shared;
 * export { b, … };` becomes `export { a as b, … } from X;`. Null if the file is not that shape.
 */
export function namedSharedImports(code: string): string | null {
  const body = code
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .trim();
  const m =
    /^import \* as shared from '([^']+)';\s*const \{([^}]*)\} = shared;\s*export \{([^}]*)\};$/.exec(
      body,
    );
  if (!m) return null;
  const [, from, destructured, exported] = m as unknown as [string, string, string, string];
  const pairs = destructured
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split(':').map((x) => x.trim()) as [string, string]);
  const names = exported
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (pairs.some((p) => p.length !== 2) || names.length !== pairs.length) return null;
  if (!names.every((n) => pairs.some(([, alias]) => alias === n))) return null;
  return `export { ${pairs.map(([name, alias]) => `${name} as ${alias}`).join(', ')} } from '${from}';\n`;
}

/** For `vite build` (worker bundles: list it in `worker.plugins`). */
export function tfjsKernelsPlugin(kernels: readonly string[] = TFJS_KERNELS): Plugin {
  const resolvePackage = createRequire(import.meta.url).resolve;
  return {
    name: 'latent-lab-tfjs-kernels',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (ALL_GRADIENTS.test(source)) return GRADIENTS;
      if (source === 'seedrandom' && /[\\/]@tensorflow[\\/]tfjs-core[\\/]/.test(importer ?? ''))
        return SEEDRANDOM;
      const m = /^@tensorflow\/tfjs-backend-(\w+)$/.exec(source);
      if (!m || !(BACKENDS as readonly string[]).includes(m[1]!)) return null;
      return PREFIX + m[1];
    },
    load(id) {
      if (id === SEEDRANDOM) {
        const alea = join(dirname(resolvePackage('seedrandom/package.json')), 'lib', 'alea.js');
        return `import alea from ${JSON.stringify(alea)};\nexport { alea };\n`;
      }
      if (id === GRADIENTS) {
        const pkg = resolvePackage('@tensorflow/tfjs-core/package.json');
        return gradientsModule(join(dirname(pkg), 'dist'), kernels);
      }
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
      const pkg = resolvePackage(`@tensorflow/tfjs-backend-${name}/package.json`);
      return backendModule(join(dirname(pkg), 'dist'), kernels);
    },
    transform(code, id) {
      if (!SHARED.test(id)) return null;
      const named = namedSharedImports(code);
      if (named === null) this.warn(`tfjs-kernels: ${id} has changed shape; left as it is`);
      return named;
    },
  };
}
