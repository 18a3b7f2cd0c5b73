import { beforeAll, describe, expect, it } from 'vitest';
import { MlpVae } from '../../src/models/mlp-vae';
import { tf, useCpu } from './tf-setup';

beforeAll(useCpu);

const tiny = { inputDim: 12, hiddenDim: 6, latentDim: 2, seed: 3 };

function batch(b: number, p: number, seed: number) {
  return tf.randomUniform([b, p], 0, 1, 'float32', seed) as tf.Tensor2D;
}

describe('MlpVae', () => {
  it('has the documented shapes', () => {
    const vae = new MlpVae({ latentDim: 5, hiddenDim: 16 });
    const x = batch(3, 784, 1);
    const { mu, logVar } = vae.encode(x);
    expect(mu.shape).toEqual([3, 5]);
    expect(logVar.shape).toEqual([3, 5]);
    expect(vae.decode(mu).shape).toEqual([3, 784]);
    expect(vae.variables.map((v) => v.shape)).toEqual([
      [784, 16],
      [16],
      [16, 5],
      [5],
      [16, 5],
      [5],
      [5, 16],
      [16],
      [16, 784],
      [784],
    ]);
    vae.dispose();
  });

  it('reports −ELBO = recon + KL and total = recon + β·KL', () => {
    const vae = new MlpVae(tiny);
    const x = batch(4, 12, 2);
    const eps = tf.randomNormal([4, 2], 0, 1, 'float32', 5) as tf.Tensor2D;
    const t = vae.lossTerms(x, eps, 3);
    const [r, k, n, tot] = [t.recon, t.kl, t.negElbo, t.total].map((s) => s.arraySync() as number);
    expect(n).toBeCloseTo(r! + k!, 4);
    expect(tot).toBeCloseTo(r! + 3 * k!, 4);
    expect(k).toBeGreaterThanOrEqual(0);
    vae.dispose();
  });

  it('gradients of the loss match central finite differences', () => {
    const vae = new MlpVae(tiny);
    const x = batch(5, 12, 4);
    const eps = tf.randomNormal([5, 2], 0, 1, 'float32', 6) as tf.Tensor2D;
    const loss = () => vae.lossTerms(x, eps, 0.5).total;
    const { grads } = tf.variableGrads(loss, vae.variables);
    const h = 1e-2;
    let checked = 0;
    for (const v of vae.variables) {
      const g = Array.from(grads[v.name]!.dataSync());
      const values = v.dataSync().slice();
      // A few coordinates per variable, including the largest-gradient one.
      const maxIdx = g.reduce((best, val, i) => (Math.abs(val) > Math.abs(g[best]!) ? i : best), 0);
      for (const i of new Set([0, maxIdx, values.length - 1])) {
        const at = (delta: number) => {
          const w = values.slice();
          w[i] = values[i]! + delta;
          v.assign(tf.tensor(w, v.shape));
          return loss().dataSync()[0]!;
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        v.assign(tf.tensor(values, v.shape));
        expect(Math.abs(fd - g[i]!)).toBeLessThan(2e-2 * Math.max(1, Math.abs(fd)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    vae.dispose();
  });

  it('the same seed gives the same weights; dispose frees them all', () => {
    const before = tf.memory().numTensors;
    const a = new MlpVae(tiny);
    const b = new MlpVae(tiny);
    expect(a.variables[0]!.arraySync()).toEqual(b.variables[0]!.arraySync());
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
