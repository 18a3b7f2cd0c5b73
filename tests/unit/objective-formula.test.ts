// The objective's formula comes from the catalog's traits; a mix of traits with no formula is
// refused rather than shown the autoencoder's.
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../src/contracts/catalog';
import { formulaOf } from '../../src/ui/tex/objective-tex';

describe('objective formula from traits', () => {
  it('gives each model of the zoo its own formula', () => {
    const of = (k: keyof typeof MODEL_CATALOG) => formulaOf(MODEL_CATALOG[k].traits);
    expect(of('vae')).toBe('gaussian-elbo');
    expect(of('ae')).toBe('reconstruction');
    expect(of('vqvae')).toBe('vector-quantised');
    expect(of('dvae')).toBe('categorical-elbo');
    expect(of('catvae')).toBe('categorical-elbo');
  });

  it('refuses traits it has no formula for', () => {
    const discreteWithoutKl = { ...MODEL_CATALOG.ae.traits, latent: 'discrete' as const };
    expect(() => formulaOf(discreteWithoutKl)).toThrow(/no objective formula/);
  });
});
