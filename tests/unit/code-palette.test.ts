import { describe, expect, it } from 'vitest';
import { codeColour, inkOn, luminance, viridis } from '../../src/ui/code-palette';

const HEX = /^#[0-9a-f]{6}$/i;

describe('codeColour', () => {
  it('gives distinct qualitative colours to up to 9 codes', () => {
    const colours = Array.from({ length: 9 }, (_, k) => codeColour(k, 9));
    expect(new Set(colours).size).toBe(9);
    for (const c of colours) expect(c).toMatch(HEX);
  });

  it('samples viridis for large codebooks, deterministic and distinct for neighbours', () => {
    const K = 512;
    for (let k = 0; k < K; k++) expect(codeColour(k, K)).toMatch(HEX);
    expect(codeColour(17, K)).toBe(codeColour(17, K));
    // Neighbouring indices land far apart on the colour scale (golden-ratio steps).
    for (let k = 0; k < 20; k++) {
      const a = luminance(codeColour(k, K));
      const b = luminance(codeColour(k + 1, K));
      expect(Math.abs(a - b)).toBeGreaterThan(0.03);
    }
  });
});

describe('viridis', () => {
  it('runs from dark purple to yellow with rising lightness', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    let prev = -1;
    for (let t = 0; t <= 1; t += 0.05) {
      const L = luminance(viridis(t));
      expect(L).toBeGreaterThan(prev);
      prev = L;
    }
  });
});

describe('inkOn', () => {
  it('picks the text colour with more contrast', () => {
    expect(inkOn('#ffffff')).toBe('#000000');
    expect(inkOn('#fde725')).toBe('#000000');
    expect(inkOn('#440154')).toBe('#ffffff');
    expect(inkOn('#000000')).toBe('#ffffff');
  });

  it('matches the WCAG luminance of pure colours', () => {
    expect(luminance('#ffffff')).toBeCloseTo(1, 6);
    expect(luminance('#000000')).toBeCloseTo(0, 6);
    expect(luminance('#ff0000')).toBeCloseTo(0.2126, 4);
  });
});
