// Test page of tests/browser/webgpu-kernels.test.mjs: our webgpu kernels
// (src/backends/webgpu/webgpu-kernels: AddN of any number of inputs) against TF.js's cpu backend
// on the same inputs. Starts webgpu the app's way, runs every case there, then again on cpu, and
// shows the largest relative error of each case and how often the stock AddN kernel ran.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../../src/ops/register-gradients';
import { describeGpu, startOnlyBackend } from '../../../src/backends/setup';
import { installWebgpuKernels } from '../../../src/backends/webgpu/webgpu-kernels';
import { spyOnStock } from '../../unit/kernel-spy';

const out = document.getElementById('out') as HTMLElement;

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return v;
}

/** tol: the largest error |ours − cpu| / max(1, |cpu|) allowed. */
type Case = { name: string; inputs: number[][]; run: (xs: tf.Tensor[]) => tf.Tensor; tol: number };

const addN = (count: number, shape: number[]): Case => ({
  name: `addN of ${count} [${shape}]`,
  inputs: Array<number[]>(count).fill(shape),
  run: (xs) => tf.addN(xs),
  tol: 1e-5,
});

// More tensors than a shader may bind (8 storage buffers on SwiftShader): one and two rounds of
// groups; and few enough for the stock kernel alone.
const CASES: Case[] = [addN(11, [5, 3]), addN(20, [4, 7]), addN(3, [6])];

async function runAll(cases: Case[], inputs: Float32Array[][]): Promise<Float32Array[]> {
  const results: Float32Array[] = [];
  for (const [i, c] of cases.entries()) {
    const xs = c.inputs.map((shape, j) => tf.tensor(inputs[i]![j]!, shape));
    const y = tf.tidy(() => c.run(xs));
    results.push((await y.data()) as Float32Array);
    tf.dispose([...xs, y]);
  }
  return results;
}

async function main() {
  await startOnlyBackend('webgpu');
  const gpu = await describeGpu('webgpu');
  const device = (tf.backend() as unknown as { device: GPUDeviceLike }).device;
  const inputs = CASES.map((c, i) =>
    c.inputs.map((shape, j) =>
      values(
        shape.reduce((p, d) => p * d, 1),
        100 * i + j + 1,
      ),
    ),
  );
  const before = tf.memory().numTensors;
  // Calls of TF.js's own AddN under our override, per case.
  const stockAddN: number[] = [];
  const ours: Float32Array[] = [];
  for (const [i, c] of CASES.entries()) {
    const spy = spyOnStock('webgpu', 'AddN', installWebgpuKernels);
    ours.push(...(await runAll([c], [inputs[i]!])));
    stockAddN.push(spy.calls);
    spy.restore();
  }
  const leaked = tf.memory().numTensors - before;
  await tf.setBackend('cpu');
  const ref = await runAll(CASES, inputs);
  const errors = CASES.map((c, i) => {
    const a = ours[i]!;
    const b = ref[i]!;
    let err = a.length === b.length ? 0 : Infinity;
    for (let j = 0; j < b.length; j++)
      err = Math.max(err, Math.abs(a[j]! - b[j]!) / Math.max(1, Math.abs(b[j]!)));
    return { name: c.name, err, tol: c.tol, inputs: c.inputs.length, stockCalls: stockAddN[i] };
  });
  return {
    software: gpu?.software ?? null,
    summary: gpu?.summary ?? null,
    maxBuffers: device.limits.maxStorageBuffersPerShaderStage,
    leaked,
    errors,
  };
}

interface GPUDeviceLike {
  limits: { maxStorageBuffersPerShaderStage: number };
}

main().then(
  (r) => {
    out.textContent = JSON.stringify(r);
    out.dataset.done = 'true';
  },
  (e: Error) => {
    out.textContent = JSON.stringify({ error: `${e.message}\n${e.stack}` });
    out.dataset.done = 'true';
  },
);
