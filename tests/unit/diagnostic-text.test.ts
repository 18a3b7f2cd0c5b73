import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/state/settings';
import {
  perplexityValue,
  probability,
  scheduleValue,
  signed,
} from '../../src/ui/diagnostic-format';
import { nats, signedNats } from '../../src/ui/format';
import {
  gumbelSoftmaxTex,
  reparameterisationTex,
  straightThroughTex,
} from '../../src/ui/tex/mechanism-tex';
import { objectiveTex } from '../../src/ui/tex/objective-tex';

const settings = defaultSettings();

describe('diagnostic number formats', () => {
  it('prints schedule values as the status line does (3 significant digits)', () => {
    expect(scheduleValue(0.73149)).toBe('0.731');
    expect(scheduleValue(1)).toBe('1');
    expect(scheduleValue(undefined)).toBe('–');
    expect(perplexityValue(37.2449)).toBe('37.2');
    expect(probability(0.41234)).toBe('0.412');
    expect(probability(0.00002)).toBe('2.0e-5');
    expect(signed(-1.234)).toBe('−1.23');
    expect(signed(-0.001)).toBe('0.00');
  });
});

describe('objectiveTex', () => {
  const test = { negElbo: 103.24, recon: 78.11, kl: 25.13 };

  it('reads −ELBO = total = reconstruction + KL with the status line rounding', () => {
    const { text, tex } = objectiveTex('vae', test, settings);
    expect(text).toBe(
      '−ELBO = 103.2 = 78.1 (reconstruction) + 25.1 (KL) nats per image on the test digits.',
    );
    expect(text).toContain(nats(test.negElbo));
    expect(tex).toContain(
      String.raw`-\mathrm{ELBO} = 103.2 = 78.1\ (\text{reconstruction}) + 25.1`,
    );
  });

  it('writes the dVAE and categorical VAE as ELBOs with a categorical KL', () => {
    for (const model of ['dvae', 'catvae'] as const) {
      const { text, tex } = objectiveTex(model, test, settings);
      expect(text).toMatch(/^−ELBO = 103\.2 = 78\.1 \(reconstruction\) \+ 25\.1 \(KL\)/);
      expect(tex).toContain(String.raw`\mathcal{U}`);
    }
  });

  it('gives the VQ-VAE its three named terms and β', () => {
    const { text } = objectiveTex(
      'vqvae',
      { recon: 80.04, codebook: 0.41234, commitment: 0.39876 },
      { ...settings, commitment: 0.25 },
    );
    expect(text).toBe(
      'Loss = 80.0 (reconstruction, nats) + 0.412 (codebook) + 0.25 × 0.399 (commitment) per image on the test digits.',
    );
  });

  it('has words before any evaluation', () => {
    expect(objectiveTex('vae', null, settings).text).toMatch(/Negative ELBO/);
    expect(objectiveTex('ae', null, settings).text).toMatch(/Reconstruction loss/);
  });
});

describe('mechanism explainers', () => {
  it('puts the live numbers and units in the words', () => {
    expect(reparameterisationTex({ latentDim: 20, kl: 25.13, activeUnits: 7 }).text).toContain(
      'KL = 25.1 nats per image summed over the 20 dimensions (test digits); 7 of 20 units active.',
    );
    const st = straightThroughTex({
      gridHeight: 7,
      gridWidth: 7,
      codebookSize: 512,
      codeDim: 16,
      perplexity: 32,
    });
    expect(st.text).toContain('49 positions of 512 codes hold at most 441 bits per image');
    expect(st.text).toContain('perplexity 32.0 means 5.00 bits per position');
    const g = gumbelSoftmaxTex({ tau: 0.73149, categories: 64, positions: 49, hard: true });
    expect(g.text).toContain('τ is 0.731 now');
    expect(g.tex).toContain(String.raw`\tau = 0.731`);
  });
});

describe('signedNats', () => {
  it('writes a typographic minus and never a negative zero', () => {
    expect(signedNats(-172.04)).toBe('−172.0');
    expect(signedNats(1.25)).toBe('1.3');
    expect(signedNats(-0.04)).toBe('0.0');
    expect(signedNats(Number.NaN)).toBe('–');
  });
});
