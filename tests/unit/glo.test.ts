// GLO: the unit-ball projection and the sparse row steps against direct computations; a training
// step moves exactly the batch's codes, by the step its optimiser prescribes; the PCA start; the
// inferred codes of new images; checkpoints and run files carry the code table; no leaks.
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/contracts/config';
import { Glo } from '../../src/models/glo';
import { projectToUnitBall, rowAdamState, sparseRowStep } from '../../src/ops/sparse-rows';
import { reconstructionNll } from '../../src/ops/reconstruction';
import { encodeCheckpoint, loadCheckpointWeights } from '../../src/train/checkpoint';
import { captureRun, restoreRun } from '../../src/train/run-state';
import { Trainer } from '../../src/train/trainer';
import { dataset } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const config: TrainConfig = {
  ...TRAIN_DEFAULTS,
  model: 'glo',
  hiddenDim: 16,
  latentDim: 3,
  batchSize: 4,
  inferSteps: 5,
};

/** Rows of a row-major table as arrays. */
async function rows(t: tf.Tensor): Promise<number[][]> {
  return (await t.array()) as number[][];
}

function expectRowsClose(actual: number[], expected: number[], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, j) => expect(Math.abs(v - expected[j]!)).toBeLessThanOrEqual(tol));
}

describe('unit ball', () => {
  it('scales rows outside the ball onto the sphere and leaves the others as they are', async () => {
    const z = [
      [3, 4, 0], // norm 5
      [0.1, -0.2, 0.3], // inside
      [0, 0, 0],
      [-1, 1, -1], // norm √3
    ];
    const out = await rows(projectToUnitBall(tf.tensor2d(z)));
    z.forEach((row, i) => {
      const norm = Math.hypot(...row);
      const expected = norm > 1 ? row.map((v) => v / norm) : row;
      expectRowsClose(out[i]!, expected, 1e-6);
      expect(Math.hypot(...out[i]!)).toBeLessThanOrEqual(1 + 1e-6);
    });
  });
});

describe('sparse row steps', () => {
  const table0 = [
    [0.5, 0.1],
    [-0.2, 0.3],
    [0.9, -0.4],
    [0.0, 0.2],
    [0.3, 0.3],
  ];
  const idx = [3, 0];
  const g = [
    [1.5, -2],
    [0.25, 40],
  ];
  const ball = (r: number[]) => {
    const n = Math.hypot(...r);
    return n > 1 ? r.map((v) => v / n) : r;
  };

  it('SGD moves only the named rows, by −η g, then into the ball', async () => {
    const table = tf.variable(tf.tensor2d(table0));
    sparseRowStep(table, tf.tensor1d(idx, 'int32'), tf.tensor2d(g), 0.1, null);
    const out = await rows(table);
    table0.forEach((row, i) => {
      const k = idx.indexOf(i);
      if (k < 0) expect(out[i]).toEqual(row.map(Math.fround));
      else expectRowsClose(out[i]!, ball(row.map((v, j) => v - 0.1 * g[k]![j]!)));
    });
    table.dispose();
  });

  it('Adam keeps a step count and moments per row: only the batch rows move, twice as written', async () => {
    const table = tf.variable(tf.tensor2d(table0));
    const state = rowAdamState(5, 2, 'test-adam');
    const lr = 0.05;
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    // Reference: lazy Adam by hand, rows 3 and 0 twice, row 1 once.
    const ref = table0.map((r) => [...r]);
    const m = table0.map(() => [0, 0]);
    const v = table0.map(() => [0, 0]);
    const t = table0.map(() => 0);
    const step = (ids: number[], grads: number[][]) =>
      ids.forEach((i, k) => {
        t[i]! += 1;
        const next = ref[i]!.map((z, j) => {
          const gj = grads[k]![j]!;
          m[i]![j] = b1 * m[i]![j]! + (1 - b1) * gj;
          v[i]![j] = b2 * v[i]![j]! + (1 - b2) * gj * gj;
          const mHat = m[i]![j]! / (1 - b1 ** t[i]!);
          const vHat = v[i]![j]! / (1 - b2 ** t[i]!);
          return z - (lr * mHat) / (Math.sqrt(vHat) + eps);
        });
        ref[i] = ball(next);
      });
    const batches: [number[], number[][]][] = [
      [idx, g],
      [
        [1, 3],
        [
          [-3, 1],
          [0.5, 0.5],
        ],
      ],
    ];
    for (const [ids, grads] of batches) {
      sparseRowStep(table, tf.tensor1d(ids, 'int32'), tf.tensor2d(grads), lr, state);
      step(ids, grads);
    }
    const out = await rows(table);
    out.forEach((row, i) => expectRowsClose(row, ref[i]!));
    expect(out[2]).toEqual([0.9, -0.4].map((x) => Math.fround(x)));
    expect(out[4]).toEqual([0.3, 0.3].map((x) => Math.fround(x)));
    expect(Array.from(await state.t.data())).toEqual([1, 1, 0, 2, 0]);
    table.dispose();
    for (const s of [state.m, state.v, state.t]) s.dispose();
  });
});

describe('GLO in the trainer', () => {
  it('a step moves exactly the batch’s codes, by the first Adam step on their own gradients', async () => {
    const data = dataset(12);
    const t = new Trainer(data, { ...config, codeLearningRate: 0.02 });
    await t.prepare();
    const model = t.model as Glo;
    const before = await rows(model.table);
    const batch = t.position().order.slice(0, 4);
    // Independent reference: ∂/∂z of each image's −log p(x | g(z)) at the step's weights.
    const x = tf.div(
      tf.tensor2d(
        Array.from(batch).flatMap((i) =>
          Array.from(data.train.images.subarray(i * 784, (i + 1) * 784)),
        ),
        [4, 784],
      ),
      255,
    ) as tf.Tensor2D;
    const z = tf.tensor2d(Array.from(batch).map((i) => before[i]!));
    const g = await rows(
      tf.grad((zz: tf.Tensor) =>
        tf.sum(reconstructionNll(model.decode(zz as tf.Tensor2D), x, 'bernoulli', 0.1)),
      )(z),
    );
    t.trainStep();
    await t.flush();
    const after = await rows(model.table);
    for (let i = 0; i < 12; i++) {
      const k = Array.from(batch).indexOf(i);
      if (k < 0) {
        expect(after[i]).toEqual(before[i]); // bit for bit
        continue;
      }
      // First Adam step: −η · g/(|g| + ε') per coordinate (m̂ = g, v̂ = g²), then the ball.
      const moved = before[i]!.map((v, j) => v - (0.02 * g[k]![j]!) / (Math.abs(g[k]![j]!) + 1e-8));
      const n = Math.hypot(...moved);
      expectRowsClose(after[i]!, n > 1 ? moved.map((v) => v / n) : moved, 1e-4);
      expect(after[i]).not.toEqual(before[i]);
    }
    t.dispose();
  });

  it('trains without leaking tensors (training, evaluation, samples)', async () => {
    const t = new Trainer(dataset(16), config);
    await t.prepare();
    t.trainStep();
    await t.flush();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) t.trainStep();
    await t.flush();
    await t.evaluate();
    await t.sample(3, 1);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('starts from PCA: codes uncorrelated, variance decreasing by axis, the largest of norm 1', async () => {
    const t = new Trainer(dataset(40), { ...config, latentDim: 2 });
    await t.prepare();
    const z = await rows((t.model as Glo).table);
    const n = z.length;
    const mean = [0, 1].map((j) => z.reduce((a, r) => a + r[j]!, 0) / n);
    const cov = (a: number, b: number) =>
      z.reduce((s, r) => s + (r[a]! - mean[a]!) * (r[b]! - mean[b]!), 0) / n;
    // 50 power iterations on 40 random images (close eigenvalues): nearly, not exactly, diagonal.
    expect(Math.abs(cov(0, 1))).toBeLessThan(1e-2 * Math.sqrt(cov(0, 0) * cov(1, 1)));
    expect(cov(0, 0)).toBeGreaterThan(cov(1, 1));
    expect(Math.max(...z.map((r) => Math.hypot(...r)))).toBeCloseTo(1, 5);
    t.dispose();
  });

  it('infers a code for a new image that fits it better than z = 0, inside the ball', async () => {
    const t = new Trainer(dataset(16), { ...config, inferSteps: 30 });
    await t.prepare();
    for (let i = 0; i < 20; i++) t.trainStep();
    await t.flush();
    const model = t.model as Glo;
    const x = tf.div(tf.tensor2d(dataset(3).test.images.slice(0, 3 * 784), [3, 784]), 255);
    const z = model.infer(x as tf.Tensor2D);
    const fit = await reconstructionNll(model.decode(z), x as tf.Tensor2D, 'bernoulli', 1).data();
    const zero = await reconstructionNll(
      model.decode(tf.zeros([3, 3])),
      x as tf.Tensor2D,
      'bernoulli',
      1,
    ).data();
    fit.forEach((v, i) => expect(v).toBeLessThan(zero[i]!));
    (await rows(z)).forEach((r) => expect(Math.hypot(...r)).toBeLessThanOrEqual(1 + 1e-6));
    t.dispose();
  });

  it('refuses a training batch without its indices', () => {
    const t = new Trainer(dataset(8), config);
    const x = tf.zeros([2, 784]) as tf.Tensor2D;
    expect(() => t.model.loss(x, { step: 1, seed: 1, training: true })).toThrow(/indices/);
    t.dispose();
  });
});

describe('GLO checkpoints and run files', () => {
  it('a checkpoint carries the code table: a fresh model with it decodes and embeds the same', async () => {
    const data = dataset(12);
    const a = new Trainer(data, config);
    await a.prepare();
    for (let i = 0; i < 4; i++) a.trainStep();
    await a.flush();
    const { meta, weights } = await encodeCheckpoint(a.model, config, {
      step: 4,
      epoch: 1,
      dataset: data.id,
    });
    expect(meta.weightSpecs.at(-1)!.shape).toEqual([12, 3]);
    const b = new Trainer(data, { ...config, seed: 9 });
    loadCheckpointWeights(b.model, JSON.parse(JSON.stringify(meta)), weights);
    expect(await rows((b.model as Glo).table)).toEqual(await rows((a.model as Glo).table));
    const x = tf.div(tf.tensor2d(data.test.images.slice(0, 2 * 784), [2, 784]), 255);
    expect(await b.model.embed(x as tf.Tensor2D).array()).toEqual(
      await a.model.embed(x as tf.Tensor2D).array(),
    );
    // A table for another training set is refused with its shapes.
    const other = new Trainer(dataset(10), config);
    expect(() => loadCheckpointWeights(other.model, meta, weights)).toThrow(
      /shape \[12, 3\], the model expects \[10, 3\]/,
    );
    for (const t of [a, b, other]) t.dispose();
  });

  it('a run file restores the codes and their per-row Adam state: training continues identically', async () => {
    const data = dataset(12);
    const original = new Trainer(data, config);
    await original.prepare();
    for (let i = 0; i < 5; i++) original.trainStep(); // past an epoch: some rows stepped twice
    await original.flush();
    const snap = await captureRun(original, config, data.id);
    const { trainer: copy } = await restoreRun(
      data,
      JSON.parse(JSON.stringify(snap.meta)),
      snap.weights,
      snap.state,
      snap.order,
    );
    const [a, b] = [original, copy].map((t) => (t.model as Glo).table);
    const [sa, sb] = [original, copy].map((t) => t.model.stateVariables!);
    expect(await rows(b!)).toEqual(await rows(a!));
    for (let i = 0; i < 3; i++) expect(await sb![i]!.array()).toEqual(await sa![i]!.array());
    for (const t of [original, copy]) for (let i = 0; i < 3; i++) t.trainStep();
    // TF.js's Adam recomputes β^t as a power when its state is loaded (repeated products while it
    // runs), so the decoder, and through it the codes, agree to rounding after the restore.
    const [ra, rb] = [await rows(a!), await rows(b!)];
    ra.forEach((row, i) => expectRowsClose(rb[i]!, row, 1e-5));
    expect(Array.from(await sb![2]!.data())).toEqual(Array.from(await sa![2]!.data()));
    // Control: the per-row step counts are not all zero (past an epoch, rows stepped more than once).
    expect(Math.max(...(await sa![2]!.data()))).toBeGreaterThan(1);
    original.dispose();
    copy.dispose();
  });
});
