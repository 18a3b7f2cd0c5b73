/**
 * The layout of an exported panel picture (./figure-export.ts), and its SVG: a title line, then
 * each image under its caption (wrapped to the picture's width), enlarged SCALE× without
 * smoothing. Pure: text widths come from `measure` (the canvas's measureText in the page).
 */

export const SCALE = 3; // output px per image px
export const PAD = 12;
export const LINE = 18; // text line height, px
export const FONT_PX = 14;
/** Captions wrap at the widest image, but never narrower than this. */
export const MIN_TEXT_WIDTH = 360;

export interface FigurePart {
  caption: string;
  /** The image's size in image pixels (a canvas's width and height). */
  width: number;
  height: number;
}

export interface PlacedPart {
  lines: { text: string; x: number; y: number }[];
  image: { x: number; y: number; width: number; height: number };
}

export interface FigureLayout {
  width: number;
  height: number;
  title: { text: string; x: number; y: number };
  parts: PlacedPart[];
}

/** `text` in lines no wider than `max` (a word longer than `max` keeps its own line). */
export function wrapText(text: string, max: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) > max) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** Where the title, each caption line and each image go; text y is the line's top. */
export function layoutFigure(
  title: string,
  parts: readonly FigurePart[],
  measure: (s: string) => number,
): FigureLayout {
  const imagesWidth = Math.max(0, ...parts.map((p) => p.width * SCALE));
  const textWidth = Math.max(imagesWidth, MIN_TEXT_WIDTH);
  const width = Math.ceil(Math.max(imagesWidth, measure(title), textWidth) + 2 * PAD);
  let y = PAD;
  const placedTitle = { text: title, x: PAD, y };
  y += LINE;
  const placed: PlacedPart[] = parts.map((p) => {
    y += PAD;
    const lines = wrapText(p.caption, textWidth, measure).map((text) => {
      const line = { text, x: PAD, y };
      y += LINE;
      return line;
    });
    const image = { x: PAD, y, width: p.width * SCALE, height: p.height * SCALE };
    y += image.height;
    return { lines, image };
  });
  return { width, height: Math.ceil(y + PAD), title: placedTitle, parts: placed };
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The picture as a standalone SVG: white background, text as <text> (selectable, scalable), each
 * image an <image> of `hrefs[i]` (a PNG data URL of the part at its own size), drawn pixelated.
 */
export function figureSvg(layout: FigureLayout, hrefs: readonly string[]): string {
  const text = (t: { text: string; x: number; y: number }) =>
    `<text x="${t.x}" y="${t.y + FONT_PX}">${escapeXml(t.text)}</text>`;
  const body = layout.parts.flatMap((p, i) => [
    ...p.lines.map(text),
    `<image x="${p.image.x}" y="${p.image.y}" width="${p.image.width}" height="${p.image.height}"` +
      ` preserveAspectRatio="none" style="image-rendering:pixelated" href="${escapeXml(hrefs[i] ?? '')}"/>`,
  ]);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}"` +
      ` viewBox="0 0 ${layout.width} ${layout.height}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<g font-family="system-ui, sans-serif" font-size="${FONT_PX}" fill="#1a1a1a">`,
    text(layout.title),
    ...body,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
