// The objective's formula comes from the catalog's traits; a mix of traits with no formula is
// refused rather than shown the autoencoder's.
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../src/contracts/catalog';
import katex from 'katex';
import { defaultSettings } from '../../src/state/settings';
import { formulaOf, objectiveTex } from '../../src/ui/tex/objective-tex';

describe('objective formula from traits', () => {
  it('gives each model of the zoo its own formula', () => {
    const of = (k: keyof typeof MODEL_CATALOG) => formulaOf(MODEL_CATALOG[k].traits);
    expect(of('vae')).toBe('gaussian-elbo');
    expect(of('ae')).toBe('reconstruction');
    expect(of('vqvae')).toBe('vector-quantised');
    expect(of('dvae')).toBe('categorical-elbo');
    expect(of('catvae')).toBe('categorical-elbo');
    expect(of('glo')).toBe('per-image-codes');
    expect(of('cvae')).toBe('gaussian-elbo');
  });

  it('writes GLO as a minimum over the decoder and the codes, with its test numbers', () => {
    const s = { ...defaultSettings(), model: 'glo' as const };
    const { tex, text } = objectiveTex('glo', { recon: 101.26, squaredError: 25.04 }, s);
    expect(tex).toContain(String.raw`\lVert z_i \rVert \le 1`);
    expect(tex).toContain('101.3');
    expect(tex).not.toContain('f_\\phi');
    expect(text).toMatch(/101\.3 nats .* squared error 25/);
    katex.renderToString(tex, { throwOnError: true, strict: 'error', displayMode: true });
  });

  it("writes the conditional VAE's bound given the label, as TeX that parses", () => {
    const s = { ...defaultSettings(), model: 'cvae' as const };
    const { tex } = objectiveTex('cvae', { negElbo: 100, recon: 80, kl: 20 }, s);
    expect(tex).toContain(String.raw`-\log p_\theta(x \mid y)`);
    expect(() =>
      katex.renderToString(tex, { throwOnError: true, displayMode: true }),
    ).not.toThrow();
    expect(objectiveTex('vae', null, s).tex).not.toContain('x, y');
  });

  it('refuses traits it has no formula for', () => {
    const discreteWithoutKl = { ...MODEL_CATALOG.ae.traits, latent: 'discrete' as const };
    expect(() => formulaOf(discreteWithoutKl)).toThrow(/no objective formula/);
  });
});
