// Inference, restoration and editing on every model of the zoo, through a real Trainer on the
// CPU backend: the answers' shapes, a falling loss, the encoder's start, stable numTensors over
// repeated batches (and none left after the jobs are disposed), and clear refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_KINDS } from '../../src/contracts/catalog';
import { TRAIN_DEFAULTS } from '../../src/contracts/config';
import type { InferSpec, InspectAnswer, InspectQuery } from '../../src/contracts/inspect';
import { capabilitiesOf, inspect } from '../../src/train/inspect/inspector';
import { InferenceJobs } from '../../src/train/infer/jobs';
import { Trainer } from '../../src/train/trainer';
import { dataset, expectImages, small, step } from './inspect-fixtures';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const KINDS = {
  vae: 'continuous',
  ae: 'continuous',
  vqvae: 'pre-quantised',
  dvae: 'categorical',
  catvae: 'categorical',
  pca: 'continuous',
  glo: 'continuous',
} as const;
/**
 * Models that offer no code to infer: clusters (k-means, the mixture), the conditional VAE, and
 * the prior over codes (its tokenizer is where inference belongs).
 */
const NONE = ['kmeans', 'mixture', 'cvae', 'prior'] as const;
/** GLO has no encoder: no one-shot code, and directions from inferred codes. */
const hasEncoder = (model: string) => model !== 'glo';

const spec = (over: Partial<InferSpec> = {}): InferSpec => ({
  digit: { probe: 3 },
  mask: { kind: 'quadrant', which: 0 },
  start: 'zero',
  loss: 'squared',
  learningRate: 0.1,
  relax: 'soft',
  seed: 1,
  ...over,
});

type Infer = Extract<InspectAnswer, { kind: 'infer' }>;

for (const model of MODEL_KINDS.filter((m) => !(NONE as readonly string[]).includes(m))) {
  describe(`${model}`, () => {
    let trainer: Trainer;
    const jobs = new InferenceJobs();
    beforeAll(async () => {
      trainer = new Trainer(dataset(24), { ...TRAIN_DEFAULTS, ...small, model, latentDim: 2 });
      await step(trainer);
    });
    afterAll(() => {
      jobs.dispose();
      trainer.dispose();
    });

    it('says what code inference optimises', () => {
      const caps = capabilitiesOf(trainer);
      expect(caps.inference?.kind).toBe(KINDS[model as keyof typeof KINDS]);
      expect(caps.inference?.encoder).toBe(hasEncoder(model));
      expect(caps.inference?.editable).toBe(KINDS[model as keyof typeof KINDS] !== 'categorical');
    });

    it('streams batches of steps whose loss falls, and restores the erased quadrant', async () => {
      const first = (await inspect(
        trainer,
        { kind: 'infer', job: 1, spec: spec(), steps: 5, restart: true },
        jobs,
      )) as Infer;
      expect(first.firstStep).toBe(0);
      expect(first.step).toBe(5);
      expect(first.losses).toHaveLength(5);
      expect(first.unit).toBe('squared error per image, summed over 588 visible pixels of 784');
      let last = first;
      for (let i = 0; i < 4; i++)
        last = (await inspect(
          trainer,
          { kind: 'infer', job: 1, spec: spec(), steps: 10, restart: false },
          jobs,
        )) as Infer;
      expect(last.firstStep).toBe(35);
      expect(last.step).toBe(45);
      expect(last.losses[last.losses.length - 1]!).toBeLessThan(first.losses[0]!);
      expectImages(last.reconstruction, 1);
      expectImages(last.input, 1);
      expectImages(last.original, 1);
      // The damaged input is the original with the top-left quadrant at 0.
      for (let p = 0; p < 784; p++) {
        const erased = Math.floor(p / 28) < 14 && p % 28 < 14;
        expect(last.input.pixels[p]).toBe(erased ? 0 : last.original.pixels[p]);
      }
      expect(last.erasedError).not.toBeNull();
      expect(last.erasedError!).toBeGreaterThanOrEqual(0);
      if (KINDS[model as keyof typeof KINDS] === 'continuous') {
        expect(last.axes).toBe('z₁, z₂');
        expect(last.path).toHaveLength(20);
        if (hasEncoder(model)) expect(last.encoder!.point!.every(Number.isFinite)).toBe(true);
        expect(last.discrete).toBeNull();
      } else {
        expect(last.path).toBeNull();
        expectImages(last.discrete!, 1);
      }
      if (hasEncoder(model)) expectImages(last.encoder!.image, 1);
      else expect(last.encoder).toBeNull();
    });

    it('from the encoder: step 0 has the encoder’s loss on the visible pixels', async () => {
      const a = (await inspect(
        trainer,
        { kind: 'infer', job: 2, spec: spec({ start: 'encoder' }), steps: 1, restart: true },
        jobs,
      )) as Infer;
      if (KINDS[model as keyof typeof KINDS] === 'continuous' && hasEncoder(model))
        expect(a.losses[0]).toBeCloseTo(a.encoder!.loss, 3);
      else expect(Number.isFinite(a.losses[0])).toBe(true);
    });

    it('leaves numTensors unchanged over repeated batches, and nothing after dispose', async () => {
      const base = tf.memory().numTensors;
      const local = new InferenceJobs();
      const ask = (restart: boolean) =>
        inspect(
          trainer,
          {
            kind: 'infer',
            job: 7,
            spec: spec({ loss: 'bernoulli', relax: 'straight-through' }),
            steps: 3,
            restart,
          },
          local,
        );
      await ask(true);
      const held = tf.memory().numTensors;
      for (let i = 0; i < 4; i++) await ask(false);
      expect(tf.memory().numTensors).toBe(held);
      await ask(true); // a restart replaces the job
      expect(tf.memory().numTensors).toBe(held);
      local.dispose();
      expect(tf.memory().numTensors).toBe(base);
    });

    it('edits along a direction, or says why it cannot', async () => {
      const before = tf.memory().numTensors;
      const q: Extract<InspectQuery, { kind: 'direction' }> = {
        kind: 'direction',
        groups: { by: 'label', a: 1, b: 7 },
        digit: { probe: 0 },
        values: [-2, -1, 0, 1, 2],
      };
      if (KINDS[model as keyof typeof KINDS] === 'categorical') {
        await expect(inspect(trainer, q)).rejects.toThrow(/continuous codes/);
      } else {
        const d = (await inspect(trainer, q)) as Extract<InspectAnswer, { kind: 'direction' }>;
        expectImages(d.images, 5);
        const count = (l: number) => trainer.probeLabels.filter((v) => v === l).length;
        expect(d.sizes).toEqual([count(1), count(7)]);
        expect(d.groups).toEqual(['digits 1', 'digits 7']);
        expect(d.norm).toBeGreaterThan(0);
        expect(d.source).toBe(hasEncoder(model) ? 'encoder' : 'inferred');
        const m = (await inspect(trainer, {
          ...q,
          groups: { by: 'measure', measure: 'slant' },
        })) as Extract<InspectAnswer, { kind: 'direction' }>;
        expect(m.sizes).toEqual([12, 12]);
      }
      expect(tf.memory().numTensors).toBe(before);
    });

    it('refuses bad questions with a sentence', async () => {
      await expect(
        inspect(trainer, { kind: 'infer', job: 3, spec: spec(), steps: 1, restart: true }),
      ).rejects.toThrow(/training worker/);
      const all = new Uint8Array(784);
      await expect(
        inspect(
          trainer,
          {
            kind: 'infer',
            job: 3,
            spec: spec({ mask: { kind: 'pixels', visible: all } }),
            steps: 1,
            restart: true,
          },
          jobs,
        ),
      ).rejects.toThrow(/erases every pixel/);
      await expect(
        inspect(
          trainer,
          { kind: 'infer', job: 3, spec: spec({ learningRate: -1 }), steps: 1, restart: true },
          jobs,
        ),
      ).rejects.toThrow(/learning rate/);
    });
  });
}

describe.each(NONE)('%s offers no inference', (model) => {
  let trainer: Trainer;
  beforeAll(async () => {
    trainer = new Trainer(dataset(24), { ...TRAIN_DEFAULTS, ...small, model, latentDim: 2 });
    await step(trainer);
  });
  afterAll(() => trainer.dispose());

  it('offers no inference or editing, and says so', async () => {
    expect(capabilitiesOf(trainer).inference).toBeNull();
    const jobs = new InferenceJobs();
    await expect(
      inspect(trainer, { kind: 'infer', job: 1, spec: spec(), steps: 1, restart: true }, jobs),
    ).rejects.toThrow(/needs a model with a decoder/);
    jobs.dispose();
    await expect(
      inspect(trainer, {
        kind: 'direction',
        groups: { by: 'label', a: 1, b: 7 },
        digit: { probe: 0 },
        values: [0, 1],
      }),
    ).rejects.toThrow(/continuous codes/);
  });
});

describe('the direction against a direct computation, and a model without an encoder', () => {
  let trainer: Trainer;
  beforeAll(() => {
    trainer = new Trainer(dataset(24), { ...TRAIN_DEFAULTS, ...small, model: 'ae', latentDim: 3 });
    trainer.trainStep();
  });
  afterAll(() => trainer.dispose());

  it('decodes z + t·d with d the mean encoder code of the 7s minus that of the 1s', async () => {
    const m = trainer.model;
    const labels = trainer.probeLabels;
    const rows = (l: number) => [...labels.keys()].filter((i) => labels[i] === l);
    const z = await m.embed(trainer.probeX).data(); // [24, 3]
    const meanOf = (idx: number[], j: number) =>
      idx.reduce((s, i) => s + z[i * 3 + j]!, 0) / idx.length;
    const d = [0, 1, 2].map((j) => meanOf(rows(7), j) - meanOf(rows(1), j));
    const t = 1.5;
    const moved = [0, 1, 2].map((j) => z[2 * 3 + j]! + t * d[j]!);
    const want = await m.decodeLatent!(tf.tensor2d(moved, [1, 3])).data();
    const answer = (await inspect(trainer, {
      kind: 'direction',
      groups: { by: 'label', a: 1, b: 7 },
      digit: { probe: 2 },
      values: [0, t],
    })) as Extract<InspectAnswer, { kind: 'direction' }>;
    const got = answer.images.pixels.subarray(784);
    for (let p = 0; p < 784; p += 37) expect(got[p]).toBeCloseTo(want[p]!, 4);
    expect(answer.norm).toBeCloseTo(Math.hypot(...d), 4);
    const recon = await m.reconstruct(tf.slice(trainer.probeX, [2, 0], [1, 784])).data();
    for (let p = 0; p < 784; p += 37) expect(answer.images.pixels[p]).toBeCloseTo(recon[p]!, 4);
  });

  it('without an encoder: no one-shot code, and directions from inferred codes', async () => {
    const m = trainer.model as { hasEncoder?: boolean };
    m.hasEncoder = false;
    try {
      expect(capabilitiesOf(trainer).inference?.encoder).toBe(false);
      const jobs = new InferenceJobs();
      const a = (await inspect(
        trainer,
        { kind: 'infer', job: 1, spec: spec({ start: 'encoder' }), steps: 2, restart: true },
        jobs,
      )) as Infer;
      expect(a.encoder).toBeNull();
      jobs.dispose();
      const before = tf.memory().numTensors;
      const d = (await inspect(trainer, {
        kind: 'direction',
        groups: { by: 'hand', a: [0, 1], b: [2] },
        digit: { probe: 3 },
        values: [-1, 1],
      })) as Extract<InspectAnswer, { kind: 'direction' }>;
      expect(d.source).toBe('inferred');
      expect(d.sizes).toEqual([2, 1]);
      expectImages(d.images, 2);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      delete m.hasEncoder;
    }
  });
});
