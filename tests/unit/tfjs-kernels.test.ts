// scripts/tfjs-kernels.ts: the modules that stand in for the TF.js backends and gradients in
// the built app register exactly the listed kernels each package has, and the list names real
// kernels. (That the unit tests run no kernel off the list is checked in tf-setup.ts; the
// browser tests train with these modules on wasm.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import {
  TFJS_KERNELS,
  backendModule,
  gradientsModule,
  namedSharedImports,
} from '../../scripts/tfjs-kernels';

const resolve = createRequire(import.meta.url).resolve;
const distOf = (pkg: string) => join(dirname(resolve(`${pkg}/package.json`)), 'dist');
/** File names of the kernels (or gradients) a generated module imports. */
const importedFiles = (code: string, folder: string) =>
  [...code.matchAll(new RegExp(`[\\\\/]${folder}[\\\\/](\\w+)\\.js"`, 'g'))].map((m) => m[1]!);
/** File names the package's own register_all_* imports. */
const allFiles = (file: string, folder: string) =>
  [...readFileSync(file, 'utf8').matchAll(new RegExp(`from '\\./${folder}/(\\w+)'`, 'g'))].map(
    (m) => m[1]!,
  );
const fileOf = (kernel: string) => (kernel === 'IsNan' ? 'IsNaN' : kernel);

test('the list names kernels that tfjs-core defines, once each', () => {
  const names = new Set<unknown>(Object.values(tf).filter((v) => typeof v === 'string'));
  expect(TFJS_KERNELS.filter((k) => !names.has(k))).toEqual([]);
  expect(new Set(TFJS_KERNELS).size).toBe(TFJS_KERNELS.length);
});

describe.each(['cpu', 'webgl', 'webgpu', 'wasm'])('tfjs-backend-%s', (name) => {
  const dist = distOf(`@tensorflow/tfjs-backend-${name}`);
  const code = backendModule(dist, TFJS_KERNELS);

  test('re-exports the base and registers the listed kernels the package has', () => {
    expect(code).toContain(`export * from ${JSON.stringify(join(dist, 'base.js'))};`);
    const available = new Set(allFiles(join(dist, 'register_all_kernels.js'), 'kernels'));
    const expected = TFJS_KERNELS.map(fileOf).filter((f) => available.has(f));
    expect(importedFiles(code, 'kernels').sort()).toEqual(expected.sort());
    // Far fewer than all: the point of the exercise.
    expect(expected.length).toBeLessThan(available.size / 2);
  });
});

test('the CPU backend (every backend’s fallback) has every listed kernel', () => {
  const available = new Set(
    allFiles(join(distOf('@tensorflow/tfjs-backend-cpu'), 'register_all_kernels.js'), 'kernels'),
  );
  expect(TFJS_KERNELS.map(fileOf).filter((f) => !available.has(f))).toEqual([]);
});

test('gradients: those of the listed kernels, and only those', () => {
  const dist = distOf('@tensorflow/tfjs-core');
  const code = gradientsModule(dist, TFJS_KERNELS);
  const all = allFiles(join(dist, 'register_all_gradients.js'), 'gradients').map((f) =>
    f.replace(/_grad$/, ''),
  );
  const expected = all.filter((k) => TFJS_KERNELS.includes(k));
  expect(importedFiles(code, 'gradients').map((f) => f.replace(/_grad$/, ''))).toEqual(expected);
  expect(expected).toContain('Conv2D');
  expect(expected).not.toContain('Conv3D');
});

test.each(['webgl', 'webgpu'])(
  'tfjs-backend-%s: shared CPU code is re-exported by name, the same names',
  (name) => {
    const file = join(distOf(`@tensorflow/tfjs-backend-${name}`), 'kernel_utils', 'shared.js');
    const original = readFileSync(file, 'utf8');
    const named = namedSharedImports(original);
    expect(named).not.toBeNull();
    const exported = (s: string) =>
      [...s.matchAll(/(\w+ImplCPU)\b/g)].map((m) => m[1]!).filter((n, i, a) => a.indexOf(n) === i);
    expect(exported(named!).sort()).toEqual(exported(original).sort());
    expect(named).toMatch(/^export \{ addImpl as addImplCPU, /);
    expect(named).toContain("from '@tensorflow/tfjs-backend-cpu/dist/shared'");
  },
);

test('a file of another shape is left alone', () => {
  expect(namedSharedImports("import { a } from 'x';\nexport { a };\n")).toBeNull();
});
