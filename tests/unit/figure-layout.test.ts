// The panel-picture export's layout and SVG (src/ui/panels/figure-layout.ts), against sizes
// worked out by hand from the stated constants, and the SVG parsed back by counting its elements.
import { describe, expect, it } from 'vitest';
import {
  figureSvg,
  layoutFigure,
  LINE,
  MIN_TEXT_WIDTH,
  PAD,
  SCALE,
  wrapText,
} from '../../src/ui/panels/figure-layout';

/** A monospace stand-in for measureText: 7 px per character. */
const mono = (s: string) => 7 * s.length;

describe('wrapText', () => {
  it('breaks at spaces so that no line is wider than the limit', () => {
    const lines = wrapText('aaa bbb ccc dddd', 7 * 8, mono);
    expect(lines).toEqual(['aaa bbb', 'ccc dddd']);
    expect(lines.every((l) => mono(l) <= 56)).toBe(true);
  });
  it('keeps a word longer than the limit on its own line', () => {
    expect(wrapText('a verylongword b', 7 * 4, mono)).toEqual(['a', 'verylongword', 'b']);
  });
});

describe('layoutFigure', () => {
  it('stacks title, captions and images, enlarged SCALE×', () => {
    // A 12×12 manifold of 28 px tiles with 2 px gaps: 358 px square; and an 8×4 sample grid.
    const parts = [
      { caption: 'one', width: 358, height: 358 },
      { caption: 'two', width: 238, height: 118 },
    ];
    const l = layoutFigure('title', parts, mono);
    expect(l.width).toBe(358 * SCALE + 2 * PAD);
    // title line, then per part: pad, one caption line, the image; then the bottom pad.
    const expected = PAD + LINE + (PAD + LINE + 358 * SCALE) + (PAD + LINE + 118 * SCALE) + PAD;
    expect(l.height).toBe(expected);
    expect(l.parts[1]!.image).toEqual({
      x: PAD,
      y: PAD + LINE + PAD + LINE + 358 * SCALE + PAD + LINE,
      width: 238 * SCALE,
      height: 118 * SCALE,
    });
  });
  it('wraps a long caption to the picture width, never narrower than MIN_TEXT_WIDTH', () => {
    const caption = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const l = layoutFigure('t', [{ caption, width: 10, height: 10 }], mono);
    expect(l.width).toBe(MIN_TEXT_WIDTH + 2 * PAD);
    const lines = l.parts[0]!.lines;
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((x) => x.text).join(' ')).toBe(caption);
    for (const line of lines) expect(mono(line.text)).toBeLessThanOrEqual(MIN_TEXT_WIDTH);
    expect(l.height).toBe(PAD + LINE + PAD + lines.length * LINE + 10 * SCALE + PAD);
  });
});

describe('figureSvg', () => {
  const parts = [
    { caption: 'A & B <grid>', width: 58, height: 28 },
    { caption: 'second', width: 28, height: 28 },
    { caption: 'third', width: 28, height: 58 },
  ];
  const layout = layoutFigure('Latent Lab: "samples"', parts, mono);
  const hrefs = parts.map((_, i) => `data:image/png;base64,AAA${i}`);
  const svg = figureSvg(layout, hrefs);

  it('has one <image> per part, at the laid-out place and size, pixelated', () => {
    const images = [...svg.matchAll(/<image ([^>]*)\/>/g)].map((m) => m[1]!);
    expect(images).toHaveLength(3);
    images.forEach((attrs, i) => {
      const p = layout.parts[i]!.image;
      expect(attrs).toContain(`x="${p.x}" y="${p.y}" width="${p.width}" height="${p.height}"`);
      expect(attrs).toContain(`href="${hrefs[i]}"`);
      expect(attrs).toContain('image-rendering:pixelated');
    });
  });
  it('is sized as the layout, with every text escaped', () => {
    expect(svg).toMatch(new RegExp(`^<svg [^>]*width="${layout.width}" height="${layout.height}"`));
    expect(svg).toContain('>A &amp; B &lt;grid&gt;</text>');
    expect(svg).toContain('>Latent Lab: &quot;samples&quot;</text>');
    expect(svg.match(/<text /g)).toHaveLength(4);
    expect(svg).not.toMatch(/<grid>/);
  });
});
